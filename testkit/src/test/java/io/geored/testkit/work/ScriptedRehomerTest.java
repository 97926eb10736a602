package io.geored.testkit.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.work.RehomeOutcome;
import io.geored.testkit.time.VirtualScheduler;
import io.geored.testkit.work.ScriptedRehomer.RehomeCall;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("ScriptedRehomer")
class ScriptedRehomerTest {

  private static final String PASSWORD = "c3lzYWRtaW4tc2VjcmV0";
  private static final RehomeData DATA =
      RehomeData.ofSavedPayload(Map.of(RehomeData.BOOTSTRAP_ADDRESS, "10.10.10.12"));

  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final Instant t0 = scheduler.now();
  private final ScriptedRehomer rehomer = new ScriptedRehomer(scheduler);

  private static Subcloud subcloud(String name, String region) {
    return Subcloud.builder().id(1).name(name).regionName(region).build();
  }

  private static final Subcloud SC1 = subcloud("subcloud1", "region-1");
  private static final Subcloud SC2 = subcloud("subcloud2", "region-2");

  private CompletableFuture<RehomeOutcome> start(Subcloud subcloud) {
    return rehomer.rehome(subcloud, DATA, PASSWORD).toCompletableFuture();
  }

  private static Throwable failureOf(CompletableFuture<?> future) {
    assertThat(future).isCompletedExceptionally();
    return future.handle((value, error) -> error).join();
  }

  @Nested
  @DisplayName("endings")
  class Endings {

    @Test
    @DisplayName("an unscripted subcloud succeeds at once by default")
    void defaultSucceeds() {
      CompletableFuture<RehomeOutcome> stage = start(SC1);

      assertThat(stage).isCompletedWithValue(new RehomeOutcome.Rehomed());
      assertThat(rehomer.inFlight()).isZero();
      assertThat(rehomer.maxInFlight()).isEqualTo(1);
      assertThat(rehomer.finished()).isEqualTo(1);
      assertThat(scheduler.pendingTasks()).isZero();
    }

    @Test
    @DisplayName("the default can be changed for every unscripted subcloud")
    void changedDefault() {
      rehomer.byDefault(RehomeScript.fail("playbook failed"));

      assertThat(start(SC1)).isCompletedWithValue(new RehomeOutcome.Failed("playbook failed"));
      assertThat(start(SC2)).isCompletedWithValue(new RehomeOutcome.Failed("playbook failed"));
    }

    @Test
    @DisplayName("a failing script answers Failed with its text")
    void fails() {
      rehomer.script("subcloud1", RehomeScript.fail("bootstrap timed out"));

      assertThat(start(SC1)).isCompletedWithValue(new RehomeOutcome.Failed("bootstrap timed out"));
      assertThat(start(SC2)).isCompletedWithValue(new RehomeOutcome.Rehomed());
    }

    @Test
    @DisplayName("an exceptional script completes the stage with that very exception")
    void completesExceptionally() {
      IllegalStateException boom = new IllegalStateException("ansible crashed");
      rehomer.script("subcloud1", RehomeScript.completeExceptionally(boom));

      CompletableFuture<RehomeOutcome> stage = start(SC1);

      assertThat(failureOf(stage)).isSameAs(boom);
      assertThat(rehomer.inFlight()).isZero();
      assertThat(rehomer.finished()).isEqualTo(1);
    }

    @Test
    @DisplayName("a throwing script throws from the call itself, counted but never in flight")
    void throwsOnCall() {
      IllegalArgumentException boom = new IllegalArgumentException("bad payload");
      rehomer.script("subcloud1", RehomeScript.throwOnCall(boom));

      assertThatThrownBy(() -> start(SC1)).isSameAs(boom);
      assertThat(rehomer.calls("subcloud1")).isEqualTo(1);
      assertThat(rehomer.inFlight()).isZero();
      assertThat(rehomer.maxInFlight()).isZero();
      assertThat(rehomer.finished()).isZero();
    }
  }

  @Nested
  @DisplayName("virtual time")
  class VirtualTime {

    @Test
    @DisplayName("a timed script completes through the scheduler exactly that much later")
    void takesItsTime() {
      rehomer.script("subcloud1", RehomeScript.fail("late failure").taking(Duration.ofSeconds(30)));

      CompletableFuture<RehomeOutcome> stage = start(SC1);
      scheduler.advance(Duration.ofSeconds(29));

      assertThat(stage).isNotDone();
      assertThat(rehomer.inFlight()).isEqualTo(1);

      scheduler.advance(Duration.ofSeconds(1));

      assertThat(stage).isCompletedWithValue(new RehomeOutcome.Failed("late failure"));
      assertThat(rehomer.inFlight()).isZero();
    }

