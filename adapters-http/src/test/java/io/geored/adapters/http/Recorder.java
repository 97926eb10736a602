package io.geored.adapters.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback server that records every raw request and answers either with a canned answer or
 * through a {@link GeoredHttpHandler} (a real site behind it). Test support only.
 */
final class Recorder implements AutoCloseable {

  /** One request as it arrived. */
  record Seen(String method, String path, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  private final HttpServer server;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

  /** One request and the answer it got. */
  record Exchange(Seen request, GeoredHttpHandler.Response answer) {}

  private volatile GeoredHttpHandler.Response canned;

  Recorder(GeoredHttpHandler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          Seen request = read(exchange);
          seen.add(request);
          GeoredHttpHandler.Response answer =
              canned != null
                  ? canned
                  : handler.handle(
                      new GeoredHttpHandler.Request(
                          request.method(), request.path(), request.headers(), request.body()));
          exchanges.add(new Exchange(request, answer));
          exchange.getResponseHeaders().add("Content-Type", answer.contentType());
          exchange.sendResponseHeaders(answer.status(), answer.body().length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body());
          }
        });
    server.start();
  }

  private static Seen read(HttpExchange exchange) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
    byte[] body = exchange.getRequestBody().readAllBytes();
    return new Seen(
        exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers, body);
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1.0");
  }

  void answer(int status, String body) {
    canned =
        new GeoredHttpHandler.Response(
            status, "application/json", body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  Seen last() {
    return seen.get(seen.size() - 1);
  }

  List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  List<Seen> all() {
    return List.copyOf(seen);
  }

  void clear() {
    seen.clear();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
