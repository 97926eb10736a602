package io.geored.testkit.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.time.Cancellable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("VirtualScheduler")
class VirtualSchedulerTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final List<String> log = new ArrayList<>();

  private Runnable record(String name) {
    return () -> log.add(name + "@" + Duration.between(T0, scheduler.now()).toSeconds());
  }

  private static Duration s(long seconds) {
    return Duration.ofSeconds(seconds);
  }

  @Test
  @DisplayName("starts at 2026-01-01T00:00:00Z with nothing pending")
  void startsEmpty() {
    assertThat(scheduler.now()).isEqualTo(T0);
    assertThat(scheduler.clock().instant()).isEqualTo(T0);
    assertThat(scheduler.virtualClock().instant()).isEqualTo(T0);
    assertThat(scheduler.pendingTasks()).isZero();
    assertThat(scheduler.taskRuns()).isZero();
  }

  @Nested
  @DisplayName("ordering")
  class Ordering {

    @Test
    @DisplayName("runs tasks by due time, whatever the order they were submitted in")
    void byDueTime() {
      scheduler.schedule(record("c"), s(30));
      scheduler.schedule(record("a"), s(10));
      scheduler.schedule(record("b"), s(20));

      scheduler.advance(s(60));

      assertThat(log).containsExactly("a@10", "b@20", "c@30");
    }

    @Test
    @DisplayName("runs tasks due at the same instant in submission order")
    void tiesBySubmission() {
      scheduler.schedule(record("first"), s(5));
      scheduler.schedule(record("second"), s(5));
      scheduler.execute(record("now"));
      scheduler.schedule(record("third"), s(5));

      scheduler.advance(s(5));

      assertThat(log).containsExactly("now@0", "first@5", "second@5", "third@5");
    }

    @Test
    @DisplayName("runs work a task schedules for the same instant after the work already due then")
    void workScheduledByATaskQueuesBehind() {
      scheduler.execute(
          () -> {
            log.add("outer");
            scheduler.execute(() -> log.add("inner"));
          });
      scheduler.execute(() -> log.add("sibling"));

      int ran = scheduler.runUntilIdle();

      assertThat(log).containsExactly("outer", "sibling", "inner");
      assertThat(ran).isEqualTo(3);
    }
  }

  @Nested
  @DisplayName("runUntilIdle")
  class RunUntilIdle {

    @Test
    @DisplayName(
        "runs everything due now, including what that work schedules for now, and counts it")
    void runsDueWork() {
      scheduler.execute(() -> scheduler.schedule(() -> scheduler.execute(record("deep")), s(0)));

      int ran = scheduler.runUntilIdle();

      assertThat(ran).isEqualTo(3);
      assertThat(log).containsExactly("deep@0");
      assertThat(scheduler.taskRuns()).isEqualTo(3);
      assertThat(scheduler.pendingTasks()).isZero();
    }

    @Test
    @DisplayName("never moves the clock and leaves work due later, even a nanosecond later")
    void doesNotMoveTheClock() {
      scheduler.schedule(record("later"), Duration.ofNanos(1));

      int ran = scheduler.runUntilIdle();

      assertThat(ran).isZero();
      assertThat(log).isEmpty();
      assertThat(scheduler.now()).isEqualTo(T0);
      assertThat(scheduler.pendingTasks()).isEqualTo(1);
    }

    @Test
    @DisplayName("runs work due before a clock moved by hand, at the clock's time")
    void overdueWorkRunsNow() {
      scheduler.schedule(record("overdue"), s(10));
      scheduler.virtualClock().advance(s(25));

      scheduler.runUntilIdle();

      assertThat(log).containsExactly("overdue@25");
      assertThat(scheduler.now()).isEqualTo(T0.plusSeconds(25));
    }
  }

  @Nested
  @DisplayName("advance")
  class Advance {

    @Test
    @DisplayName("runs each task with the clock at its due instant and ends at the target")
    void clockAtDueInstant() {
      AtomicReference<Instant> seen = new AtomicReference<>();
      scheduler.schedule(() -> seen.set(scheduler.now()), Duration.ofMillis(1500));

      int ran = scheduler.advance(s(10));

      assertThat(ran).isEqualTo(1);
      assertThat(seen.get()).isEqualTo(T0.plusMillis(1500));
      assertThat(scheduler.now()).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    @DisplayName("moves the clock to the target when nothing is due")
    void movesWithoutTasks() {
      assertThat(scheduler.advance(s(600))).isZero();

      assertThat(scheduler.now()).isEqualTo(T0.plusSeconds(600));
    }

    @Test
    @DisplayName("runs a task due exactly at the target and leaves one due just after it")
    void targetIsInclusive() {
      scheduler.schedule(record("at"), s(10));
      scheduler.schedule(record("after"), s(10).plusNanos(1));

      scheduler.advance(s(10));

      assertThat(log).containsExactly("at@10");
      assertThat(scheduler.pendingTasks()).isEqualTo(1);
    }

    @Test
    @DisplayName("runs work that a task schedules within the advanced span at its own due instant")
    void chainedWork() {
      scheduler.schedule(
          () -> {
            log.add("first@" + Duration.between(T0, scheduler.now()).toSeconds());
            scheduler.schedule(record("second"), s(15));
          },
          s(10));

      scheduler.advance(s(30));

      assertThat(log).containsExactly("first@10", "second@25");
    }

    @Test
    @DisplayName("runs a periodic task first after its initial delay, then every period")
    void periodicAtEachDueInstant() {
      scheduler.scheduleWithFixedDelay(record("beat"), s(10), s(60));

      scheduler.advance(s(200));

      assertThat(log).containsExactly("beat@10", "beat@70", "beat@130", "beat@190");
      assertThat(scheduler.pendingTasks()).isEqualTo(1);
    }

    @Test
    @DisplayName("gives the same runs in one long advance as in many short ones")
    void stepsDoNotMatter() {
      VirtualScheduler other = new VirtualScheduler();
      List<Instant> inOneGo = new ArrayList<>();
      List<Instant> inSteps = new ArrayList<>();
      scheduler.scheduleWithFixedDelay(() -> inOneGo.add(scheduler.now()), s(0), s(7));
      other.scheduleWithFixedDelay(() -> inSteps.add(other.now()), s(0), s(7));

      scheduler.advance(s(100));
      for (int i = 0; i < 100; i++) {
        other.advance(s(1));
      }

      assertThat(inSteps).isEqualTo(inOneGo).hasSize(15);
    }

    @Test
    @DisplayName("measures a fixed delay from the end of a run, not its start")
    void fixedDelayFromEndOfRun() {
      scheduler.scheduleWithFixedDelay(
          () -> {
            log.add("start@" + Duration.between(T0, scheduler.now()).toSeconds());
            // The run itself takes 3 s of virtual time.
            scheduler.virtualClock().advance(s(3));
          },
          s(10),
          s(10));

      scheduler.advance(s(40));

      assertThat(log).containsExactly("start@10", "start@23", "start@36");
    }

    @Test
    @DisplayName("refuses a negative duration and leaves the clock alone")
    void refusesNegative() {
      assertThatThrownBy(() -> scheduler.advance(s(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("delay must not be negative: PT-1S");
      assertThat(scheduler.now()).isEqualTo(T0);
    }
  }

  @Nested
  @DisplayName("cancel")
  class Cancel {

    @Test
    @DisplayName("a cancelled task never runs and is no longer pending")
    void cancelledOneShot() {
      Cancellable handle = scheduler.schedule(record("cancelled"), s(5));
      scheduler.schedule(record("kept"), s(5));

      handle.cancel();
      scheduler.advance(s(10));

      assertThat(log).containsExactly("kept@5");
      assertThat(scheduler.pendingTasks()).isZero();
    }

    @Test
    @DisplayName("a cancelled periodic task stops, and cancelling again does nothing")
    void cancelledPeriodic() {
      Cancellable handle = scheduler.scheduleWithFixedDelay(record("beat"), s(10), s(10));
      scheduler.advance(s(25));

      handle.cancel();
      handle.cancel();
      scheduler.advance(s(100));

      assertThat(log).containsExactly("beat@10", "beat@20");
      assertThat(scheduler.pendingTasks()).isZero();
    }

    @Test
    @DisplayName("a periodic task that cancels itself while running does not run again")
    void cancelsItself() {
      AtomicReference<Cancellable> self = new AtomicReference<>();
      AtomicInteger runs = new AtomicInteger();
      self.set(
          scheduler.scheduleWithFixedDelay(
              () -> {
                if (runs.incrementAndGet() == 2) {
                  self.get().cancel();
                }
              },
              s(1),
              s(1)));

      scheduler.advance(s(10));

      assertThat(runs).hasValue(2);
      assertThat(scheduler.pendingTasks()).isZero();
    }

    @Test
    @DisplayName("a task cancelled by an earlier task due at the same instant does not run")
    void cancelledBySibling() {
      AtomicReference<Cancellable> victim = new AtomicReference<>();
      scheduler.schedule(() -> victim.get().cancel(), s(5));
      victim.set(scheduler.schedule(record("victim"), s(5)));

      scheduler.advance(s(5));

      assertThat(log).isEmpty();
    }

    @Test
    @DisplayName("cancelling a task that already ran does nothing")
    void cancelAfterRun() {
      Cancellable handle = scheduler.execute(record("done"));
      scheduler.runUntilIdle();

      handle.cancel();

      assertThat(log).containsExactly("done@0");
      assertThat(scheduler.taskRuns()).isEqualTo(1);
    }
  }

  @Nested
  @DisplayName("failing tasks")
  class Failing {

    @Test
    @DisplayName("a task that throws does not stop the others due at the same time or later")
    void othersStillRun() {
      scheduler.schedule(record("before"), s(1));
      scheduler.schedule(
          () -> {
            throw new IllegalStateException("boom");
          },
          s(1));
      scheduler.schedule(record("after"), s(1));
      scheduler.schedule(record("later"), s(2));

      int ran = scheduler.advance(s(2));

      assertThat(ran).isEqualTo(4);
      assertThat(log).containsExactly("before@1", "after@1", "later@2");
    }

    @Test
    @DisplayName("a periodic task that throws keeps its schedule")
    void periodicKeepsSchedule() {
      AtomicInteger runs = new AtomicInteger();
      scheduler.scheduleWithFixedDelay(
          () -> {
            log.add("beat@" + Duration.between(T0, scheduler.now()).toSeconds());
            if (runs.incrementAndGet() % 2 == 1) {
              throw new IllegalStateException("every other beat fails");
            }
          },
          s(10),
          s(10));

      scheduler.advance(s(45));

      assertThat(log).containsExactly("beat@10", "beat@20", "beat@30", "beat@40");
    }

    @Test
    @DisplayName("an Error from a task reaches the test, and a periodic task keeps its schedule")
    void errorsReachTheTest() {
      AtomicInteger runs = new AtomicInteger();
      scheduler.scheduleWithFixedDelay(
          () -> {
            if (runs.incrementAndGet() == 1) {
              throw new AssertionError("expected failure inside a task");
            }
          },
          s(10),
          s(10));

      assertThatThrownBy(() -> scheduler.advance(s(15)))
          .isInstanceOf(AssertionError.class)
          .hasMessage("expected failure inside a task");
      assertThat(scheduler.now()).isEqualTo(T0.plusSeconds(10));
      assertThat(scheduler.pendingTasks()).isEqualTo(1);

      scheduler.advance(s(25));
      assertThat(runs).hasValue(3);
    }
  }

  @Nested
  @DisplayName("advanceUntil")
  class AdvanceUntil {

    @Test
    @DisplayName("answers zero when the condition holds after running what is due now")
    void alreadyTrue() {
      AtomicInteger done = new AtomicInteger();
      scheduler.execute(done::incrementAndGet);

      Duration took = scheduler.advanceUntil(() -> done.get() == 1, s(1), s(10));

      assertThat(took).isZero();
      assertThat(scheduler.now()).isEqualTo(T0);
    }

    @Test
    @DisplayName("advances by steps and answers the virtual time it took")
    void stepsUntilTrue() {
      AtomicInteger done = new AtomicInteger();
      scheduler.schedule(done::incrementAndGet, s(25));

      Duration took = scheduler.advanceUntil(() -> done.get() == 1, s(10), s(100));

      assertThat(took).isEqualTo(s(30));
      assertThat(scheduler.now()).isEqualTo(T0.plusSeconds(30));
    }

    @Test
    @DisplayName("accepts a condition that becomes true exactly at the limit")
    void trueAtTheLimit() {
      AtomicInteger done = new AtomicInteger();
      scheduler.schedule(done::incrementAndGet, s(30));

      Duration took = scheduler.advanceUntil(() -> done.get() == 1, s(10), s(30));

      assertThat(took).isEqualTo(s(30));
    }

    @Test
    @DisplayName("fails after the limit, with the clock stopped exactly at the limit")
    void failsAtLimit() {
      AtomicInteger done = new AtomicInteger();
      scheduler.schedule(done::incrementAndGet, s(31));

      assertThatThrownBy(() -> scheduler.advanceUntil(() -> done.get() == 1, s(20), s(30)))
          .isInstanceOf(AssertionError.class)
          .hasMessage("condition not met within PT30S of virtual time");
      assertThat(scheduler.now()).isEqualTo(T0.plusSeconds(30));
      assertThat(done).hasValue(0);
    }

    @Test
    @DisplayName("accepts a zero limit: the condition gets one look after what is due now")
    void zeroLimit() {
      AtomicInteger done = new AtomicInteger();
      scheduler.execute(done::incrementAndGet);

      assertThat(scheduler.advanceUntil(() -> done.get() == 1, s(1), Duration.ZERO)).isZero();
      assertThatThrownBy(() -> scheduler.advanceUntil(() -> false, s(1), Duration.ZERO))
          .isInstanceOf(AssertionError.class)
          .hasMessage("condition not met within PT0S of virtual time");
      assertThat(scheduler.now()).isEqualTo(T0);
    }

    @Test
    @DisplayName("refuses a negative limit")
    void refusesNegativeLimit() {
      assertThatThrownBy(() -> scheduler.advanceUntil(() -> true, s(1), s(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("delay must not be negative: PT-1S");
    }

    @Test
    @DisplayName("refuses a step that is not positive")
    void refusesZeroStep() {
      assertThatThrownBy(() -> scheduler.advanceUntil(() -> false, Duration.ZERO, s(30)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("step must be positive: PT0S");
    }
  }

  @Nested
  @DisplayName("arguments")
  class Arguments {

    @Test
    @DisplayName("refuses a negative delay, a period that is not positive, and a null task")
    void refusesBadArguments() {
      Runnable noop = () -> {};

      assertThatThrownBy(() -> scheduler.schedule(noop, s(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("delay must not be negative: PT-1S");
      assertThatThrownBy(() -> scheduler.scheduleWithFixedDelay(noop, s(-1), s(1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("delay must not be negative: PT-1S");
      assertThatThrownBy(() -> scheduler.scheduleWithFixedDelay(noop, s(0), Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("period must be positive: PT0S");
      assertThatThrownBy(() -> scheduler.execute(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("task");
      assertThat(scheduler.pendingTasks()).isZero();
    }

    @Test
    @DisplayName("accepts a zero delay and a zero initial delay: due now")
    void zeroDelayIsNow() {
      scheduler.schedule(record("once"), Duration.ZERO);
      scheduler.scheduleWithFixedDelay(record("periodic"), Duration.ZERO, s(1));

      scheduler.runUntilIdle();

      assertThat(log).containsExactly("once@0", "periodic@0");
    }
  }

  @Test
  @DisplayName("lets several schedulers share one clock, as the sites of a simulation do")
  void sharedClock() {
    VirtualClock clock = new VirtualClock(T0);
    VirtualScheduler a = new VirtualScheduler(clock);
    VirtualScheduler b = new VirtualScheduler(clock);

    a.advance(s(5));

    assertThat(b.now()).isEqualTo(T0.plusSeconds(5));
  }

  @Nested
  @DisplayName("waits that overlap")
  class OverlappingWaits {

    private final VirtualScheduler overlapping = VirtualScheduler.overlappingWaits();
    private final List<String> trace = java.util.Collections.synchronizedList(new ArrayList<>());

    private String at() {
      return "@" + Duration.between(T0, overlapping.now()).toMillis();
    }

    private Runnable twoWaits(String name) {
      return () -> {
        trace.add(name + " start" + at());
        assertThat(overlapping.waitFor(Duration.ofMillis(20))).isTrue();
        trace.add(name + " half" + at());
        assertThat(overlapping.waitFor(Duration.ofMillis(20))).isTrue();
        trace.add(name + " end" + at());
      };
    }

    @Test
    @DisplayName(
        "tasks in flight at once wait side by side: three tasks of two 20 ms waits take 40 ms, in"
            + " due order")
    void waitsOverlap() {
      overlapping.execute(twoWaits("a"));
      overlapping.execute(twoWaits("b"));
      overlapping.execute(twoWaits("c"));

      int ran = overlapping.runUntilIdle();

      assertThat(ran).isEqualTo(3);
      assertThat(overlapping.now()).isEqualTo(T0.plusMillis(40));
      assertThat(trace)
          .containsExactly(
              "a start@0",
              "b start@0",
              "c start@0",
              "a half@20",
              "b half@20",
              "c half@20",
              "a end@40",
              "b end@40",
              "c end@40");
    }

    @Test
    @DisplayName("the default scheduler and a thread outside the tasks do not wait: answers false")
    void noWaitOutsideTasks() {
      AtomicReference<Boolean> inTask = new AtomicReference<>();
      scheduler.execute(() -> inTask.set(scheduler.waitFor(s(1))));
      scheduler.runUntilIdle();

      assertThat(inTask.get()).isFalse();
      assertThat(scheduler.now()).isEqualTo(T0);
      assertThat(overlapping.waitFor(s(1))).isFalse();
      assertThat(overlapping.now()).isEqualTo(T0);
    }

    @Test
    @DisplayName(
        "work a waiting task schedules for now runs when it resumes, and a timer that comes due"
            + " during a wait runs at its time")
    void followUpsAndTimers() {
      overlapping.schedule(() -> trace.add("timer" + at()), Duration.ofMillis(30));
      overlapping.execute(
          () -> {
            overlapping.waitFor(Duration.ofMillis(50));
            overlapping.execute(() -> trace.add("follow-up" + at()));
            trace.add("waited" + at());
          });

      overlapping.runUntilIdle();

      assertThat(trace).containsExactly("timer@30", "waited@50", "follow-up@50");
      assertThat(overlapping.now()).isEqualTo(T0.plusMillis(50));
      assertThat(overlapping.pendingTasks()).isZero();
    }

    @Test
    @DisplayName("advance stops at its target once no task waits, running what is due on the way")
    void advanceWithWaits() {
      overlapping.execute(twoWaits("a"));
      overlapping.schedule(() -> trace.add("later" + at()), s(2));

      overlapping.advance(s(1));

      assertThat(overlapping.now()).isEqualTo(T0.plusSeconds(1));
      assertThat(trace).containsExactly("a start@0", "a half@20", "a end@40");
      assertThat(overlapping.pendingTasks()).isEqualTo(1);
    }

    @Test
    @DisplayName("a periodic task that waits is scheduled again after it ends, never overlapping")
    void periodicTaskWaits() {
      overlapping.scheduleWithFixedDelay(
          () -> {
            trace.add("beat" + at());
            overlapping.waitFor(Duration.ofMillis(300));
          },
          s(1),
          s(1));

      overlapping.advance(s(3));

      assertThat(trace).containsExactly("beat@1000", "beat@2300");
    }

    @Test
    @DisplayName("a failed assertion inside a task reaches the test; a runtime exception is logged")
    void errorsReachTheTest() {
      overlapping.execute(
          () -> {
            throw new IllegalStateException("logged only");
          });
      overlapping.execute(
          () -> {
            overlapping.waitFor(Duration.ofMillis(5));
            throw new AssertionError("seen by the test");
          });

      assertThatThrownBy(overlapping::runUntilIdle)
          .isInstanceOf(AssertionError.class)
          .hasMessage("seen by the test");
      assertThat(overlapping.now()).isEqualTo(T0.plusMillis(5));
    }

    @Test
    @DisplayName("refuses a negative wait")
    void negativeWait() {
      assertThatThrownBy(() -> overlapping.waitFor(Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("delay must not be negative: PT-0.001S");
    }
  }
}
