package io.geored.core.failover;

import static io.geored.core.failover.MigrationFixtures.saved;
import static org.assertj.core.api.Assertions.assertThat;

import io.geored.core.GeoredSettings;
import io.geored.spi.event.GeoredEvent;
import io.geored.spi.fault.Alarm;
import io.geored.spi.fault.AlarmSeverity;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.Subcloud;
import io.geored.spi.work.SubcloudProbe;
import io.geored.spi.work.SubcloudStateListener;
import io.geored.testkit.fault.RecordingAlarms;
import io.geored.testkit.sim.SingleSite;
import io.geored.testkit.store.InMemoryStores;
import io.geored.testkit.time.VirtualScheduler;
import io.geored.testkit.work.ScriptedProbe;
import io.geored.testkit.work.ScriptedProbe.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@DisplayName("The availability audit probes this site's subclouds and follows their availability")
class AvailabilityAuditTest {

  private static final Duration EVERY = Duration.ofSeconds(20);

  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final RecordingAlarms alarms = new RecordingAlarms(scheduler.clock());
  private final ScriptedProbe scripted = new ScriptedProbe();
  private final List<GeoredEvent> events = new CopyOnWriteArrayList<>();
  private final List<Subcloud[]> heard = new CopyOnWriteArrayList<>();
  private boolean listenerFails;
  private SingleSite site;

  @AfterEach
  void tearDown() {
    if (site != null) {
      site.engine().close();
    }
  }

  private SingleSite start(GeoredSettings settings, SubcloudProbe probe) {
    SubcloudStateListener listener =
        new SubcloudStateListener() {
          @Override
          public void managementStateChanged(Subcloud before, Subcloud after) {}

          @Override
          public void availabilityChanged(Subcloud before, Subcloud after) {
            heard.add(new Subcloud[] {before, after});
            if (listenerFails) {
              throw new IllegalStateException("host refused");
            }
          }
        };
    site =
        SingleSite.create(
            InMemoryStores.create(),
            scheduler,
            b ->
                b.settings(settings)
                    .probe(probe)
                    .alarms(alarms)
                    .stateListener(listener)
                    .eventListener(events::add));
    return site;
  }

  private SingleSite start() {
    return start(GeoredSettings.DEFAULTS, scripted);
  }

  private static GeoredSettings settings(Duration interval, int failures) {
    return new GeoredSettings(
        10,
        5,
        interval,
        failures,
        Duration.ofSeconds(900),
        Duration.ofSeconds(20),
        Duration.ofSeconds(10));
  }

  private Subcloud subcloud(String name, DeployStatus status, AvailabilityStatus availability) {
    return saved(
        site.stores()
            .subclouds()
            .insert(
                Subcloud.builder()
                    .name(name)
                    .regionName("region-" + name)
                    .managementState(
                        availability == AvailabilityStatus.ONLINE
                            ? ManagementState.MANAGED
                            : ManagementState.UNMANAGED)
                    .availabilityStatus(availability)
                    .deployStatus(status)
                    .createdAt(MigrationFixtures.T0)
                    .build()));
  }

  private Subcloud online(String name) {
    return subcloud(name, DeployStatus.COMPLETE, AvailabilityStatus.ONLINE);
  }

  private Subcloud stored(Subcloud subcloud) {
    return site.stores().subclouds().findById(subcloud.id()).orElseThrow();
  }

  private void rounds(int count) {
    scheduler.advance(EVERY.multipliedBy(count));
  }

  private static Alarm offlineAlarm(String name, Instant at) {
    return new Alarm(
        "280.001",
        "subcloud",
        "subcloud=" + name,
        AlarmSeverity.MAJOR,
        name + " is offline",
        "Wait for subcloud to become online; if problem persists contact next level of support.",
        true,
        at);
  }

  @Nested
  @DisplayName("what is probed, and when")
  class Probing {

    @Test
    @DisplayName("every 20 s, the first round 20 s after start")
    void everyInterval() {
      start();
      online("sc1");
      site.engine().start();

      scheduler.advance(Duration.ofSeconds(19));
      assertThat(scripted.calls("sc1")).isZero();
      scheduler.advance(Duration.ofSeconds(1));
      assertThat(scripted.calls("sc1")).isEqualTo(1);
      scheduler.advance(Duration.ofSeconds(20));
      assertThat(scripted.calls("sc1")).isEqualTo(2);
    }

    @Test
    @DisplayName("at the configured interval")
    void configuredInterval() {
      start(settings(Duration.ofSeconds(45), 2), scripted);
      online("sc1");
      site.engine().start();

      scheduler.advance(Duration.ofSeconds(44));
      assertThat(scripted.calls("sc1")).isZero();
      scheduler.advance(Duration.ofSeconds(46));
      assertThat(scripted.calls("sc1")).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DeployStatus.class)
    @DisplayName("every deploy status but secondary, pre-rehome and rehoming")
    void whichSubclouds(DeployStatus status) {
      start();
      // Inserted after start: restart recovery would fail a transitory state.
      site.engine().start();
      subcloud("sc1", status, AvailabilityStatus.OFFLINE);

      rounds(1);

      boolean skipped =
          status == DeployStatus.SECONDARY
              || status == DeployStatus.PRE_REHOME
              || status == DeployStatus.REHOMING;
      assertThat(scripted.calls("sc1")).isEqualTo(skipped ? 0 : 1);
    }

