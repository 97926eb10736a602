package io.geored.core.internal;

import io.geored.core.GeoredSettings;
import io.geored.core.leader.Leadership;
import io.geored.spi.event.GeoredEvent;
import io.geored.spi.event.GeoredEventListener;
import io.geored.spi.fault.Alarm;
import io.geored.spi.fault.Alarms;
import io.geored.spi.model.LocalSystem;
import io.geored.spi.peer.LocalSystemIdentity;
import io.geored.spi.peer.PeerSites;
import io.geored.spi.secret.PasswordCipher;
import io.geored.spi.store.Stores;
import io.geored.spi.time.Scheduler;
import io.geored.spi.work.SubcloudProbe;
import io.geored.spi.work.SubcloudRehomer;
import io.geored.spi.work.SubcloudStateListener;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * Everything the services of one engine share: its ports and settings. One per engine; no global
 * state.
 */
public final class SiteContext {

  private static final Logger LOG = EscapingLogger.of(SiteContext.class);

  private final Stores stores;
  private final LocalSystemIdentity identity;
  private final PeerSites peerSites;
  private final Scheduler scheduler;
  private final Alarms alarms;
  private final PasswordCipher cipher;
  private final SubcloudStateListener stateListener;
  private final GeoredEventListener events;
  private final SubcloudRehomer rehomer;
  private final SubcloudProbe probe;
  private final GeoredSettings settings;
  private final WorkLeases leases;
  private final ProgressBoard progress = new ProgressBoard();
  private final WitnessPorts witnessPorts;
  private final Leadership leadership;

  /**
   * Bundles the ports.
   *
   * @param stores the stores and their transaction boundary
   * @param identity this site's identity
   * @param peerSites clients for peer sites
   * @param scheduler time and background work
   * @param alarms the fault manager
   * @param cipher peer password cipher
   * @param stateListener hears management and availability changes
   * @param events hears every state change and progress
   * @param rehomer rehomes one subcloud
   * @param probe probes one subcloud
   * @param settings tunables
   */
  public SiteContext(
      Stores stores,
      LocalSystemIdentity identity,
      PeerSites peerSites,
      Scheduler scheduler,
      Alarms alarms,
      PasswordCipher cipher,
      SubcloudStateListener stateListener,
      GeoredEventListener events,
      SubcloudRehomer rehomer,
      SubcloudProbe probe,
      GeoredSettings settings) {
    this(
        stores,
        identity,
        peerSites,
        scheduler,
        alarms,
        cipher,
        stateListener,
        events,
        rehomer,
        probe,
        settings,
        WorkLeases.always());
  }

  /**
   * Bundles the ports, with the leases that decide which of several engines on one database runs
   * the work that must happen once.
   *
   * @param stores the stores and their transaction boundary
   * @param identity this site's identity
   * @param peerSites clients for peer sites
   * @param scheduler time and background work
   * @param alarms the fault manager
   * @param cipher peer password cipher
   * @param stateListener hears management and availability changes
   * @param events hears every state change and progress
   * @param rehomer rehomes one subcloud
   * @param probe probes one subcloud
   * @param settings tunables
   * @param leases the once-only work leases
   */
  public SiteContext(
      Stores stores,
      LocalSystemIdentity identity,
      PeerSites peerSites,
      Scheduler scheduler,
      Alarms alarms,
      PasswordCipher cipher,
      SubcloudStateListener stateListener,
      GeoredEventListener events,
      SubcloudRehomer rehomer,
      SubcloudProbe probe,
      GeoredSettings settings,
      WorkLeases leases) {
    this(
        stores,
        identity,
        peerSites,
        scheduler,
        alarms,
        cipher,
        stateListener,
        events,
        rehomer,
        probe,
        settings,
        leases,
        WitnessPorts.NONE);
  }

