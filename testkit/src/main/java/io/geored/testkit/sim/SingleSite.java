package io.geored.testkit.sim;

import io.geored.core.GeoRedundancy;
import io.geored.core.GeoredSettings;
import io.geored.spi.PeerTransportException;
import io.geored.spi.api.SiteApi;
import io.geored.spi.model.LocalSystem;
import io.geored.spi.peer.LocalSystemIdentity;
import io.geored.spi.peer.PeerSites;
import io.geored.spi.store.Stores;
import io.geored.spi.work.SubcloudStateListener;
import io.geored.testkit.store.InMemoryStores;
import io.geored.testkit.time.VirtualScheduler;
import java.util.function.UnaryOperator;

/**
 * One site in memory and in virtual time, with no reachable peers: the fixture for tests of a
 * single site's rules. Every peer call fails with a peer-transport error.
 *
 * @param engine the engine (not started; call {@code engine.start()} to run recovery)
 * @param site its API
 * @param stores its stores, to arrange and inspect state directly
 * @param scheduler the virtual scheduler it runs on
 */
public record SingleSite(
    GeoRedundancy engine, SiteApi site, Stores stores, VirtualScheduler scheduler) {

  /** The identity {@link #create()} uses. */
  public static final LocalSystem SITE_A =
      new LocalSystem("aaaaaaaa-0000-4000-8000-000000000001", "site-a");

  /** A peer-sites port for which every peer is down. */
  public static final PeerSites NO_PEERS =
      peer -> {
        throw new PeerTransportException("peer " + peer.peerName() + " is not reachable", null);
      };

  /**
   * A site named site-a on fresh in-memory stores.
   *
   * @return the site
   */
  public static SingleSite create() {
    return create(b -> b);
  }

  /**
   * A site named site-a on fresh in-memory stores, with changes to the builder.
   *
   * @param customize changes the builder (listener, settings, ...)
   * @return the site
   */
  public static SingleSite create(UnaryOperator<GeoRedundancy.Builder> customize) {
    return create(InMemoryStores.create(), new VirtualScheduler(), customize);
  }

  /**
   * A site on given stores and scheduler, e.g. to restart it on the stores of a stopped one.
   *
   * @param stores the stores
   * @param scheduler the scheduler
   * @param customize changes to the builder
   * @return the site
   */
  public static SingleSite create(
      Stores stores, VirtualScheduler scheduler, UnaryOperator<GeoRedundancy.Builder> customize) {
    GeoRedundancy.Builder builder =
        GeoRedundancy.builder(stores, LocalSystemIdentity.of(SITE_A), NO_PEERS)
            .scheduler(scheduler)
            .settings(GeoredSettings.DEFAULTS)
            .stateListener(SubcloudStateListener.NONE);
    GeoRedundancy engine = customize.apply(builder).build();
    return new SingleSite(engine, engine.site(), stores, scheduler);
  }
}
