package io.geored.testkit.work;

import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.Subcloud;
import io.geored.spi.work.SubcloudProbe;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A probe for tests that answers what it is told per subcloud.
 *
 * <p>Each subcloud (found by name first, then by region name) gets a sequence of {@link Answer}s:
 * its n-th probe gets the n-th answer, and once the sequence is used up the last answer repeats.
 * Subclouds without a script get the default ({@link Answer#ONLINE} unless changed). Answers are
 * immediate: the stage is already complete, or the call throws. Thread-safe.
 */
public final class ScriptedProbe implements SubcloudProbe {

  /** The message of the exception behind {@link Answer#FAIL} and {@link Answer#THROW}. */
  public static final String FAILURE_MESSAGE = "scripted probe failure";

  /** What one probe answers. */
  public enum Answer {
    /** The stage completes with {@link AvailabilityStatus#ONLINE}. */
    ONLINE,
    /** The stage completes with {@link AvailabilityStatus#OFFLINE}. */
    OFFLINE,
    /** The stage completes exceptionally with an {@link IllegalStateException}. */
    FAIL,
    /** The call itself throws an {@link IllegalStateException}. */
    THROW
  }

  private final Map<String, List<Answer>> scripts = new HashMap<>();
  private final Map<String, Integer> used = new HashMap<>();
  private final List<String> probed = new ArrayList<>();
  private final Map<String, Integer> callsByKey = new HashMap<>();
  private Answer fallback = Answer.ONLINE;

  /** A probe that finds every unscripted subcloud online. */
  public ScriptedProbe() {}

  /**
   * Sets what unscripted subclouds answer.
   *
   * @param answer the default, not null
   * @return this probe
   */
  public synchronized ScriptedProbe byDefault(Answer answer) {
    this.fallback = Objects.requireNonNull(answer, "answer");
    return this;
  }

  /**
   * Scripts a subcloud's answers, replacing an earlier script for the same key and restarting its
   * sequence.
   *
   * @param subcloud the subcloud's name or region name
   * @param sequence the answers to its first, second, ... probe; the last repeats; at least one
   * @return this probe
   */
  public synchronized ScriptedProbe script(String subcloud, Answer... sequence) {
    Objects.requireNonNull(subcloud, "subcloud");
    if (sequence.length == 0) {
      throw new IllegalArgumentException("a script needs at least one answer");
    }
    scripts.put(subcloud, List.of(sequence));
    used.remove(subcloud);
    return this;
  }

  @Override
  public CompletionStage<AvailabilityStatus> probe(Subcloud subcloud) {
    Objects.requireNonNull(subcloud, "subcloud");
    Answer answer;
    synchronized (this) {
      probed.add(subcloud.name());
      countFor(subcloud.name());
      if (subcloud.regionName() != null && !subcloud.regionName().equals(subcloud.name())) {
        countFor(subcloud.regionName());
      }
      answer = nextAnswer(subcloud);
    }
    return switch (answer) {
      case ONLINE -> CompletableFuture.completedFuture(AvailabilityStatus.ONLINE);
      case OFFLINE -> CompletableFuture.completedFuture(AvailabilityStatus.OFFLINE);
      case FAIL -> CompletableFuture.failedFuture(new IllegalStateException(FAILURE_MESSAGE));
      case THROW -> throw new IllegalStateException(FAILURE_MESSAGE);
    };
  }

  private void countFor(String key) {
    if (key != null) {
      callsByKey.merge(key, 1, Integer::sum);
    }
  }

  private Answer nextAnswer(Subcloud subcloud) {
    String key = scripts.containsKey(subcloud.name()) ? subcloud.name() : subcloud.regionName();
    List<Answer> sequence = key == null ? null : scripts.get(key);
    if (sequence == null) {
      return fallback;
    }
    int n = used.merge(key, 1, Integer::sum);
    return sequence.get(Math.min(n, sequence.size()) - 1);
  }

  /**
   * How many times a subcloud was probed.
   *
   * @param subcloud its name or region name
   * @return the count
   */
  public synchronized int calls(String subcloud) {
    return callsByKey.getOrDefault(subcloud, 0);
  }

  /**
   * How many probes were made in all.
   *
   * @return the count
   */
  public synchronized int totalCalls() {
    return probed.size();
  }

  /**
   * The names of the subclouds probed, in call order (repeats included).
   *
   * @return an unmodifiable snapshot
   */
  public synchronized List<String> probedNames() {
    return Collections.unmodifiableList(new ArrayList<>(probed));
  }

  @Override
  public synchronized String toString() {
    return "ScriptedProbe[calls=" + probed.size() + ", scripted=" + scripts.keySet() + "]";
  }
}
