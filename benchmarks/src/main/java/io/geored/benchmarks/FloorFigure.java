package io.geored.benchmarks;

import io.geored.adapters.http.GeoredHttpHandler;
import io.geored.adapters.http.HttpPeerSites;
import io.geored.adapters.http.HttpSiteClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The floor under the engine's calls over loopback HTTP: bare round trips of given sizes through
 * the same client and server stack (a JDK {@link HttpClient} built as {@link HttpPeerSites} builds
 * its own, the same headers, the Jetty server of a {@link LoopbackSite}) to a route that answers at
 * once. What the engine's call costs beyond it is geored's own work: JSON and multipart, the
 * handler, the rules, the stores.
 */
final class FloorFigure {

  private FloorFigure() {}

  /**
   * A client with the settings of {@link HttpPeerSites}' own (HTTP/1.1, no redirects, 5 s, its
   * tasks run inline).
   */
  static HttpClient peerSitesClient() {
    return HttpClient.newBuilder()
        .connectTimeout(HttpPeerSites.DEFAULT_CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1)
        .executor(HttpPeerSites.INLINE)
        .build();
  }

  /** True for the calls a sync makes once per subcloud (the ones it runs in parallel). */
  static boolean perSubcloud(RecordingHttpClient.Call call) {
    return call.path().matches(".*/subclouds(/.*)?");
  }

  /**
   * Replays a sync's calls as bare round trips, shaped as the sync runs them: the calls before the
   * first per-subcloud call one after the other, the per-subcloud calls with {@code concurrency} in
   * flight, the rest one after the other.
   *
   * @param calls the sync's calls, as recorded
   * @param floor the floor's URL
   * @param concurrency round trips in flight during the per-subcloud part
   * @return the wall time of the whole replay
   */
  static long replayNanos(List<RecordingHttpClient.Call> calls, URI floor, int concurrency) {
    List<RecordingHttpClient.Call> before = new ArrayList<>();
    List<RecordingHttpClient.Call> fanned = new ArrayList<>();
    List<RecordingHttpClient.Call> after = new ArrayList<>();
    for (RecordingHttpClient.Call call : calls) {
      if (perSubcloud(call)) {
        fanned.add(call);
      } else {
        (fanned.isEmpty() ? before : after).add(call);
      }
    }
    Map<Integer, byte[]> bodies = new HashMap<>();
    for (RecordingHttpClient.Call call : calls) {
      bodies.computeIfAbsent(call.requestBytes(), LoopbackSite::jsonOfSize);
    }
    HttpClient http = peerSitesClient();
    ExecutorService lanes = Executors.newFixedThreadPool(concurrency);
    try {
      long start = System.nanoTime();
      for (RecordingHttpClient.Call call : before) {
        roundTrip(http, floor, call, bodies);
      }
      ConcurrentLinkedQueue<RecordingHttpClient.Call> queue = new ConcurrentLinkedQueue<>(fanned);
      AtomicReference<RuntimeException> failure = new AtomicReference<>();
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        running.add(
            lanes.submit(
                () -> {
                  RecordingHttpClient.Call next;
                  while ((next = queue.poll()) != null && failure.get() == null) {
                    try {
                      roundTrip(http, floor, next, bodies);
                    } catch (RuntimeException e) {
                      failure.compareAndSet(null, e);
                    }
                  }
                }));
      }
      for (Future<?> lane : running) {
        lane.get();
      }
      if (failure.get() != null) {
        throw failure.get();
      }
      for (RecordingHttpClient.Call call : after) {
        roundTrip(http, floor, call, bodies);
      }
      return System.nanoTime() - start;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("floor interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("floor failed", e.getCause());
    } finally {
      lanes.shutdownNow();
    }
  }

  /**
   * One bare round trip: the request a site client sends for {@code call} (its method, headers,
   * content type and body size), answered by the floor with a body of the call's answer size.
   */
  static void roundTrip(
      HttpClient http, URI floor, RecordingHttpClient.Call call, Map<Integer, byte[]> bodies) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(floor)
            .timeout(HttpPeerSites.DEFAULT_REQUEST_TIMEOUT)
            .header(GeoredHttpHandler.AUTH_HEADER, LoopbackSite.TOKEN)
            .header("User-Agent", HttpSiteClient.OPERATOR_USER_AGENT)
            .header("Accept", "application/json")
            .header(LoopbackSite.ANSWER_BYTES, Integer.toString(call.answerBytes()));
    if (call.contentType() != null) {
      b.header("Content-Type", call.contentType())
          .method(
              call.method(),
              HttpRequest.BodyPublishers.ofByteArray(bodies.get(call.requestBytes())));
    } else {
      b.method(call.method(), HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new IllegalStateException("floor round trip failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("floor round trip interrupted", e);
    }
    if (response.statusCode() != 200 || response.body().length != call.answerBytes()) {
      throw new IllegalStateException(
          "floor answered " + response.statusCode() + " with " + response.body().length + " bytes");
    }
  }
}