    @Test
    @DisplayName("a timed exceptional script fails the stage only after its time")
    void timedException() {
      IllegalStateException boom = new IllegalStateException("lost the subcloud");
      rehomer.script(
          "subcloud1", RehomeScript.completeExceptionally(boom).taking(Duration.ofMinutes(2)));

      CompletableFuture<RehomeOutcome> stage = start(SC1);
      scheduler.advance(Duration.ofMinutes(1));
      assertThat(stage).isNotDone();

      scheduler.advance(Duration.ofMinutes(1));
      assertThat(failureOf(stage)).isSameAs(boom);
    }

    @Test
    @DisplayName("counts every rehome started at once as in flight and keeps the maximum")
    void maxInFlight() {
      rehomer.byDefault(RehomeScript.succeed().taking(Duration.ofSeconds(30)));

      start(SC1);
      start(SC2);
      start(subcloud("subcloud3", "region-3"));

      assertThat(rehomer.inFlight()).isEqualTo(3);
      assertThat(rehomer.maxInFlight()).isEqualTo(3);

      scheduler.advance(Duration.ofSeconds(30));

      assertThat(rehomer.inFlight()).isZero();
      assertThat(rehomer.maxInFlight()).isEqualTo(3);
      assertThat(rehomer.finished()).isEqualTo(3);
    }

    @Test
    @DisplayName("measures the makespan and parallelism of a bounded batch in virtual time")
    void makespanOfABoundedBatch() {
      rehomer.byDefault(RehomeScript.succeed().taking(Duration.ofSeconds(30)));
      Deque<Subcloud> queue = new ArrayDeque<>();
      for (int i = 1; i <= 5; i++) {
        queue.add(subcloud("subcloud" + i, "region-" + i));
      }
      // A driver in the engine's way: at most 2 at once, the next starts when one ends.
      Runnable[] startNext = new Runnable[1];
      startNext[0] =
          () -> {
            Subcloud next = queue.poll();
            if (next != null) {
              rehomer.rehome(next, DATA, PASSWORD).thenRun(startNext[0]);
            }
          };
      startNext[0].run();
      startNext[0].run();

      Duration makespan =
          scheduler.advanceUntil(
              () -> rehomer.finished() == 5, Duration.ofSeconds(1), Duration.ofHours(1));

      assertThat(makespan).isEqualTo(Duration.ofSeconds(90));
      assertThat(rehomer.maxInFlight()).isEqualTo(2);
      assertThat(rehomer.calledNames())
          .containsExactly("subcloud1", "subcloud2", "subcloud3", "subcloud4", "subcloud5");
    }
  }

  @Nested
  @DisplayName("gates")
  class Gates {

    @Test
    @DisplayName("a gated rehome stays in flight, whatever time passes, until the gate opens")
    void heldUntilOpened() {
      Gate gate = new Gate();
      rehomer.script("subcloud1", RehomeScript.succeed().awaiting(gate));

      CompletableFuture<RehomeOutcome> stage = start(SC1);
      scheduler.advance(Duration.ofDays(1));

      assertThat(stage).isNotDone();
      assertThat(gate.waiting()).isEqualTo(1);
      assertThat(gate.isOpen()).isFalse();
      assertThat(rehomer.inFlight()).isEqualTo(1);

      gate.open();
      scheduler.runUntilIdle();

      assertThat(stage).isCompletedWithValue(new RehomeOutcome.Rehomed());
      assertThat(gate.waiting()).isZero();
      assertThat(rehomer.inFlight()).isZero();
    }

    @Test
    @DisplayName("a gated, timed rehome takes its time from the opening of the gate")
    void timeCountsFromOpening() {
      Gate gate = new Gate();
      rehomer.script(
          "subcloud1", RehomeScript.fail("late").taking(Duration.ofSeconds(10)).awaiting(gate));

      CompletableFuture<RehomeOutcome> stage = start(SC1);
      scheduler.advance(Duration.ofSeconds(100));
      gate.open();
      scheduler.advance(Duration.ofSeconds(9));
      assertThat(stage).isNotDone();

      scheduler.advance(Duration.ofSeconds(1));
      assertThat(stage).isCompletedWithValue(new RehomeOutcome.Failed("late"));
    }

    @Test
    @DisplayName(
        "one gate holds several rehomes and releases them together; an open gate holds none")
    void sharedGate() {
      Gate gate = new Gate();
      rehomer.byDefault(RehomeScript.succeed().awaiting(gate));

      CompletableFuture<RehomeOutcome> first = start(SC1);
      CompletableFuture<RehomeOutcome> second = start(SC2);
      assertThat(gate.waiting()).isEqualTo(2);

      gate.open();
      gate.open();
      CompletableFuture<RehomeOutcome> third = start(subcloud("subcloud3", "region-3"));
      scheduler.runUntilIdle();

      assertThat(List.of(first, second, third))
          .allSatisfy(f -> assertThat(f).isCompletedWithValue(new RehomeOutcome.Rehomed()));
      assertThat(rehomer.maxInFlight()).isEqualTo(3);
    }
  }

