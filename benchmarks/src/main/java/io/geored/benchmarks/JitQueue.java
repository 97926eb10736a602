package io.geored.benchmarks;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The JIT compilers' work queue, read through the JVM's diagnostic command {@code Compiler.queue}:
 * a timed run that starts while compilations queued by its set-up are still pending shares the
 * cores with them, and its wall time counts them.
 */
final class JitQueue {

  private static final long POLL_MILLIS = 5;

  private JitQueue() {}

  /**
   * Waits until no compilation runs or waits in either compiler's queue, at most {@code
   * budgetMillis}.
   *
   * @param budgetMillis the longest wait
   * @return whether the queue was seen idle (false: the budget ran out, or the JVM does not answer
   *     the command)
   */
  static boolean awaitIdle(long budgetMillis) {
    long deadline = System.nanoTime() + budgetMillis * 1_000_000L;
    while (true) {
      String queue = describe();
      if (queue == null) {
        return false;
      }
      if (isIdle(queue)) {
        return true;
      }
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /**
   * Whether the text of {@code Compiler.queue} says nothing is compiling or queued.
   *
   * @param queue the command's answer
   * @return true when both queues are empty and no compilation is current
   */
  static boolean isIdle(String queue) {
    int c1 = queue.indexOf("C1 compile queue:");
    if (c1 < 0) {
      return false;
    }
    // "Current compiles:" is followed by one line per running compilation, then a blank line.
    String current = queue.substring(0, c1).replace("Current compiles:", "").strip();
    String queues = queue.substring(c1);
    int entries = 0;
    for (String line : queues.split("\n")) {
      String l = line.strip();
      if (!l.isEmpty() && !l.endsWith("compile queue:") && !l.equals("Empty")) {
        entries++;
      }
    }
    return current.isEmpty() && entries == 0;
  }

  /** The command's answer, or null where the JVM does not answer it (tests). */
  static String describeForTest() {
    return describe();
  }

  private static String describe() {
    try {
      Object answer =
          ManagementFactory.getPlatformMBeanServer()
              .invoke(
                  new ObjectName("com.sun.management:type=DiagnosticCommand"),
                  "compilerQueue",
                  new Object[] {null},
                  new String[] {String[].class.getName()});
      return answer instanceof String s ? s : null;
    } catch (JMException | RuntimeException e) {
      return null;
    }
  }
}
