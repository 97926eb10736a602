package io.geored.spi.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.api.MigrateRequest;
import io.geored.spi.api.SubcloudCreate;
import io.geored.spi.api.SystemPeerCreate;
import io.geored.spi.api.SystemPeerUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Value objects")
class ValueObjectsTest {

  @Nested
  @DisplayName("secrets never show themselves")
  class Secrets {

    @Test
    @DisplayName("a system peer's toString masks the stored password")
    void systemPeerMasksPassword() {
      SystemPeer peer =
          SystemPeer.builder()
              .peerUuid("u")
              .peerName("p")
              .managerPassword(Secret.of("s3cr3t-cipher"))
              .createdAt(Instant.EPOCH)
              .build();
      assertThat(peer.toString()).doesNotContain("s3cr3t").contains("managerPassword=****");
      assertThat(peer.managerPassword().reveal()).isEqualTo("s3cr3t-cipher");
    }

    @Test
    @DisplayName("a system peer without password holds Secret.NONE")
    void missingPasswordIsNone() {
      assertThat(SystemPeer.builder().build().managerPassword()).isSameAs(Secret.NONE);
      assertThat(Secret.of("")).isSameAs(Secret.NONE);
      assertThat(Secret.NONE.toString()).isEmpty();
    }

    @Test
    @DisplayName("requests carrying passwords mask them")
    void requestsMaskPasswords() {
      assertThat(SystemPeerCreate.builder().managerPassword("hunter2").build().toString())
          .doesNotContain("hunter2");
      assertThat(SystemPeerUpdate.builder().managerPassword("hunter2").build().toString())
          .doesNotContain("hunter2");
      assertThat(new MigrateRequest("aHVudGVyMg==").toString()).doesNotContain("aHVudGVyMg==");
      assertThat(
              SubcloudCreate.builder()
                  .bootstrapValues(Map.of("admin_password", "hunter2"))
                  .build()
                  .toString())
          .doesNotContain("hunter2");
    }

    @Test
    @DisplayName("secrets compare by value")
    void secretsCompareByValue() {
      assertThat(Secret.of("a")).isEqualTo(Secret.of("a")).isNotEqualTo(Secret.of("b"));
    }
  }

  @Nested
  @DisplayName("rehome data")
  class Rehome {

    @Test
    @DisplayName("gives typed access to the bootstrap and gateway addresses")
    void typedAccess() {
      RehomeData data =
          RehomeData.ofSavedPayload(
              Map.of(
                  "bootstrap-address", "10.10.10.12",
                  "systemcontroller_gateway_address", "fd01::1",
                  "name", "sc1"));
      assertThat(data.bootstrapAddress()).contains("10.10.10.12");
      assertThat(data.systemControllerGatewayAddress()).contains("fd01::1");
      assertThat(data.savedPayload().orElseThrow()).containsEntry("name", "sc1");
    }

    @Test
    @DisplayName("a missing, blank or non-object payload gives empty answers")
    void missingPayload() {
      assertThat(new RehomeData(Map.of()).savedPayload()).isEmpty();
      assertThat(new RehomeData(Map.of("saved_payload", "text")).savedPayload()).isEmpty();
      assertThat(RehomeData.ofSavedPayload(Map.of("bootstrap-address", "  ")).bootstrapAddress())
          .isEmpty();
    }

    @Test
    @DisplayName("is deeply immutable and keeps nulls and order")
    void deepCopy() {
      List<Object> list = new ArrayList<>(List.of("a"));
      Map<String, Object> nested = new HashMap<>();
      nested.put("k", null);
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("z", list);
      payload.put("a", nested);
      RehomeData data = RehomeData.ofSavedPayload(payload);
      list.add("b");
      nested.put("k2", "v");

      Map<String, Object> saved = data.savedPayload().orElseThrow();
      assertThat(saved.keySet()).containsExactly("z", "a");
      assertThat(saved.get("z")).isEqualTo(List.of("a"));
      assertThat(saved.get("a")).isEqualTo(java.util.Collections.singletonMap("k", null));
      assertThatThrownBy(() -> saved.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    @DisplayName("replacing a payload value leaves the original untouched")
    void withPayloadValue() {
      RehomeData original = RehomeData.ofSavedPayload(Map.of("bootstrap-address", "10.0.0.1"));
      RehomeData changed = original.withPayloadValue("bootstrap-address", "10.0.0.2");
      assertThat(original.bootstrapAddress()).contains("10.0.0.1");
      assertThat(changed.bootstrapAddress()).contains("10.0.0.2");
      assertThat(new RehomeData(Map.of()).withPayloadValue("k", "v").savedPayload().orElseThrow())
          .containsEntry("k", "v");
    }

    @Test
    @DisplayName("toString shows keys, not values")
    void toStringShowsKeysOnly() {
      RehomeData data = RehomeData.ofSavedPayload(Map.of("admin_password", "Zm9v"));
      assertThat(data.toString()).contains("admin_password").doesNotContain("Zm9v");
    }
  }

  @Test
  @DisplayName("a peer group without migration status holds NONE and knows whether it is primary")
  void peerGroupDefaults() {
    SubcloudPeerGroup group = SubcloudPeerGroup.builder().groupPriority(0).build();
    assertThat(group.migrationStatus()).isEqualTo(MigrationStatus.NONE);
    assertThat(group.isPrimary()).isTrue();
    assertThat(group.toBuilder().groupPriority(2).build().isPrimary()).isFalse();
  }
}