  @Nested
  @DisplayName("scripts")
  class Scripts {

    @Test
    @DisplayName("a sequence answers call by call, and its last step repeats")
    void sequence() {
      rehomer.script(
          "subcloud1",
          RehomeScript.fail("first try"),
          RehomeScript.fail("second try"),
          RehomeScript.succeed());

      assertThat(start(SC1)).isCompletedWithValue(new RehomeOutcome.Failed("first try"));
      assertThat(start(SC1)).isCompletedWithValue(new RehomeOutcome.Failed("second try"));
      assertThat(start(SC1)).isCompletedWithValue(new RehomeOutcome.Rehomed());
      assertThat(start(SC1)).isCompletedWithValue(new RehomeOutcome.Rehomed());
    }

    @Test
    @DisplayName("finds a script by region name when none is set for the name, the name winning")
    void byRegionName() {
      rehomer.script("region-1", RehomeScript.fail("by region"));
      rehomer.script("subcloud2", RehomeScript.fail("by name"));
      rehomer.script("region-2", RehomeScript.fail("region loses"));

      assertThat(start(SC1)).isCompletedWithValue(new RehomeOutcome.Failed("by region"));
      assertThat(start(SC2)).isCompletedWithValue(new RehomeOutcome.Failed("by name"));
    }

    @Test
    @DisplayName("scripting a subcloud again replaces its script and restarts the sequence")
    void replace() {
      rehomer.script("subcloud1", RehomeScript.fail("a"), RehomeScript.fail("b"));
      start(SC1);

      rehomer.script("subcloud1", RehomeScript.fail("c"), RehomeScript.fail("d"));

      assertThat(start(SC1)).isCompletedWithValue(new RehomeOutcome.Failed("c"));
    }

    @Test
    @DisplayName("refuses an empty sequence and a negative duration")
    void refusesBadScripts() {
      assertThatThrownBy(() -> rehomer.script("subcloud1"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("a script needs at least one step");
      assertThatThrownBy(() -> RehomeScript.succeed().taking(Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("duration must not be negative: PT-1S");
    }

    @Test
    @DisplayName("describes a script in its toString")
    void describes() {
      Gate gate = new Gate();

      assertThat(RehomeScript.fail("x").taking(Duration.ofSeconds(5)).awaiting(gate))
          .hasToString("RehomeScript[FAIL 'x', taking PT5S, awaiting Gate[closed, waiting=0]]");
      assertThat(RehomeScript.throwOnCall(new IllegalStateException("y")))
          .hasToString("RehomeScript[THROW_ON_CALL IllegalStateException]");
    }
  }

  @Nested
  @DisplayName("records")
  class Records {

    @Test
    @DisplayName("counts calls by name or region name and keeps each call's arguments and time")
    void callLog() {
      start(SC1);
      scheduler.advance(Duration.ofSeconds(7));
      start(SC2);
      start(SC1);

      assertThat(rehomer.calls("subcloud1")).isEqualTo(2);
      assertThat(rehomer.calls("region-1")).isEqualTo(2);
      assertThat(rehomer.calls("subcloud2")).isEqualTo(1);
      assertThat(rehomer.calls("subcloud9")).isZero();
      assertThat(rehomer.totalCalls()).isEqualTo(3);
      assertThat(rehomer.calledNames()).containsExactly("subcloud1", "subcloud2", "subcloud1");
      assertThat(rehomer.callLog())
          .containsExactly(
              new RehomeCall(SC1, DATA, PASSWORD, t0),
              new RehomeCall(SC2, DATA, PASSWORD, t0.plusSeconds(7)),
              new RehomeCall(SC1, DATA, PASSWORD, t0.plusSeconds(7)));
    }

    @Test
    @DisplayName("never shows the sysadmin password in a toString")
    void masksPassword() {
      rehomer.script("subcloud1", RehomeScript.succeed());
      start(SC1);

      RehomeCall call = rehomer.callLog().get(0);

      assertThat(call.sysadminPassword()).isEqualTo(PASSWORD);
      assertThat(call.toString())
          .doesNotContain(PASSWORD)
          .isEqualTo(
              "RehomeCall[subcloud=subcloud1, rehomeData=RehomeData[payloadKeys=[bootstrap-address]],"
                  + " sysadminPassword=****, calledAt=2026-01-01T00:00:00Z]");
      assertThat(rehomer.toString()).doesNotContain(PASSWORD);
    }
  }

  @Test
  @DisplayName("answers stages that callers can chain on")
  void stagesChain() {
    rehomer.byDefault(RehomeScript.succeed().taking(Duration.ofSeconds(1)));
    CompletionStage<String> chained =
        rehomer.rehome(SC1, DATA, PASSWORD).thenApply(o -> o.getClass().getSimpleName());

    scheduler.advance(Duration.ofSeconds(1));

    assertThat(chained.toCompletableFuture()).isCompletedWithValue("Rehomed");
  }
}
