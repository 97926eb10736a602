package io.geored.testkit.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs the same work on several real threads released together, for the concurrency contracts. */
final class Concurrently {

  /** Threads per concurrency test: enough to collide, few enough for two cores. */
  static final int THREADS = 4;

  /** Updates per thread in the compare-and-set tests. */
  static final int ITERATIONS = 200;

  /** The bound on a whole concurrent run; a store that deadlocks fails instead of hanging. */
  private static final long TIMEOUT_SECONDS = 120;

  /** Work of one thread; may throw, the first failure fails the run. */
  @FunctionalInterface
  interface Work {
    void run(int thread) throws Exception;
  }

  private Concurrently() {}

  static void run(int threads, Work work) throws Exception {
    AtomicInteger names = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads, r -> new Thread(r, "geored-contract-" + names.incrementAndGet()));
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Void>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  work.run(thread);
                  return null;
                }));
      }
      start.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
      for (Future<Void> future : done) {
        try {
          future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof Error error) {
            throw error;
          }
          throw e;
        } catch (TimeoutException e) {
          throw new AssertionError(
              "concurrent work did not end within " + TIMEOUT_SECONDS + " s", e);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
