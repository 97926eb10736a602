package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.testkit.sim.SingleSite;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("over HTTP, rehome and delegate are refused on a site with no witness")
class HeartbeatPolicyWireTest {

  static final String TOKEN = "t-admin";

  final SingleSite site = SingleSite.create();
  final GeoredHttpHandler handler =
      new GeoredHttpHandler(
          site.site(), TokenAuthenticator.builder().token(TOKEN, "admin", Role.ADMIN).build());

  GeoredHttpHandler.Response call(String method, String path, String body) {
    return handler.handle(
        new GeoredHttpHandler.Request(
            method,
            "/v1.0" + path,
            Map.of("X-Auth-Token", TOKEN, "Content-Type", "application/json"),
            body.getBytes(StandardCharsets.UTF_8)));
  }

  static String peer(String policy) {
    return "{\"peer_uuid\": \"bbbbbbbb-0000-4000-8000-000000000002\", \"peer_name\": \"site-b\","
        + " \"manager_endpoint\": \"http://10.10.2.1:8119/v1.0\", \"manager_username\": \"admin\","
        + " \"manager_password\": \"cGFzc3dvcmQ=\", \"peer_controller_gateway_address\":"
        + " \"10.10.2.1\", \"heartbeat_failure_policy\": \""
        + policy
        + "\"}";
  }

  @Test
  @DisplayName("POST and PATCH naming the policy answer 400 with the exact text, storing nothing")
  void refused() {
    GeoredHttpHandler.Response create = call("POST", "/system-peers", peer("Rehome"));

    assertThat(create.status()).isEqualTo(400);
    assertThat(create.text())
        .isEqualTo(
            "{\"faultcode\":\"Client\",\"faultstring\":\"Heartbeat failure policy Rehome needs a"
                + " witness; none is configured on this site.\",\"debuginfo\":null}");
    assertThat(site.stores().systemPeers().findAll()).isEmpty();

    assertThat(call("POST", "/system-peers", peer("alarm")).status()).isEqualTo(200);
    GeoredHttpHandler.Response update =
        call(
            "PATCH",
            "/system-peers/site-b",
            "{\"heartbeat_failure_policy\": \"delegate\", \"heartbeat_interval\": 30}");

    assertThat(update.status()).isEqualTo(400);
    assertThat(update.text())
        .isEqualTo(
            "{\"faultcode\":\"Client\",\"faultstring\":\"Heartbeat failure policy delegate needs a"
                + " witness; none is configured on this site.\",\"debuginfo\":null}");
    assertThat(site.stores().systemPeers().findAll().get(0).heartbeatInterval()).isEqualTo(60);
  }
}
