package io.geored.testkit.realservice;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * A {@link Keystone} served over https, for tests of TLS towards Keystone. {@code
 * keystone-wsgi-public} has no TLS of its own, so the same Keystone application ({@code
 * keystone.server.wsgi.initialize_public_application()}, configured as the fixture configures it)
 * runs under a few lines of Python: the reference {@code wsgiref} server, its listening socket
 * wrapped by an {@code ssl.SSLContext} with the key and certificate chain of a PKCS#12 key store
 * (read with the {@code cryptography} package Keystone itself depends on). It runs with the
 * interpreter of {@code keystone-wsgi-public}'s {@code #!} line, so it finds the same Keystone.
 *
 * <pre>{@code
 * Keystone keystone =
 *     Keystone.start(services, KeystoneHttps.options(services, keyStore, passwordFile, trust));
 * keystone.authUrl(); // https://127.0.0.1:<port>/v3
 * }</pre>
 *
 * The key store's certificate must list {@code 127.0.0.1} (an IP subject alternative name): the
 * fixture and its clients call that address. {@code trust} is what the fixture's own admin client
 * and its readiness check trust, so the Keystone can be set up even when the client under test
 * refuses its certificate.
 */
public final class KeystoneHttps {

  /** The script's file name in the Keystone's folder. */
  public static final String SCRIPT = "keystone-https.py";

  private KeystoneHttps() {}

  /**
   * Options that serve the Keystone over https on 127.0.0.1.
   *
   * @param services the extension (to find {@code keystone-wsgi-public} and its interpreter)
   * @param keyStore a PKCS#12 key store with the server's key and certificate chain
   * @param passwordFile a file whose first line is the key store's password
   * @param trust what the fixture's admin client and readiness check trust
   * @return the options, to complete (e.g. with a token expiration)
   * @throws org.opentest4j.TestAbortedException when Keystone is not installed and this is not CI
   */
  public static Keystone.Options options(
      RealServices services, Path keyStore, Path passwordFile, SSLContext trust) {
    Objects.requireNonNull(keyStore, "keyStore");
    Objects.requireNonNull(passwordFile, "passwordFile");
    Path wsgi =
        services.require(
            RealServices.service("keystone-wsgi-public")
                .pathVariable("GEORED_KEYSTONE_WSGI_PUBLIC"));
    String interpreter = interpreter(wsgi);
    String script = script();
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(Objects.requireNonNull(trust, "trust"))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    return Keystone.options()
        .client(client)
        .file(SCRIPT, s -> script)
        // env runs the interpreter by its absolute path: the python3 first on PATH may be another.
        .server(
            "env",
            s ->
                List.of(
                    interpreter,
                    s.dir().resolve(SCRIPT).toString(),
                    "127.0.0.1",
                    Integer.toString(s.port(0)),
                    keyStore.toAbsolutePath().toString(),
                    passwordFile.toAbsolutePath().toString()),
            port -> "https://127.0.0.1:" + port,
            s -> answers(client, "https://127.0.0.1:" + s.port(0) + "/v3"));
  }

  private static boolean answers(HttpClient client, String url) {
    try {
      return client
              .send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The interpreter on the script's {@code #!} line. */
  private static String interpreter(Path script) {
    try (var lines = Files.lines(script, StandardCharsets.UTF_8)) {
      String first = lines.findFirst().orElse("");
      if (!first.startsWith("#!")) {
        throw new AssertionError(script + " has no #! line naming its Python interpreter");
      }
      return first.substring(2).trim().split("\\s+")[0];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String script() {
    try (InputStream in = KeystoneHttps.class.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IllegalStateException(SCRIPT + " is missing from the testkit jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
