package io.geored.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.core.GeoRedundancy;
import io.geored.core.GeoredSettings;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.SiteApi;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.peer.LocalSystemIdentity;
import io.geored.testkit.sim.SimHarness;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The sync's concurrency on the threads a deployed engine owns (its default scheduler), which the
 * virtual-time tests cannot see: they run every task on the test's thread. This test runs real
 * threads, so it waits on them, each wait bounded.
 */
@DisplayName("A sync on the engine's own threads")
class SyncOnOwnThreadsTest {

  @Test
  @DisplayName("has as many subclouds in flight at once as the sync concurrency allows")
  void fullConcurrency() throws InterruptedException {
    int concurrency = GeoredSettings.DEFAULTS.syncConcurrency();
    try (SyncScenario s = new SyncScenario()) {
      s.members(concurrency);
      SiteApi toB = s.sites.peerClient(s.a, s.b);
      // Each creation on B waits until all of them have started, or 5 s; count those that met.
      CountDownLatch together = new CountDownLatch(concurrency);
      AtomicInteger metAll = new AtomicInteger();
      SiteApi gated =
          (SiteApi)
              Proxy.newProxyInstance(
                  SiteApi.class.getClassLoader(),
                  new Class<?>[] {SiteApi.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("createSubcloud")) {
                      together.countDown();
                      if (together.await(5, TimeUnit.SECONDS)) {
                        metAll.incrementAndGet();
                      }
                    }
                    try {
                      return method.invoke(toB, args);
                    } catch (InvocationTargetException e) {
                      throw e.getCause();
                    }
                  });
      GeoRedundancy engine =
          GeoRedundancy.builder(
                  s.a.stores(), LocalSystemIdentity.of(SimHarness.SITE_A), peer -> gated)
              .build();
      try {
        PeerGroupAssociation created =
            engine
                .site()
                .createAssociation(
                    Caller.OPERATOR,
                    AssociationCreate.builder()
                        .peerGroupId(s.group.id())
                        .systemPeerId(s.bOnA.id())
                        .peerGroupPriority(2)
                        .build());

        SyncStatus status = awaitSettled(s, created.id(), Duration.ofSeconds(30));

        assertThat(status).isEqualTo(SyncStatus.IN_SYNC);
        assertThat(metAll.get()).isEqualTo(concurrency);
        assertThat(s.copiesOnB()).hasSize(concurrency);
      } finally {
        engine.close();
      }
    }
  }

  private static SyncStatus awaitSettled(SyncScenario s, long id, Duration budget)
      throws InterruptedException {
    long deadline = System.nanoTime() + budget.toNanos();
    SyncStatus status = s.onA(id).syncStatus();
    while (status == SyncStatus.SYNCING && System.nanoTime() < deadline) {
      Thread.sleep(10);
      status = s.onA(id).syncStatus();
    }
    return status;
  }
}
