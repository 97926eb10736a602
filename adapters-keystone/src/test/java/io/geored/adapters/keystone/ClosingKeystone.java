package io.geored.adapters.keystone;

import io.geored.testkit.realservice.Keystone;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Keystone served as {@code keystone-wsgi-public} serves it (Python's single-threaded wsgiref), but
 * saying {@code Connection: close} on every answer. wsgiref answers one request per connection and
 * then closes it without saying so; the JDK's HTTP client pools such a connection and may send the
 * next request on it before it notices, which fails a POST (a login) with "header parser received
 * no bytes". A real Keystone behind a production server keeps its connections or says it closes
 * them. Test support only.
 */
public final class ClosingKeystone {

  private static final String SCRIPT =
      String.join(
          "\n",
          "import sys",
          "import wsgiref.simple_server as wss",
          "from keystone.server.wsgi import initialize_public_application",
          "_cleanup = wss.ServerHandler.cleanup_headers",
          "def cleanup_headers(self):",
          "    _cleanup(self)",
          "    self.headers['Connection'] = 'close'",
          "wss.ServerHandler.cleanup_headers = cleanup_headers",
          "host, port = sys.argv[1], int(sys.argv[2])",
          "sys.argv[1:] = []",
          "server = wss.make_server(host, port, initialize_public_application())",
          "server.serve_forever()",
          "");

  private static final HttpClient PROBE =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ClosingKeystone() {}

  /**
   * The fixture's options with this server.
   *
   * @return options to add more to (e.g. a token expiration)
   */
  public static Keystone.Options options() {
    return Keystone.options()
        .file("serve.py", s -> SCRIPT)
        .server(
            // env runs the interpreter keystone-wsgi-public names (a python3 earlier on PATH may
            // lack Keystone); it execs it, so the service's process is Python itself.
            "env",
            s ->
                List.of(
                    interpreter(),
                    s.dir().resolve("serve.py").toString(),
                    "127.0.0.1",
                    Integer.toString(s.port(0))),
            port -> "http://127.0.0.1:" + port,
            s -> answers("http://127.0.0.1:" + s.port(0) + "/v3"));
  }

  /** The interpreter on the {@code #!} line of {@code keystone-wsgi-public}, else python3. */
  static String interpreter() {
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "" : path).split(java.io.File.pathSeparator)) {
      java.nio.file.Path script = java.nio.file.Path.of(dir, "keystone-wsgi-public");
      if (dir.isEmpty() || !java.nio.file.Files.isRegularFile(script)) {
        continue;
      }
      try (java.io.BufferedReader in = java.nio.file.Files.newBufferedReader(script)) {
        String first = in.readLine();
        if (first != null && first.startsWith("#!")) {
          return first.substring(2).trim().split("\\s+")[0];
        }
      } catch (java.io.IOException e) {
        // Not readable: the default below.
      }
    }
    return "python3";
  }

  private static boolean answers(String url) {
    try {
      return PROBE
              .send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
