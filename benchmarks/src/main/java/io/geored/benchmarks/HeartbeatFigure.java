package io.geored.benchmarks;

import io.geored.spi.api.Caller;
import io.geored.spi.api.SiteApi;
import io.geored.testkit.sim.SimHarness;
import io.geored.testkit.time.VirtualScheduler;
import java.lang.management.ManagementFactory;

/**
 * Heartbeats over loopback HTTP: the call a peer monitor sends each interval (listing the peer's
 * groups), from site A's HTTP client to site B's server, back to back.
 */
public final class HeartbeatFigure {

  /**
   * Heartbeat throughput and cost.
   *
   * @param beats heartbeats sent in the measured part
   * @param callsPerSecond heartbeats answered per wall-clock second, one caller
   * @param cpuMicrosPerBeat process CPU time per heartbeat, client and server together (both run in
   *     this JVM)
   */
  public record Result(int beats, double callsPerSecond, double cpuMicrosPerBeat) {}

  private HeartbeatFigure() {}

  /**
   * Sends {@code beats} heartbeats after a warm-up.
   *
   * @param beats how many to measure
   * @return throughput and CPU per beat
   */
  public static Result run(int beats) {
    VirtualScheduler scheduler = new VirtualScheduler();
    try (LoopbackSite a = new LoopbackSite(SimHarness.SITE_A, scheduler);
        LoopbackSite b = new LoopbackSite(SimHarness.SITE_B, scheduler)) {
      a.knows(b);
      SiteApi bFromA = a.clientTo(b);
      for (int i = 0; i < Math.max(500, beats / 5); i++) {
        bFromA.listPeerGroups(Caller.OPERATOR);
      }
      long cpuStart = processCpuNanos();
      long start = System.nanoTime();
      for (int i = 0; i < beats; i++) {
        bFromA.listPeerGroups(Caller.OPERATOR);
      }
      long nanos = System.nanoTime() - start;
      long cpu = processCpuNanos() - cpuStart;
      return new Result(beats, beats / (nanos / 1e9), cpu / 1e3 / beats);
    }
  }

  /** This JVM's CPU time, all threads; -1 where the platform does not tell. */
  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
