package io.geored.adapters.etcd;

import io.geored.testkit.realservice.RealServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** A real single-member etcd for tests, started by {@link RealServices} on free loopback ports. */
final class EtcdServer {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private EtcdServer() {}

  /**
   * The description: client URL on port 0, peer URL on port 1, data in the service's folder; ready
   * when {@code /health} answers 200 with {@code "health":"true"}. {@code GEORED_ETCD} may name the
   * binary.
   */
  static RealServices.Service service() {
    return RealServices.service("etcd")
        .pathVariable("GEORED_ETCD")
        .ports(2)
        .args(
            s ->
                List.of(
                    "--name=witness",
                    "--data-dir=" + s.dir().resolve("data"),
                    "--listen-client-urls=http://127.0.0.1:" + s.port(0),
                    "--advertise-client-urls=http://127.0.0.1:" + s.port(0),
                    "--listen-peer-urls=http://127.0.0.1:" + s.port(1),
                    "--initial-advertise-peer-urls=http://127.0.0.1:" + s.port(1),
                    "--initial-cluster=witness=http://127.0.0.1:" + s.port(1)))
        .readyWhen(s -> healthy(s.port(0)))
        .budget(Duration.ofSeconds(30));
  }

  static String endpoint(RealServices.Running etcd) {
    return "http://127.0.0.1:" + etcd.port(0);
  }

  private static boolean healthy(int port) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                  .timeout(Duration.ofSeconds(1))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains("\"health\":\"true\"");
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
