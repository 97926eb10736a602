package io.geored.testkit.work;

import io.geored.spi.work.RehomeOutcome;
import java.time.Duration;
import java.util.Objects;

/**
 * How one scripted rehome goes: how it ends, how much virtual time it takes, and whether it waits
 * for a {@link Gate} first. Immutable; {@link #taking} and {@link #awaiting} return copies.
 *
 * <ul>
 *   <li>{@link #succeed()}: the stage completes with {@link RehomeOutcome.Rehomed};
 *   <li>{@link #fail(String)}: the stage completes with {@link RehomeOutcome.Failed} and that text;
 *   <li>{@link #completeExceptionally(Throwable)}: the stage completes exceptionally;
 *   <li>{@link #throwOnCall(RuntimeException)}: {@code rehome} itself throws, no stage is returned.
 * </ul>
 */
public final class RehomeScript {

  enum Ending {
    SUCCEED,
    FAIL,
    COMPLETE_EXCEPTIONALLY,
    THROW_ON_CALL
  }

  private final Ending ending;
  private final String errorDescription;
  private final Throwable exception;
  private final Duration duration;
  private final Gate gate;

  private RehomeScript(
      Ending ending, String errorDescription, Throwable exception, Duration duration, Gate gate) {
    this.ending = ending;
    this.errorDescription = errorDescription;
    this.exception = exception;
    this.duration = duration;
    this.gate = gate;
  }

  /**
   * A rehome that succeeds.
   *
   * @return the script, taking no time
   */
  public static RehomeScript succeed() {
    return new RehomeScript(Ending.SUCCEED, null, null, Duration.ZERO, null);
  }

  /**
   * A rehome that fails with an error description.
   *
   * @param errorDescription the text, not null
   * @return the script, taking no time
   */
  public static RehomeScript fail(String errorDescription) {
    Objects.requireNonNull(errorDescription, "errorDescription");
    return new RehomeScript(Ending.FAIL, errorDescription, null, Duration.ZERO, null);
  }

  /**
   * A rehome whose stage completes exceptionally.
   *
   * @param exception the exception, not null
   * @return the script, taking no time
   */
  public static RehomeScript completeExceptionally(Throwable exception) {
    Objects.requireNonNull(exception, "exception");
    return new RehomeScript(Ending.COMPLETE_EXCEPTIONALLY, null, exception, Duration.ZERO, null);
  }

  /**
   * A rehome whose call throws at once, before any stage exists. Duration and gate do not apply.
   *
   * @param exception the exception, not null
   * @return the script
   */
  public static RehomeScript throwOnCall(RuntimeException exception) {
    Objects.requireNonNull(exception, "exception");
    return new RehomeScript(Ending.THROW_ON_CALL, null, exception, Duration.ZERO, null);
  }

  /**
   * The same ending after some virtual time: the stage completes through the scheduler that much
   * later (counted from the call, or from the gate's opening).
   *
   * @param value zero or more
   * @return a copy
   */
  public RehomeScript taking(Duration value) {
    Objects.requireNonNull(value, "duration");
    if (value.isNegative()) {
      throw new IllegalArgumentException("duration must not be negative: " + value);
    }
    return new RehomeScript(ending, errorDescription, exception, value, gate);
  }

  /**
   * The same ending, held until a gate opens.
   *
   * @param value the gate, not null
   * @return a copy
   */
  public RehomeScript awaiting(Gate value) {
    Objects.requireNonNull(value, "gate");
    return new RehomeScript(ending, errorDescription, exception, duration, value);
  }

  Ending ending() {
    return ending;
  }

  String errorDescription() {
    return errorDescription;
  }

  Throwable exception() {
    return exception;
  }

  Duration duration() {
    return duration;
  }

  Gate gate() {
    return gate;
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("RehomeScript[").append(ending);
    if (errorDescription != null) {
      text.append(" '").append(errorDescription).append('\'');
    }
    if (exception != null) {
      text.append(' ').append(exception.getClass().getSimpleName());
    }
    if (!duration.isZero()) {
      text.append(", taking ").append(duration);
    }
    if (gate != null) {
      text.append(", awaiting ").append(gate);
    }
    return text.append(']').toString();
  }
}
