package io.geored.testkit.work;

import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.time.Scheduler;
import io.geored.spi.work.RehomeOutcome;
import io.geored.spi.work.SubcloudRehomer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rehomer for tests that does what it is told per subcloud, in virtual time.
 *
 * <p>Each subcloud (found by name first, then by region name) gets a sequence of {@link
 * RehomeScript}s: its n-th call follows the n-th script, and once the sequence is used up the last
 * script repeats. Subclouds without a script follow the default ({@link RehomeScript#succeed()}
 * unless changed). A script that takes no time and waits for no gate answers an already completed
 * stage; otherwise the stage completes inside a task of the {@link Scheduler} (after the script's
 * duration, counted from the call or from the gate's opening), so a test drives it with {@code
 * advance} / {@code runUntilIdle} and can measure a migration's makespan in virtual time. An engine
 * must therefore not block a scheduler task on such a stage.
 *
 * <p>It counts calls per subcloud and the number of rehomes in flight, with the most ever in flight
 * at once (to check {@code max_subcloud_rehoming}). The sysadmin password is kept in {@link
 * RehomeCall} for assertions but never shown by a {@code toString} or a log line. Thread-safe.
 */
public final class ScriptedRehomer implements SubcloudRehomer {

  private static final Logger LOG = LoggerFactory.getLogger(ScriptedRehomer.class);

  /**
   * One call to {@link #rehome}.
   *
   * @param subcloud the subcloud as given
   * @param rehomeData the rehome data as given
   * @param sysadminPassword the password as given; {@link #toString()} masks it
   * @param calledAt the scheduler clock's time of the call
   */
  public record RehomeCall(
      Subcloud subcloud, RehomeData rehomeData, String sysadminPassword, Instant calledAt) {

    @Override
    public String toString() {
      return "RehomeCall[subcloud="
          + (subcloud == null ? null : subcloud.name())
          + ", rehomeData="
          + rehomeData
          + ", sysadminPassword="
          + (sysadminPassword == null ? null : "****")
          + ", calledAt="
          + calledAt
          + "]";
    }
  }

  private final Scheduler scheduler;
  private final Map<String, List<RehomeScript>> scripts = new HashMap<>();
  private final Map<String, Integer> used = new HashMap<>();
  private final List<RehomeCall> calls = new ArrayList<>();
  private RehomeScript fallback = RehomeScript.succeed();
  private int inFlight;
  private int maxInFlight;
  private int finished;

  /**
   * A rehomer whose unscripted subclouds succeed at once.
   *
   * @param scheduler completes timed and gated rehomes, usually the test's virtual scheduler
   */
  public ScriptedRehomer(Scheduler scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
  }

  /**
   * Sets what unscripted subclouds do.
   *
   * @param script the default, not null
   * @return this rehomer
   */
  public synchronized ScriptedRehomer byDefault(RehomeScript script) {
    this.fallback = Objects.requireNonNull(script, "script");
    return this;
  }

  /**
   * Scripts a subcloud's calls, replacing an earlier script for the same key and restarting its
   * sequence.
   *
   * @param subcloud the subcloud's name or region name
   * @param sequence the scripts of its first, second, ... call; the last repeats; at least one
   * @return this rehomer
   */
  public synchronized ScriptedRehomer script(String subcloud, RehomeScript... sequence) {
    Objects.requireNonNull(subcloud, "subcloud");
    if (sequence.length == 0) {
      throw new IllegalArgumentException("a script needs at least one step");
    }
    scripts.put(subcloud, List.of(sequence));
    used.remove(subcloud);
    return this;
  }

  @Override
  public CompletionStage<RehomeOutcome> rehome(
      Subcloud subcloud, RehomeData rehomeData, String sysadminPassword) {
    Objects.requireNonNull(subcloud, "subcloud");
    RehomeScript script;
    synchronized (this) {
      calls.add(
          new RehomeCall(subcloud, rehomeData, sysadminPassword, scheduler.clock().instant()));
      script = nextScript(subcloud);
      if (script.ending() != RehomeScript.Ending.THROW_ON_CALL) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
      }
    }
    LOG.debug("scripted rehome called subcloud={} script={}", subcloud.name(), script);
    if (script.ending() == RehomeScript.Ending.THROW_ON_CALL) {
      throw (RuntimeException) script.exception();
    }
    CompletableFuture<RehomeOutcome> stage = new CompletableFuture<>();
    if (script.gate() == null && script.duration().isZero()) {
      finish(stage, script);
      return stage;
    }
    Runnable afterGate = () -> scheduler.schedule(() -> finish(stage, script), script.duration());
    if (script.gate() == null) {
      afterGate.run();
    } else {
      script.gate().pass(afterGate);
    }
    return stage;
  }

  private RehomeScript nextScript(Subcloud subcloud) {
    String key = scripts.containsKey(subcloud.name()) ? subcloud.name() : subcloud.regionName();
    List<RehomeScript> sequence = key == null ? null : scripts.get(key);
    if (sequence == null) {
      return fallback;
    }
    int n = used.merge(key, 1, Integer::sum);
    return sequence.get(Math.min(n, sequence.size()) - 1);
  }

  private void finish(CompletableFuture<RehomeOutcome> stage, RehomeScript script) {
    synchronized (this) {
      // Out of flight before the stage completes: the engine's reaction may start the next rehome.
      inFlight--;
      finished++;
    }
    switch (script.ending()) {
      case SUCCEED -> stage.complete(new RehomeOutcome.Rehomed());
      case FAIL -> stage.complete(new RehomeOutcome.Failed(script.errorDescription()));
      case COMPLETE_EXCEPTIONALLY -> stage.completeExceptionally(script.exception());
      default -> throw new IllegalStateException("not a completing script: " + script);
    }
  }

  /**
   * How many times a subcloud was asked to rehome.
   *
   * @param subcloud its name or region name
   * @return the count
   */
  public synchronized int calls(String subcloud) {
    return (int)
        calls.stream()
            .filter(
                c ->
                    subcloud.equals(c.subcloud().name())
                        || subcloud.equals(c.subcloud().regionName()))
            .count();
  }

  /**
   * How many rehomes were asked for in all.
   *
   * @return the count
   */
  public synchronized int totalCalls() {
    return calls.size();
  }

  /**
   * Every call, in call order.
   *
   * @return an unmodifiable snapshot
   */
  public synchronized List<RehomeCall> callLog() {
    return List.copyOf(calls);
  }

  /**
   * The names of the subclouds asked to rehome, in call order (repeats included).
   *
   * @return an unmodifiable snapshot
   */
  public synchronized List<String> calledNames() {
    return calls.stream().map(c -> c.subcloud().name()).toList();
  }

  /**
   * Rehomes started and not yet ended (a throwing call never counts).
   *
   * @return the count
   */
  public synchronized int inFlight() {
    return inFlight;
  }

  /**
   * The most rehomes ever in flight at once.
   *
   * @return the count
   */
  public synchronized int maxInFlight() {
    return maxInFlight;
  }

  /**
   * Rehomes whose stage completed, normally or exceptionally.
   *
   * @return the count
   */
  public synchronized int finished() {
    return finished;
  }

  @Override
  public synchronized String toString() {
    return "ScriptedRehomer[calls="
        + calls.size()
        + ", inFlight="
        + inFlight
        + ", maxInFlight="
        + maxInFlight
        + ", scripted="
        + scripts.keySet()
        + "]";
  }
}
