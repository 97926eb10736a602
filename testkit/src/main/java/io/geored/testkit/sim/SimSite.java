package io.geored.testkit.sim;

import io.geored.core.GeoRedundancy;
import io.geored.spi.api.SiteApi;
import io.geored.spi.fault.Alarms;
import io.geored.spi.model.LocalSystem;
import io.geored.spi.store.Stores;
import io.geored.spi.work.SubcloudProbe;
import io.geored.spi.work.SubcloudRehomer;
import io.geored.testkit.time.SiteScheduler;
import java.util.Objects;

/**
 * One site of a {@link SimHarness}: its identity and address, and the parts that outlive its engine
 * (stores, alarms, rehomer, probe), plus the engine it currently runs. A restart gives it a new
 * engine on the same parts. Thread-safe to read.
 */
public final class SimSite {

  private final LocalSystem system;
  private final String endpoint;
  private final String gatewayAddress;
  private final Stores stores;
  private final Alarms alarms;
  private final SubcloudRehomer rehomer;
  private final SubcloudProbe probe;
  private final SiteScheduler scheduler;
  private volatile GeoRedundancy engine;
  private volatile boolean stopped;

  SimSite(
      LocalSystem system,
      String endpoint,
      String gatewayAddress,
      Stores stores,
      Alarms alarms,
      SubcloudRehomer rehomer,
      SubcloudProbe probe,
      SiteScheduler scheduler) {
    this.system = Objects.requireNonNull(system, "system");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.gatewayAddress = Objects.requireNonNull(gatewayAddress, "gatewayAddress");
    this.stores = Objects.requireNonNull(stores, "stores");
    this.alarms = Objects.requireNonNull(alarms, "alarms");
    this.rehomer = rehomer;
    this.probe = probe;
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
  }

  /**
   * The site's own view of the harness's time: its clock (at its rate), its ticker and its pause
   * switch; its engines run on it. Kept across restarts, as the machine's clock is.
   *
   * @return the site's scheduler
   */
  public SiteScheduler scheduler() {
    return scheduler;
  }

  /**
   * Whether the site stands still ({@link SimHarness#pause}).
   *
   * @return true while paused
   */
  public boolean isPaused() {
    return scheduler.isPaused();
  }

  /**
   * The site's identity.
   *
   * @return uuid and name
   */
  public LocalSystem system() {
    return system;
  }

  /**
   * The site's name, e.g. {@code site-b}.
   *
   * @return the name
   */
  public String name() {
    return system.name();
  }

  /**
   * The site's uuid.
   *
   * @return the uuid
   */
  public String uuid() {
    return system.uuid();
  }

  /**
   * Where peers address the site on the network, e.g. {@code http://site-b.sim/v1.0}.
   *
   * @return the manager endpoint
   */
  public String endpoint() {
    return endpoint;
  }

  /**
   * The system controller gateway address of this site, which other sites store as this peer's
   * {@code peer_controller_gateway_address}.
   *
   * @return an IPv4 address
   */
  public String gatewayAddress() {
    return gatewayAddress;
  }

  /**
   * The site's API, as its operator reaches it (not through the network).
   *
   * @return the current engine's site
   * @throws IllegalStateException while the site is stopped: nobody answers its operator either
   */
  public SiteApi api() {
    if (stopped) {
      throw new IllegalStateException(name() + " is stopped");
    }
    return engine.site();
  }

  /**
   * The site's stores; kept across stops and restarts, readable while stopped.
   *
   * @return the stores
   */
  public Stores stores() {
    return stores;
  }

  /**
   * The site's fault manager; the same instance across restarts.
   *
   * @return the alarms port
   */
  public Alarms alarms() {
    return alarms;
  }

  /**
   * The site's fault manager as the type the harness was given, e.g. a recording one.
   *
   * @param type the expected type
   * @param <T> that type
   * @return the alarms port
   * @throws IllegalStateException when the alarms are of another type
   */
  public <T extends Alarms> T alarms(Class<T> type) {
    if (!type.isInstance(alarms)) {
      throw new IllegalStateException(
          name() + " alarms are " + alarms.getClass().getName() + ", not " + type.getName());
    }
    return type.cast(alarms);
  }

  /**
   * The engine the site runs now: a new one after each restart; closed while stopped.
   *
   * @return the engine
   */
  public GeoRedundancy engine() {
    return engine;
  }

  /**
   * Whether the site is stopped (engine closed, off the network).
   *
   * @return true between a stop and the next restart
   */
  public boolean isStopped() {
    return stopped;
  }

  SubcloudRehomer rehomer() {
    return rehomer;
  }

  SubcloudProbe probe() {
    return probe;
  }

  void running(GeoRedundancy value) {
    this.engine = value;
    this.stopped = false;
  }

  void stopped() {
    this.stopped = true;
  }

  @Override
  public String toString() {
    return "SimSite[" + name() + " " + endpoint + (stopped ? " stopped" : "") + "]";
  }
}