    @Test
    @DisplayName("nothing before start, nothing after close")
    void lifecycle() {
      start();
      online("sc1");
      rounds(3);
      assertThat(scripted.totalCalls()).isZero();

      site.engine().start();
      rounds(1);
      site.engine().close();
      rounds(3);

      assertThat(scripted.totalCalls()).isEqualTo(1);
    }

    @Test
    @DisplayName("a subcloud whose probe has not answered is not probed again meanwhile")
    void onePendingProbeAtATime() {
      Map<String, CompletableFuture<AvailabilityStatus>> pending = new ConcurrentHashMap<>();
      List<String> probed = new ArrayList<>();
      start(
          GeoredSettings.DEFAULTS,
          subcloud -> {
            probed.add(subcloud.name());
            return pending.computeIfAbsent(subcloud.name(), k -> new CompletableFuture<>());
          });
      online("sc1");
      site.engine().start();

      rounds(3);
      assertThat(probed).containsExactly("sc1");
      pending.remove("sc1").complete(AvailabilityStatus.ONLINE);
      scheduler.runUntilIdle();
      rounds(1);

      assertThat(probed).containsExactly("sc1", "sc1");
    }
  }

  @Nested
  @DisplayName("going offline")
  class Offline {

    @Test
    @DisplayName(
        "one failed probe changes nothing; the second in a row stores it offline, raises 280.001"
            + " and tells the event and state listeners")
    void twoFailuresInARow() {
      start();
      Subcloud sc1 = online("sc1");
      scripted.script("sc1", Answer.OFFLINE);
      site.engine().start();

      rounds(1);
      assertThat(stored(sc1)).isEqualTo(sc1);
      assertThat(alarms.raised()).isEmpty();
      rounds(1);

      Instant at = MigrationFixtures.T0.plus(EVERY.multipliedBy(2));
      Subcloud after = stored(sc1);
      assertThat(after)
          .isEqualTo(
              sc1.toBuilder()
                  .availabilityStatus(AvailabilityStatus.OFFLINE)
                  .updatedAt(at)
                  .version(sc1.version() + 1)
                  .build());
      assertThat(alarms.raised()).containsExactly(offlineAlarm("sc1", at));
      assertThat(events)
          .containsExactly(
              new GeoredEvent.StateChanged(
                  at, "subcloud", "sc1", "availability_status", "online", "offline"));
      assertThat(heard)
          .singleElement()
          .satisfies(
              h -> {
                assertThat(h[0]).isEqualTo(sc1);
                assertThat(h[1]).isEqualTo(after);
              });
    }

    @Test
    @DisplayName("a success between two failures starts the count again")
    void notInARow() {
      start();
      Subcloud sc1 = online("sc1");
      scripted.script("sc1", Answer.OFFLINE, Answer.ONLINE, Answer.OFFLINE, Answer.ONLINE);
      site.engine().start();

      rounds(4);

      assertThat(stored(sc1)).isEqualTo(sc1);
      assertThat(alarms.history()).isEmpty();
    }

    @Test
    @DisplayName("a probe that completes exceptionally or throws counts as failed")
    void failuresOfTheProbe() {
      start();
      Subcloud sc1 = online("sc1");
      scripted.script("sc1", Answer.FAIL, Answer.THROW);
      site.engine().start();

      rounds(2);

      assertThat(stored(sc1).availabilityStatus()).isEqualTo(AvailabilityStatus.OFFLINE);
      assertThat(alarms.isRaised("280.001", "subcloud=sc1")).isTrue();
    }

    @Test
    @DisplayName("with 3 failures configured: online after the second, offline at the third")
    void configuredThreshold() {
      start(settings(EVERY, 3), scripted);
      Subcloud sc1 = online("sc1");
      scripted.script("sc1", Answer.OFFLINE);
      site.engine().start();

      rounds(2);
      assertThat(stored(sc1).availabilityStatus()).isEqualTo(AvailabilityStatus.ONLINE);
      rounds(1);
      assertThat(stored(sc1).availabilityStatus()).isEqualTo(AvailabilityStatus.OFFLINE);
    }

    @Test
    @DisplayName("with 1 failure configured (its lowest): offline at the first")
    void thresholdOne() {
      start(settings(EVERY, 1), scripted);
      Subcloud sc1 = online("sc1");
      scripted.script("sc1", Answer.OFFLINE);
      site.engine().start();

      rounds(1);

      assertThat(stored(sc1).availabilityStatus()).isEqualTo(AvailabilityStatus.OFFLINE);
    }

