package io.geored.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.core.GeoRedundancy;
import io.geored.core.GeoredSettings;
import io.geored.core.service.RestartRecovery;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.Subcloud;
import io.geored.spi.peer.LocalSystemIdentity;
import io.geored.testkit.sim.SingleSite;
import io.geored.testkit.store.InMemoryStores;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The GeoRedundancy engine")
class GeoRedundancyEngineTest {

  @Test
  @DisplayName("start runs recovery once; a second start changes nothing")
  void startIsIdempotent() {
    SingleSite site = SingleSite.create();
    site.stores()
        .subclouds()
        .insert(
            Subcloud.builder()
                .name("sc1")
                .regionName("r1")
                .managementState(ManagementState.UNMANAGED)
                .availabilityStatus(AvailabilityStatus.OFFLINE)
                .deployStatus(DeployStatus.INSTALLING)
                .createdAt(Instant.EPOCH)
                .build());

    assertThat(site.engine().isRunning()).isFalse();
    assertThat(site.engine().start()).isEqualTo(new RestartRecovery.Report(1, 0, 0));
    assertThat(site.engine().isRunning()).isTrue();
    assertThat(site.engine().start()).isEqualTo(new RestartRecovery.Report(0, 0, 0));
  }

  @Test
  @DisplayName("close is idempotent and a closed engine cannot start again")
  void closeIsIdempotent() {
    SingleSite site = SingleSite.create();
    site.engine().start();
    site.engine().close();
    site.engine().close();
    assertThat(site.engine().isRunning()).isFalse();
    assertThatThrownBy(() -> site.engine().start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("engine is closed");
  }

  @Test
  @DisplayName("an engine that owns its threads stops them on close")
  void ownedThreadsStop() {
    GeoRedundancy engine =
        GeoRedundancy.builder(
                InMemoryStores.create(),
                LocalSystemIdentity.of(SingleSite.SITE_A),
                SingleSite.NO_PEERS)
            .settings(
                new GeoredSettings(
                    10,
                    5,
                    Duration.ofSeconds(20),
                    2,
                    Duration.ofSeconds(900),
                    Duration.ofSeconds(20),
                    Duration.ofSeconds(5)))
            .build();
    engine.start();
    engine.close();
    // A pool reports itself terminated while its last thread is still returning from run(): give
    // each such thread a bounded moment to end before asking whether any is alive.
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("geored-")) {
        try {
          t.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
    assertThat(
            Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("geored-")))
        .isEmpty();
  }

  @Test
  @DisplayName("the builder requires its ports")
  void requiredPorts() {
    assertThatNullPointerException()
        .isThrownBy(
            () ->
                GeoRedundancy.builder(
                    null, LocalSystemIdentity.of(SingleSite.SITE_A), SingleSite.NO_PEERS))
        .withMessage("stores");
    assertThatNullPointerException()
        .isThrownBy(() -> GeoRedundancy.builder(InMemoryStores.create(), null, SingleSite.NO_PEERS))
        .withMessage("identity");
    assertThatNullPointerException()
        .isThrownBy(
            () ->
                GeoRedundancy.builder(
                    InMemoryStores.create(), LocalSystemIdentity.of(SingleSite.SITE_A), null))
        .withMessage("peerSites");
  }

  @Test
  @DisplayName("settings name the field and the limit")
  void settingsValidate() {
    assertThatThrownBy(() -> GeoredSettings.DEFAULTS.withSyncConcurrency(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("syncConcurrency must be at least 1, was 0");
    assertThat(GeoredSettings.DEFAULTS.withSyncConcurrency(1).syncConcurrency()).isEqualTo(1);
    assertThatThrownBy(() -> GeoredSettings.DEFAULTS.withCasRetries(0))
        .hasMessage("casRetries must be at least 1, was 0");
  }

  @Test
  @DisplayName("the site answers its identity")
  void identity() {
    SingleSite site = SingleSite.create();
    assertThat(site.site().identity(io.geored.spi.api.Caller.PEER_SITE))
        .isEqualTo(SingleSite.SITE_A);
  }
}
