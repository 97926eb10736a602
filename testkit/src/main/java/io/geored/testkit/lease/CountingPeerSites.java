package io.geored.testkit.lease;

import io.geored.spi.PeerTransportException;
import io.geored.spi.api.SiteApi;
import io.geored.spi.peer.PeerSites;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The peer sites of one engine in a test of once-only work: every peer answers a heartbeat (the
 * list of its peer groups) with no groups, and counts it, so a test tells which of several engines
 * on one database beat a peer. Every other call fails as an unreachable peer would. Thread-safe.
 */
public final class CountingPeerSites implements PeerSites {

  private final AtomicLong heartbeats = new AtomicLong();

  /** Peers that answer heartbeats only. */
  public CountingPeerSites() {}

  /**
   * How many heartbeats this engine sent, to any peer.
   *
   * @return the count of peer-group lists asked
   */
  public long heartbeats() {
    return heartbeats.get();
  }

  @Override
  public SiteApi clientFor(io.geored.spi.model.SystemPeer peer) {
    return (SiteApi)
        Proxy.newProxyInstance(
            SiteApi.class.getClassLoader(),
            new Class<?>[] {SiteApi.class},
            (proxy, method, args) -> {
              if (method.getName().equals("listPeerGroups")) {
                heartbeats.incrementAndGet();
                return List.of();
              }
              if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  default -> "CountingPeerSites client for " + peer.peerName();
                };
              }
              throw new PeerTransportException(
                  method.getName() + ": peer " + peer.peerName() + " only answers heartbeats",
                  null);
            });
  }
}