    @Test
    @DisplayName("a subcloud already offline stays as it is: no write, no alarm")
    void alreadyOffline() {
      start();
      Subcloud sc1 = subcloud("sc1", DeployStatus.COMPLETE, AvailabilityStatus.OFFLINE);
      scripted.script("sc1", Answer.OFFLINE);
      site.engine().start();

      rounds(4);

      assertThat(stored(sc1)).isEqualTo(sc1);
      assertThat(alarms.history()).isEmpty();
      assertThat(events).isEmpty();
    }

    @Test
    @DisplayName("a state listener that fails does not undo it")
    void listenerFailure() {
      listenerFails = true;
      start();
      Subcloud sc1 = online("sc1");
      scripted.script("sc1", Answer.OFFLINE);
      site.engine().start();

      rounds(2);

      assertThat(stored(sc1).availabilityStatus()).isEqualTo(AvailabilityStatus.OFFLINE);
      assertThat(heard).hasSize(1);
      assertThat(alarms.isRaised("280.001", "subcloud=sc1")).isTrue();
    }

    @Test
    @DisplayName("a fault manager that fails does not keep it online")
    void alarmFailure() {
      start();
      Subcloud sc1 = online("sc1");
      scripted.script("sc1", Answer.OFFLINE);
      alarms.failEveryCall(true);
      site.engine().start();

      rounds(2);

      assertThat(stored(sc1).availabilityStatus()).isEqualTo(AvailabilityStatus.OFFLINE);
      assertThat(alarms.failedCalls()).isEqualTo(1);
    }

    @Test
    @DisplayName("a subcloud that became secondary before the answer came is left alone")
    void becameSecondary() {
      Map<String, CompletableFuture<AvailabilityStatus>> pending = new ConcurrentHashMap<>();
      start(
          settings(EVERY, 1),
          subcloud -> pending.computeIfAbsent(subcloud.name(), k -> new CompletableFuture<>()));
      Subcloud sc1 = online("sc1");
      site.engine().start();
      rounds(1);
      Subcloud secondary =
          saved(
              site.stores()
                  .subclouds()
                  .update(sc1.toBuilder().deployStatus(DeployStatus.SECONDARY).build()));

      pending.remove("sc1").complete(AvailabilityStatus.OFFLINE);
      scheduler.runUntilIdle();

      assertThat(stored(sc1)).isEqualTo(secondary);
      assertThat(alarms.history()).isEmpty();
    }
  }

  @Nested
  @DisplayName("coming back online")
  class Online {

    @Test
    @DisplayName(
        "the first success stores it online, clears 280.001 and tells the event and state"
            + " listeners")
    void firstSuccess() {
      start();
      Subcloud sc1 = subcloud("sc1", DeployStatus.COMPLETE, AvailabilityStatus.OFFLINE);
      alarms.raise(offlineAlarm("sc1", MigrationFixtures.T0));
      scripted.script("sc1", Answer.ONLINE);
      site.engine().start();

      rounds(1);

      Instant at = MigrationFixtures.T0.plus(EVERY);
      Subcloud after = stored(sc1);
      assertThat(after)
          .isEqualTo(
              sc1.toBuilder()
                  .availabilityStatus(AvailabilityStatus.ONLINE)
                  .updatedAt(at)
                  .version(sc1.version() + 1)
                  .build());
      assertThat(alarms.raised()).isEmpty();
      assertThat(alarms.history("280.001", "subcloud=sc1"))
          .extracting(RecordingAlarms.AlarmEvent::kind)
          .containsExactly(RecordingAlarms.Kind.RAISE, RecordingAlarms.Kind.CLEAR);
      assertThat(events)
          .containsExactly(
              new GeoredEvent.StateChanged(
                  at, "subcloud", "sc1", "availability_status", "offline", "online"));
      assertThat(heard)
          .singleElement()
          .satisfies(
              h -> {
                assertThat(h[0]).isEqualTo(sc1);
                assertThat(h[1]).isEqualTo(after);
              });
    }

    @Test
    @DisplayName("offline, then online, then offline again: one alarm raised, cleared, raised")
    void flapping() {
      start();
      Subcloud sc1 = online("sc1");
      scripted.script(
          "sc1", Answer.OFFLINE, Answer.OFFLINE, Answer.ONLINE, Answer.OFFLINE, Answer.OFFLINE);
      site.engine().start();

      rounds(5);

      assertThat(stored(sc1).availabilityStatus()).isEqualTo(AvailabilityStatus.OFFLINE);
      assertThat(alarms.history("280.001", "subcloud=sc1"))
          .extracting(RecordingAlarms.AlarmEvent::kind)
          .containsExactly(
              RecordingAlarms.Kind.RAISE, RecordingAlarms.Kind.CLEAR, RecordingAlarms.Kind.RAISE);
      assertThat(events)
          .extracting(e -> ((GeoredEvent.StateChanged) e).to())
          .containsExactly("offline", "online", "offline");
    }
  }
}
