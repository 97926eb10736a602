package io.geored.spi.time;

/**
 * A monotonic time source: nanoseconds from an arbitrary origin, never going back and unaffected by
 * changes of the wall clock. Deadlines that must hold whatever the wall clock does (a witness
 * lease's, see {@link io.geored.spi.witness.WitnessLease}) are measured on it. In production it is
 * {@link System#nanoTime()}; tests and the simulation give each site a virtual one.
 */
@FunctionalInterface
public interface Ticker {

  /**
   * The current reading.
   *
   * @return nanoseconds from this ticker's origin; only differences between readings mean anything
   */
  long nanos();

  /**
   * The JVM's monotonic clock.
   *
   * @return a ticker reading {@link System#nanoTime()}
   */
  static Ticker system() {
    return System::nanoTime;
  }
}
