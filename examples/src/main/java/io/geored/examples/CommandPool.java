package io.geored.examples;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The bounded thread pools the command rehomer and probe wait on their processes with. */
final class CommandPool {

  /** How long {@link #stop} waits for destroyed commands to end. */
  private static final long STOP_SECONDS = 30;

  private CommandPool() {}

  /**
   * A pool running at most {@code threads} commands at once; the rest wait in order. Idle threads
   * end after a minute; they are daemon threads, so they never keep the process alive.
   */
  static ExecutorService fixed(String name, int threads) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, name + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads, threads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), factory);
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** Interrupts the running waits (which destroy their commands) and waits for them, bounded. */
  static void stop(ExecutorService pool) {
    pool.shutdownNow();
    try {
      pool.awaitTermination(STOP_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
