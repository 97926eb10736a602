package io.geored.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The contract suites are only worth running if they fail for a broken store. Each case runs a
 * suite against in-memory stores with one promise broken and checks that the tests guarding that
 * promise fail (and, for the intact stores, that none does).
 */
@DisplayName("The store contracts catch broken stores")
class ContractsCatchBrokenStoresTest {

  /** What one run of a contract class came to. */
  private record Run(List<String> passed, List<String> failed) {}

  private static Run run(Class<?> contract) {
    List<String> passed = Collections.synchronizedList(new ArrayList<>());
    List<String> failed = Collections.synchronizedList(new ArrayList<>());
    TestExecutionListener listener =
        new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            if (!test.isTest()) {
              return;
            }
            String name =
                test.getSource()
                    .filter(MethodSource.class::isInstance)
                    .map(s -> ((MethodSource) s).getMethodName())
                    .orElse(test.getDisplayName());
            (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? passed : failed)
                .add(name);
          }
        };
    LauncherFactory.create()
        .execute(
            LauncherDiscoveryRequestBuilder.request().selectors(selectClass(contract)).build(),
            listener);
    return new Run(List.copyOf(passed), List.copyOf(failed));
  }

  @Test
  @DisplayName("intact in-memory stores pass every test of a suite run this way")
  void intactPasses() {
    Run run = run(BrokenStores.IntactPeers.class);

    assertThat(run.failed()).isEmpty();
    assertThat(run.passed()).hasSizeGreaterThan(20);
  }

  @Test
  @DisplayName("an update that ignores the version fails the compare-and-set tests")
  void noCompareAndSet() {
    // Only the single-threaded tests: whether the threads of the concurrent one happen to
    // interleave, and so lose an update, is up to the machine.
    assertThat(run(BrokenStores.NoCompareAndSet.class).failed())
        .contains("olderVersionIsStale", "newerVersionIsStale");
  }

  @Test
  @DisplayName("timestamps cut to milliseconds fail the round trips")
  void millisecondTimestamps() {
    assertThat(run(BrokenStores.MillisecondTimestamps.class).failed())
        .contains("assignsIdAndVersion", "everyField");
  }

  @Test
  @DisplayName("findAll out of id order fails the ordering test")
  void unordered() {
    assertThat(run(BrokenStores.UnorderedFindAll.class).failed()).contains("orderedById");
  }

  @Test
  @DisplayName("a finder that ignores case fails the exact-match test")
  void caseInsensitive() {
    assertThat(run(BrokenStores.CaseInsensitiveNames.class).failed())
        .containsExactly("nothingButExact");
  }

  @Test
  @DisplayName("Stale in place of Missing fails the missing-record tests")
  void missingAsStale() {
    assertThat(run(BrokenStores.MissingAsStale.class).failed())
        .containsExactlyInAnyOrder("deletedIsMissing", "unknownIsMissing");
  }

  @Test
  @DisplayName("a deploy-status finder that fails on no states fails the empty-set test")
  void emptyStatusSet() {
    assertThat(run(BrokenStores.EmptyStatusSetFails.class).failed())
        .containsExactly("emptyAnswers");
  }

  @Test
  @DisplayName("integers read back as longs fail the rehome data round trips")
  void integersAsLongs() {
    assertThat(run(BrokenStores.IntegersReadAsLongs.class).failed())
        .contains("everyField", "rehomePayloadValues");
  }

  @Test
  @DisplayName("a region clash reported under the name rule fails the region test")
  void wrongDuplicateKey() {
    assertThat(run(BrokenStores.WrongDuplicateKey.class).failed())
        .containsExactly("insertSameRegion");
  }

  @Test
  @DisplayName("a transaction boundary that never rolls back fails every rollback test")
  void noRollback() {
    assertThat(run(BrokenStores.NoRollback.class).failed())
        .contains(
            "runtimeException",
            "error",
            "checkedException",
            "severalUpdates",
            "usableAfterwards",
            "outerFailureUndoesInner",
            "innerFailurePassesThrough",
            "independent");
  }
}