  /**
   * Bundles the ports, with the once-only work leases and the ports of automatic failover.
   *
   * @param stores the stores and their transaction boundary
   * @param identity this site's identity
   * @param peerSites clients for peer sites
   * @param scheduler time and background work
   * @param alarms the fault manager
   * @param cipher peer password cipher
   * @param stateListener hears management and availability changes
   * @param events hears every state change and progress
   * @param rehomer rehomes one subcloud
   * @param probe probes one subcloud
   * @param settings tunables
   * @param leases the once-only work leases
   * @param witnessPorts the witness and its companions, or {@link WitnessPorts#NONE}
   */
  public SiteContext(
      Stores stores,
      LocalSystemIdentity identity,
      PeerSites peerSites,
      Scheduler scheduler,
      Alarms alarms,
      PasswordCipher cipher,
      SubcloudStateListener stateListener,
      GeoredEventListener events,
      SubcloudRehomer rehomer,
      SubcloudProbe probe,
      GeoredSettings settings,
      WorkLeases leases,
      WitnessPorts witnessPorts) {
    this.witnessPorts = java.util.Objects.requireNonNull(witnessPorts, "witnessPorts");
    this.leases = leases;
    this.stores = stores;
    this.identity = identity;
    this.peerSites = peerSites;
    this.scheduler = scheduler;
    this.alarms = alarms;
    this.cipher = cipher;
    this.stateListener = stateListener;
    this.events = events;
    this.rehomer = rehomer;
    this.probe = probe;
    this.settings = settings;
    this.leadership = new Leadership(this);
  }

  /**
   * The witness rules of this engine (docs/adr/0027); every check passes without a witness.
   *
   * @return the leadership component
   */
  public Leadership leadership() {
    return leadership;
  }

  /**
   * The ports of automatic failover; {@link WitnessPorts#NONE} when no witness is configured.
   *
   * @return the witness ports
   */
  public WitnessPorts witnessPorts() {
    return witnessPorts;
  }

  public Stores stores() {
    return stores;
  }

  public LocalSystem localSystem() {
    return identity.localSystem();
  }

  public PeerSites peerSites() {
    return peerSites;
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  public PasswordCipher cipher() {
    return cipher;
  }

  public SubcloudStateListener stateListener() {
    return stateListener;
  }

  public SubcloudRehomer rehomer() {
    return rehomer;
  }

  public SubcloudProbe probe() {
    return probe;
  }

  public GeoredSettings settings() {
    return settings;
  }

  public Alarms alarms() {
    return alarms;
  }

  /** The leases once-only work asks before it runs. */
  public WorkLeases leases() {
    return leases;
  }

  /** The engine's current time, from the scheduler's clock. */
  public Instant now() {
    return scheduler.clock().instant();
  }

  /**
   * The progress of the migrations and syncs this engine ran, for {@code migrationProgress} and
   * {@code syncProgress}.
   *
   * @return the board, one per engine
   */
  public ProgressBoard progress() {
    return progress;
  }

  /** Tells the event listener; a listener that throws never breaks the flow. */
  public void emit(GeoredEvent event) {
    try {
      events.onEvent(event);
    } catch (RuntimeException e) {
      LOG.warn("event listener failed event={}", event.getClass().getSimpleName(), e);
    }
  }

  /** Raises an alarm; a fault manager that throws never breaks the flow. */
  public void raiseAlarm(Alarm alarm) {
    try {
      alarms.raise(alarm);
    } catch (RuntimeException e) {
      LOG.warn(
          "alarm raise failed alarm_id={} entity={}", alarm.alarmId(), alarm.entityInstance(), e);
    }
  }

  /** Clears an alarm; a fault manager that throws never breaks the flow. */
  public void clearAlarm(String alarmId, String entityInstance) {
    try {
      alarms.clear(alarmId, entityInstance);
    } catch (RuntimeException e) {
      LOG.warn("alarm clear failed alarm_id={} entity={}", alarmId, entityInstance, e);
    }
  }
}
