package io.geored.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongSupplier;

/** Repeats a measured run and keeps the median, so one slow run on shared hardware is ignored. */
final class Timing {

  private Timing() {}

  /**
   * The median of {@code runs} results of a run that answers its own nanoseconds (so that set-up
   * outside the measured part is not counted).
   */
  static long medianNanos(int runs, LongSupplier measuredNanos) {
    List<Long> all = new ArrayList<>(runs);
    for (int i = 0; i < runs; i++) {
      all.add(measuredNanos.getAsLong());
    }
    Collections.sort(all);
    return all.get(runs / 2);
  }

  static double millis(long nanos) {
    return nanos / 1e6;
  }
}
