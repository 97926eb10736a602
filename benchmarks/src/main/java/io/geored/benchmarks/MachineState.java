package io.geored.benchmarks;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What the machine and the JVM hold when a timed figure starts: the kernel's dirty and writeback
 * page cache (what earlier figures wrote and the disk has not yet taken), the heap in use, the
 * collections so far, the live threads and the JIT's compile time. The report prints it before each
 * section and each figure sensitive to it, so that a figure slower in the whole run than alone can
 * be set beside the state it started in.
 */
final class MachineState {

  private static final Path MEMINFO = Path.of("/proc/meminfo");

  private MachineState() {}

  /** One line: dirty and writeback MB (or "unknown"), heap MB, GCs, threads, JIT ms. */
  static String describe() {
    long[] pages = dirtyAndWritebackKb();
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long gcs = 0;
    long gcMillis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcs += Math.max(0, gc.getCollectionCount());
      gcMillis += Math.max(0, gc.getCollectionTime());
    }
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    long jitMillis =
        jit != null && jit.isCompilationTimeMonitoringSupported()
            ? jit.getTotalCompilationTime()
            : -1;
    return String.format(
        Locale.ROOT,
        "%s: %s; heap used %.0f MB; %d GCs (%d ms); %d live threads; JIT %d ms",
        java.time.Instant.now(),
        pages == null
            ? "dirty/writeback pages unknown"
            : String.format(
                Locale.ROOT,
                "dirty %.1f MB, writeback %.1f MB",
                pages[0] / 1024.0,
                pages[1] / 1024.0),
        heap.getUsed() / (1024.0 * 1024.0),
        gcs,
        gcMillis,
        ManagementFactory.getThreadMXBean().getThreadCount(),
        jitMillis);
  }

  /**
   * A reading of the CPU the whole machine and this process have used so far, to tell, between two
   * readings, how much CPU other processes took: on a shared machine a timed figure is slower when
   * another process holds a core during it, whatever the figure's own state.
   *
   * @param machineBusyNanos CPU time all cores spent busy (not idle, not waiting for I/O), or -1
   *     where /proc/stat is not readable
   * @param processNanos CPU time of this JVM
   * @param wallNanos when the reading was taken ({@link System#nanoTime()})
   */
  record Cpu(long machineBusyNanos, long stealNanos, long processNanos, long wallNanos) {

    /** Reads the counters now. */
    static Cpu now() {
      long process = -1;
      if (ManagementFactory.getOperatingSystemMXBean()
          instanceof com.sun.management.OperatingSystemMXBean os) {
        process = os.getProcessCpuTime();
      }
      long[] busyAndSteal = readMachineBusyAndStealNanos();
      return new Cpu(busyAndSteal[0], busyAndSteal[1], process, System.nanoTime());
    }

    /**
     * The cores other processes kept busy on average since {@code earlier}, or -1 where unknown.
     */
    double othersCoresSince(Cpu earlier) {
      if (machineBusyNanos < 0 || earlier.machineBusyNanos < 0 || processNanos < 0) {
        return -1;
      }
      long others =
          (machineBusyNanos - earlier.machineBusyNanos) - (processNanos - earlier.processNanos);
      return Math.max(0, others) / (double) Math.max(1, wallNanos - earlier.wallNanos);
    }

    /**
     * The cores the hypervisor gave to others since {@code earlier} (steal time: the machine's
     * virtual cores waiting for a physical one), or -1 where unknown.
     */
    double stealCoresSince(Cpu earlier) {
      if (stealNanos < 0 || earlier.stealNanos < 0) {
        return -1;
      }
      return (stealNanos - earlier.stealNanos)
          / (double) Math.max(1, wallNanos - earlier.wallNanos);
    }

    /** What this JVM and the rest of the machine used since {@code earlier}, as one phrase. */
    String since(Cpu earlier) {
      double own =
          processNanos < 0
              ? -1
              : (processNanos - earlier.processNanos)
                  / (double) Math.max(1, wallNanos - earlier.wallNanos);
      return String.format(
          Locale.ROOT,
          "this JVM %.2f cores, other processes %.2f cores, stolen by the hypervisor %.2f cores",
          own,
          othersCoresSince(earlier),
          stealCoresSince(earlier));
    }
  }

  /** USER_HZ of /proc/stat: 100 on every Linux this runs on. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private static long[] readMachineBusyAndStealNanos() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = first.trim().split("\\s+");
      // cpu user nice system idle iowait irq softirq steal ...
      long busy = 0;
      for (int i : new int[] {1, 2, 3, 6, 7}) {
        busy += Long.parseLong(f[i]);
      }
      long steal = f.length > 8 ? Long.parseLong(f[8]) : -1;
      return new long[] {busy * NANOS_PER_TICK, steal < 0 ? -1 : steal * NANOS_PER_TICK};
    } catch (IOException | RuntimeException e) {
      return new long[] {-1, -1};
    }
  }

  /** Dirty and writeback pages below which the disk counts as settled, in kB. */
  static final long SETTLED_KB = 16 * 1024;

  /**
   * Asks the kernel to write its dirty pages ({@code sync}) and waits, at most the time given,
   * until the dirty and writeback pages are below {@link #SETTLED_KB}: a figure that waits for the
   * disk (a commit with fsync on) then does not queue behind what earlier figures wrote.
   *
   * @param atMost the longest wait
   * @return what it found and how long it waited
   */
  static String settleDisk(java.time.Duration atMost) {
    long start = System.nanoTime();
    long deadline = start + atMost.toNanos();
    long[] before = dirtyAndWritebackKb();
    if (before == null) {
      return "dirty/writeback pages unknown; not waited";
    }
    Thread syncer =
        new Thread(
            () -> {
              try {
                new ProcessBuilder("sync").inheritIO().start().waitFor();
              } catch (IOException e) {
                // No sync command: the kernel writes the pages back on its own schedule.
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "sync");
    syncer.setDaemon(true);
    syncer.start();
    long[] now = before;
    while (now != null && now[0] + now[1] >= SETTLED_KB && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      now = dirtyAndWritebackKb();
    }
    boolean settled = now != null && now[0] + now[1] < SETTLED_KB;
    return String.format(
        Locale.ROOT,
        "dirty+writeback %.1f MB -> %.1f MB in %d ms%s",
        (before[0] + before[1]) / 1024.0,
        now == null ? -1 : (now[0] + now[1]) / 1024.0,
        (System.nanoTime() - start) / 1_000_000,
        settled ? "" : " (not settled: the figures that wait for the disk may queue behind it)");
  }

  /** Dirty and Writeback of /proc/meminfo in kB, or null where the platform has no such file. */
  static long[] dirtyAndWritebackKb() {
    List<String> lines;
    try {
      lines = Files.readAllLines(MEMINFO);
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return new long[] {field(lines, "Dirty:"), field(lines, "Writeback:")};
  }

  private static long field(List<String> lines, String name) {
    for (String line : lines) {
      if (line.startsWith(name)) {
        String[] parts = line.substring(name.length()).trim().split("\\s+");
        return Long.parseLong(parts[0]);
      }
    }
    return 0;
  }
}
