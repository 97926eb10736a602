package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.testkit.realservice.Keystone;
import io.geored.testkit.realservice.KeystoneHttps;
import io.geored.testkit.realservice.RealServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Keystone served over https (the Keystone application under Python's wsgiref with an
 * ssl.SSLContext, started by the fixture), logged in to through the client context a site builds
 * from its trust store ({@link TlsContexts#trusting}). Skipped locally without python3-keystone,
 * failing when CI=true; waits on the wall clock only for the Keystone process, bounded.
 */
@DisplayName("Keystone over https")
class KeystoneHttpsTest {

  private static final String USER = "geored-peer";
  private static final String PASSWORD = "Peer-Passw0rd-for-keystone";
  private static final String LOGIN_PATH = "POST /v3/auth/tokens";

  @RegisterExtension final RealServices services = new RealServices();

  @TempDir Path folder;

  /** A Keystone whose https certificate the given CA issued for 127.0.0.1, with the test's user. */
  private Keystone keystone(TestPki ca, String name) {
    Path store = ca.keyStore(folder, name, "127.0.0.1");
    Keystone keystone =
        Keystone.start(
            services,
            KeystoneHttps.options(
                services,
                store,
                TestPki.passwordFile(store),
                ca.clientContext(folder.resolve(name + "-admin"))));
    String user = keystone.admin().createUser(USER, PASSWORD);
    keystone
        .admin()
        .grant(
            user,
            keystone.admin().projectId(Keystone.ADMIN_PROJECT),
            keystone.admin().roleId("admin"));
    return keystone;
  }

  /** The password login a peer call makes: user and project in domain Default, project admin. */
  private static HttpResponse<String> login(SSLContext trust, Keystone keystone) throws Exception {
    return login(trust, keystone.authUrl());
  }

  private static HttpResponse<String> login(SSLContext trust, String authUrl) throws Exception {
    String body =
        "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"name\":"
            + " \""
            + USER
            + "\", \"domain\": {\"name\": \"Default\"}, \"password\": \""
            + PASSWORD
            + "\"}}}, \"scope\": {\"project\": {\"name\": \"admin\", \"domain\": {\"name\":"
            + " \"Default\"}}}}}";
    return HttpClient.newBuilder()
        .sslContext(trust)
        .connectTimeout(Duration.ofSeconds(5))
        .build()
        .send(
            HttpRequest.newBuilder(URI.create(authUrl + "/auth/tokens"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("User-Header", "distcloud")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static long logins(Keystone keystone) {
    return keystone.process().outputTail().lines().filter(l -> l.contains(LOGIN_PATH)).count();
  }

  @Test
  @DisplayName(
      "a Keystone with a certificate of the trusted CA takes the password login over https (201"
          + " and a token); one with a certificate of another CA gets no request, so no password:"
          + " the handshake fails and its log shows no login")
  void passwordOnlyToTrustedKeystone() throws Exception {
    TestPki trusted = TestPki.ca("trusted-ca");
    TestPki other = TestPki.ca("other-ca");
    SSLContext siteTrust =
        TlsContexts.trusting(
            trusted.trustStore(folder),
            TlsContexts.readPassword(TestPki.passwordFile(trusted.trustStore(folder))));
    Keystone good = keystone(trusted, "keystone-good");
    Keystone bad = keystone(other, "keystone-bad");
    assertThat(good.authUrl()).isEqualTo("https://127.0.0.1:" + good.port() + "/v3");

    HttpResponse<String> answer = login(siteTrust, good);
    assertThat(answer.statusCode()).isEqualTo(201);
    assertThat(answer.headers().firstValue("X-Subject-Token")).isPresent();
    assertThat(answer.body()).contains("\"name\": \"" + USER + "\"");

    long before = logins(bad);
    assertThatThrownBy(() -> login(siteTrust, bad))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("PKIX path building failed");
    // The same login through a client trusting the other CA reaches it: it was the trust that
    // refused, and the Keystone logs each login it takes.
    SSLContext otherTrust =
        TlsContexts.trusting(
            other.trustStore(folder.resolve("other")),
            TlsContexts.readPassword(
                TestPki.passwordFile(other.trustStore(folder.resolve("other")))));
    assertThat(login(otherTrust, bad).statusCode()).isEqualTo(201);
    // Keystone writes its access line after it answered, from its own process: poll for it (a
    // bounded wall-time budget, as for every process-boundary check), then expect exactly one.
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (logins(bad) < before + 1 && System.nanoTime() - deadline < 0) {
      Thread.sleep(20);
    }
    assertThat(logins(bad)).isEqualTo(before + 1);
  }

  @Test
  @DisplayName(
      "a Keystone whose certificate, from the trusted CA, does not name the host the client calls"
          + " gets no password either: hostname verification is on towards Keystone too")
  void passwordNotToKeystoneOfAnotherName() throws Exception {
    TestPki ca = TestPki.ca("trusted-ca");
    SSLContext siteTrust = ca.clientContext(folder);
    // Its certificate lists 127.0.0.1 only: called as localhost, it is another host.
    Keystone keystone = keystone(ca, "keystone-by-address");

    long before = logins(keystone);
    assertThatThrownBy(() -> login(siteTrust, "https://localhost:" + keystone.port() + "/v3"))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("No name matching localhost found");
    assertThat(logins(keystone)).isEqualTo(before);
    assertThat(login(siteTrust, keystone).statusCode()).isEqualTo(201);
    assertThat(logins(keystone)).isEqualTo(before + 1);
  }
}
