package io.geored.adapters.micrometer;

import io.geored.spi.api.SiteApi;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.peer.PeerSites;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decorates {@link PeerSites}: every call a client makes to a peer site counts under {@link
 * MeterNames#PEER_CALLS} by peer, call and outcome. A heartbeat is the call that lists the peer's
 * peer groups (the engine's monitor makes it and nothing else does): it also counts under {@link
 * MeterNames#PEER_HEARTBEATS}, is timed under {@link MeterNames#PEER_HEARTBEAT_LATENCY}, and moves
 * {@link MeterNames#PEER_HEARTBEAT_MISSES} (failed heartbeats in a row: reset by a good one, never
 * by the engine marking the peer unavailable). A call fails when it throws, whatever the exception:
 * a refusal (not found, conflict) is a failure too. Answers and exceptions pass through untouched.
 * A client the engine opens for one peer-group association (sync, push, audit, removal) also counts
 * each call under {@link MeterNames#ASSOCIATION_PEER_CALLS} by association, call and outcome.
 */
final class MeteredPeerSites implements PeerSites {

  static final String HEARTBEAT_METHOD = "listPeerGroups";

  private final PeerSites delegate;
  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> misses = new ConcurrentHashMap<>();

  MeteredPeerSites(PeerSites delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.registry = registry;
  }

  @Override
  public SiteApi clientFor(SystemPeer peer) {
    return metered(delegate.clientFor(peer), peer.peerName(), null);
  }

  @Override
  public SiteApi clientFor(SystemPeer peer, long associationId) {
    return metered(
        delegate.clientFor(peer, associationId), peer.peerName(), String.valueOf(associationId));
  }

  private SiteApi metered(SiteApi client, String name, String association) {
    return (SiteApi)
        Proxy.newProxyInstance(
            SiteApi.class.getClassLoader(),
            new Class<?>[] {SiteApi.class},
            (self, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                  case "equals" -> self == args[0];
                  case "hashCode" -> System.identityHashCode(self);
                  default ->
                      "MeteredSiteApi[peer="
                          + name
                          + (association == null ? "" : ", association=" + association)
                          + "]";
                };
              }
              boolean heartbeat = method.getName().equals(HEARTBEAT_METHOD);
              Timer.Sample sample = heartbeat ? Timer.start(registry) : null;
              boolean ok = false;
              try {
                Object answer = method.invoke(client, args);
                ok = true;
                return answer;
              } catch (InvocationTargetException e) {
                throw e.getCause();
              } finally {
                String outcome = ok ? MeterNames.SUCCESS : MeterNames.FAILURE;
                Counter.builder(MeterNames.PEER_CALLS)
                    .tags(
                        MeterNames.PEER,
                        name,
                        MeterNames.CALL,
                        MeterNames.snake(method.getName()),
                        MeterNames.OUTCOME,
                        outcome)
                    .description("calls made to a peer site")
                    .register(registry)
                    .increment();
                if (association != null) {
                  Counter.builder(MeterNames.ASSOCIATION_PEER_CALLS)
                      .tags(
                          MeterNames.ASSOCIATION,
                          association,
                          MeterNames.CALL,
                          MeterNames.snake(method.getName()),
                          MeterNames.OUTCOME,
                          outcome)
                      .description("calls made to the peer site for a peer-group association")
                      .register(registry)
                      .increment();
                }
                if (heartbeat) {
                  heartbeat(name, outcome, sample);
                }
              }
            });
  }

  private void heartbeat(String peer, String outcome, Timer.Sample sample) {
    sample.stop(
        Timer.builder(MeterNames.PEER_HEARTBEAT_LATENCY)
            .tags(MeterNames.PEER, peer, MeterNames.OUTCOME, outcome)
            .description("how long a heartbeat call to the peer took")
            .register(registry));
    Counter.builder(MeterNames.PEER_HEARTBEATS)
        .tags(MeterNames.PEER, peer, MeterNames.OUTCOME, outcome)
        .description("heartbeats sent to the peer, by outcome")
        .register(registry)
        .increment();
    AtomicInteger row =
        misses.computeIfAbsent(
            peer,
            k -> {
              AtomicInteger count = new AtomicInteger();
              // Both outcomes exist from the first beat on, so "no failure yet" reads 0.
              for (String each : new String[] {MeterNames.SUCCESS, MeterNames.FAILURE}) {
                Counter.builder(MeterNames.PEER_HEARTBEATS)
                    .tags(MeterNames.PEER, k, MeterNames.OUTCOME, each)
                    .description("heartbeats sent to the peer, by outcome")
                    .register(registry);
              }
              Gauge.builder(MeterNames.PEER_HEARTBEAT_MISSES, count, AtomicInteger::get)
                  .tag(MeterNames.PEER, k)
                  .description("heartbeats failed in a row since the last good one")
                  .strongReference(true)
                  .register(registry);
              return count;
            });
    if (outcome.equals(MeterNames.SUCCESS)) {
      row.set(0);
    } else {
      row.incrementAndGet();
    }
  }
}
