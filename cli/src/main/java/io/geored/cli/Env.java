package io.geored.cli;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What the command reads from outside its arguments: environment variables, the time, how it waits
 * between polls, and whether its output is a terminal. A test replaces the clock and the wait with
 * its own (for instance a virtual scheduler's), so a followed migration runs without real sleeps.
 *
 * @param variables environment variables by name
 * @param clock the clock elapsed times are measured on
 * @param sleeper waits between two polls
 * @param terminal whether standard output is a terminal (the status line is then rewritten in place
 *     with a carriage return)
 */
public record Env(Map<String, String> variables, Clock clock, Sleeper sleeper, boolean terminal) {

  /** Waits between two polls. */
  @FunctionalInterface
  public interface Sleeper {
    /**
     * Waits.
     *
     * @param duration how long
     * @throws InterruptedException when interrupted
     */
    void sleep(Duration duration) throws InterruptedException;
  }

  /**
   * Copies the variables.
   *
   * @param variables environment variables by name
   * @param clock the clock
   * @param sleeper the wait
   * @param terminal whether output is a terminal
   */
  public Env {
    variables = Map.copyOf(variables);
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(sleeper, "sleeper");
  }

  /**
   * The process's own environment, the system clock and real sleeps.
   *
   * @return the environment of a command run from a shell
   */
  public static Env system() {
    return new Env(
        System.getenv(),
        Clock.systemUTC(),
        d -> Thread.sleep(d.toMillis()),
        System.console() != null);
  }

  String variable(String name) {
    return variables.get(name);
  }
}
