package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.geored.spi.api.Caller;
import io.geored.spi.api.MigrateRequest;
import io.geored.testkit.sim.SingleSite;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The sysadmin password of a migrate request: the caller gives the password itself, the client
 * sends it base64-encoded exactly once (as dcmanager's clients do), and the server hands the
 * password itself on: what a StarlingX site would decode is the password, not its base64.
 */
@DisplayName("a migrate request's sysadmin password is base64-encoded once on the wire")
class SysadminPasswordWireTest {

  static final String PASSWORD = "St8rlingX*";

  Recorder recorder;

  @BeforeEach
  void setUp() throws Exception {
    recorder =
        new Recorder(
            new GeoredHttpHandler(
                SingleSite.create().site(),
                TokenAuthenticator.builder().token("t", "admin", Role.ADMIN).build()));
  }

  @AfterEach
  void tearDown() {
    recorder.close();
  }

  @Test
  @DisplayName("the body holds base64(password), which decodes to the password itself")
  void encodedOnce() throws Exception {
    recorder.answer(200, "{\"subclouds\": []}");
    HttpSiteClient.create(recorder.base(), "t")
        .migratePeerGroup(Caller.OPERATOR, "pg1", new MigrateRequest(PASSWORD));
    String sent =
        new ObjectMapper().readTree(recorder.last().body()).get("sysadmin_password").asText();
    assertThat(sent)
        .isEqualTo(Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8)));
    assertThat(new String(Base64.getDecoder().decode(sent), StandardCharsets.UTF_8))
        .isEqualTo(PASSWORD);
  }

  @Test
  @DisplayName("through the HTTP seed sites the rehomer receives the password the operator gave")
  void rehomerGetsThePassword() {
    try (HttpSeedSites s = new HttpSeedSites()) {
      s.prepare("sc1");
      s.migrateOn(s.b);
      s.settle();
      assertThat(s.b.passwordsSeen).isNotEmpty().containsOnly(HttpSeedSites.SYSADMIN);
      assertThat(HttpSeedSites.SYSADMIN).isEqualTo(PASSWORD);
    }
  }
}
