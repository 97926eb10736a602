package io.geored.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.adapters.http.HttpSiteClient;
import io.geored.adapters.jdbc.JdbcStores;
import io.geored.spi.api.Caller;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.model.SubcloudPeerGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the standalone site (SIGKILL, no shutdown hook) while several clients stream peer-group
 * creates at it, then reopens its database folder: every create the site answered with success must
 * be there. Five runs on the same folder, each site starting on the folder the previous kill left
 * behind.
 */
@DisplayName("The standalone site on its embedded database")
class SiteCrashTest {

  private static final int RUNS = 5;
  private static final int WRITERS = 4;

  /** Acknowledged creates per run before the kill: enough to kill mid-stream at full speed. */
  private static final int ACKNOWLEDGED_BEFORE_KILL = 200;

  @TempDir Path dir;

  @Test
  @Timeout(120)
  @DisplayName(
      "loses no acknowledged write when killed with SIGKILL mid-stream, over five kills of the"
          + " same folder")
  void acknowledgedWritesSurviveSigkill() throws Exception {
    Path folder = dir.resolve("db");
    Path config = dir.resolve("site.properties");
    Files.writeString(
        config,
        String.join(
            "\n",
            "site.uuid=aaaaaaaa-0000-4000-8000-00000000000a",
            "site.name=site-a",
            "database.folder=" + folder.toString().replace("\\", "/"),
            "http.port=0",
            "auth.token.ops=ops-token",
            "auth.roles.ops=admin",
            ""));
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    Set<String> lost = new TreeSet<>();
    List<String> report = new ArrayList<>();
    for (int run = 1; run <= RUNS; run++) {
      int before = acknowledged.size();
      try (SiteProcess site = SiteProcess.start(config, dir.resolve("stderr-" + run + ".log"))) {
        streamAndKill(site, "r" + run, acknowledged);
      }
      int acknowledgedThisRun = acknowledged.size() - before;

      Set<String> stored;
      try (JdbcStores db = JdbcStores.embedded(folder)) {
        stored =
            db.stores().peerGroups().findAll().stream()
                .map(SubcloudPeerGroup::peerGroupName)
                .collect(Collectors.toSet());
      }
      Set<String> missing = new TreeSet<>(acknowledged);
      missing.removeAll(stored);
      missing.removeAll(lost);
      lost.addAll(missing);
      report.add(
          "run " + run + ": acknowledged " + acknowledgedThisRun + ", lost " + missing.size());
      System.out.println("SiteCrashTest " + report.get(report.size() - 1));
    }
    assertThat(lost).as("acknowledged creates missing after a kill; %s", report).isEmpty();
    assertThat(report).hasSize(RUNS);
  }

  /**
   * Streams creates from {@link #WRITERS} threads until {@link #ACKNOWLEDGED_BEFORE_KILL} were
   * answered, kills the site with the stream still running, and waits for the writers to see it.
   */
  private static void streamAndKill(SiteProcess site, String run, Set<String> acknowledged)
      throws Exception {
    HttpSiteClient client = HttpSiteClient.create(site.endpoint(), "ops-token");
    AtomicBoolean killed = new AtomicBoolean();
    CountDownLatch enough = new CountDownLatch(ACKNOWLEDGED_BEFORE_KILL);
    Set<Throwable> unexpected = ConcurrentHashMap.newKeySet();
    ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
    try {
      for (int w = 0; w < WRITERS; w++) {
        String prefix = run + "-w" + w + "-";
        writers.submit(
            () -> {
              for (int i = 0; ; i++) {
                String name = prefix + i;
                try {
                  client.createPeerGroup(
                      Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName(name).build());
                } catch (RuntimeException e) {
                  if (!killed.get()) {
                    unexpected.add(e);
                  }
                  return; // the site is gone (or broken): this create's outcome is unknown
                }
                acknowledged.add(name);
                enough.countDown();
              }
            });
      }
      assertThat(enough.await(SiteProcess.BUDGET_SECONDS, TimeUnit.SECONDS))
          .as(
              "%d creates answered within %d s",
              ACKNOWLEDGED_BEFORE_KILL, SiteProcess.BUDGET_SECONDS)
          .isTrue();
      killed.set(true);
      site.kill();
    } finally {
      writers.shutdown();
      assertThat(writers.awaitTermination(SiteProcess.BUDGET_SECONDS, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(unexpected).as("failures before the kill").isEmpty();
  }
}
