package io.geored.benchmarks;

import io.geored.adapters.http.GeoredHttpHandler;
import io.geored.spi.api.Caller;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.SiteApi;
import io.geored.testkit.sim.SimHarness;
import io.geored.testkit.time.VirtualScheduler;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Heartbeats over loopback HTTP: the call a peer monitor sends each interval (listing the peer's
 * groups; B holds one), from site A's HTTP client to site B's server, back to back; and beside
 * them, in the same run and interleaved with them, bare round trips of the same answer size through
 * the same client and server stack to a route that answers at once (the floor of {@link
 * LoopbackSite}).
 */
public final class HeartbeatFigure {

  /** Rounds of beats and bare round trips, taken in turn; the medians are reported. */
  static final int ROUNDS = 10;

  /**
   * Heartbeat throughput and cost, beside the bare round trip's.
   *
   * @param beats heartbeats sent in the measured part (as many bare round trips)
   * @param callsPerSecond heartbeats answered per wall-clock second, one caller
   * @param cpuMicrosPerBeat CPU time of the Java threads per heartbeat, client and server together
   *     (both run in this JVM)
   * @param bareCallsPerSecond bare round trips per second, one caller
   * @param bareCpuMicros CPU time of the Java threads per bare round trip
   * @param answerBytes the heartbeat's answer size, which the bare round trip's answer matches
   */
  public record Result(
      int beats,
      double callsPerSecond,
      double cpuMicrosPerBeat,
      double bareCallsPerSecond,
      double bareCpuMicros,
      int answerBytes) {

    /** CPU per beat over CPU per bare round trip. */
    public double cpuRatio() {
      return cpuMicrosPerBeat / bareCpuMicros;
    }
  }

  private HeartbeatFigure() {}

  /**
   * Sends {@code beats} heartbeats and as many bare round trips, after a warm-up of both, in {@link
   * #ROUNDS} alternating rounds.
   *
   * @param beats how many to measure
   * @return throughput and CPU per beat, the heartbeat's and the bare round trip's
   */
  public static Result run(int beats) {
    VirtualScheduler scheduler = new VirtualScheduler();
    try (LoopbackSite a = new LoopbackSite(SimHarness.SITE_A, scheduler);
        LoopbackSite b = new LoopbackSite(SimHarness.SITE_B, scheduler)) {
      a.knows(b);
      // The group the two sites share: a beat's answer lists it (the monitor reads its state).
      b.api()
          .createPeerGroup(
              Caller.OPERATOR,
              PeerGroupCreate.builder().peerGroupName("pg1").maxSubcloudRehoming(5).build());
      SiteApi bFromA = a.clientTo(b);
      int answerBytes = answerBytes(b);
      RecordingHttpClient.Call bare =
          new RecordingHttpClient.Call("GET", LoopbackSite.FLOOR_PATH, null, 0, answerBytes);
      HttpClient http = FloorFigure.peerSitesClient();
      Map<Integer, byte[]> bodies = Map.of();
      Runnable beat = () -> bFromA.listPeerGroups(Caller.OPERATOR);
      Runnable roundTrip = () -> FloorFigure.roundTrip(http, b.floorUri(), bare, bodies);
      int warmUp = Math.max(500, beats / 2);
      repeat(beat, warmUp);
      repeat(roundTrip, warmUp);
      int perRound = Math.max(1, beats / ROUNDS);
      List<double[]> beatRounds = new ArrayList<>();
      List<double[]> bareRounds = new ArrayList<>();
      for (int round = 0; round < ROUNDS; round++) {
        beatRounds.add(measure(beat, perRound));
        bareRounds.add(measure(roundTrip, perRound));
      }
      return new Result(
          perRound * ROUNDS,
          median(beatRounds, 0),
          median(beatRounds, 1),
          median(bareRounds, 0),
          median(bareRounds, 1),
          answerBytes);
    }
  }

  /** The size of B's answer to a heartbeat, read once with a plain request. */
  private static int answerBytes(LoopbackSite b) {
    try {
      HttpResponse<byte[]> answer =
          FloorFigure.peerSitesClient()
              .send(
                  HttpRequest.newBuilder(java.net.URI.create(b.baseUri() + "/subcloud-peer-groups"))
                      .header(GeoredHttpHandler.AUTH_HEADER, LoopbackSite.TOKEN)
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      if (answer.statusCode() != 200) {
        throw new IllegalStateException("heartbeat answered " + answer.statusCode());
      }
      return answer.body().length;
    } catch (IOException e) {
      throw new IllegalStateException("heartbeat size unknown", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void repeat(Runnable call, int times) {
    for (int i = 0; i < times; i++) {
      call.run();
    }
  }

  /**
   * Calls per second and CPU microseconds per call of {@code times} calls in a row. The CPU is that
   * of this JVM's Java threads (the caller, the HTTP client's, the server's): the JIT compiler and
   * the garbage collector, whose bursts would blur a comparison of two small calls, are left out.
   */
  private static double[] measure(Runnable call, int times) {
    Map<Long, Long> cpuStart = threadCpuNanos();
    long start = System.nanoTime();
    repeat(call, times);
    long nanos = System.nanoTime() - start;
    Map<Long, Long> cpuEnd = threadCpuNanos();
    long cpu = 0;
    for (Map.Entry<Long, Long> thread : cpuEnd.entrySet()) {
      cpu += thread.getValue() - cpuStart.getOrDefault(thread.getKey(), 0L);
    }
    return new double[] {times / (nanos / 1e9), cpu / 1e3 / times};
  }

  /** CPU time of each live Java thread, by id. */
  private static Map<Long, Long> threadCpuNanos() {
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Long, Long> out = new java.util.HashMap<>();
    for (long id : threads.getAllThreadIds()) {
      long cpu = threads.getThreadCpuTime(id);
      if (cpu >= 0) {
        out.put(id, cpu);
      }
    }
    return out;
  }

  private static double median(List<double[]> rounds, int index) {
    List<Double> values = new ArrayList<>();
    rounds.forEach(r -> values.add(r[index]));
    Collections.sort(values);
    return values.get(values.size() / 2);
  }
}
