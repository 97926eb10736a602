package io.geored.core.service;

import static io.geored.core.service.SubcloudFixtures.assertRefused;
import static io.geored.core.service.SubcloudFixtures.bootstrapValues;
import static io.geored.core.service.SubcloudFixtures.insert;
import static io.geored.core.service.SubcloudFixtures.rehomeData;
import static io.geored.core.service.SubcloudFixtures.reload;
import static io.geored.core.service.SubcloudFixtures.subcloud;
import static org.assertj.core.api.Assertions.assertThat;

import io.geored.core.subcloud.RehomeDataBuilder;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.testkit.sim.SingleSite;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("A subcloud's rehome data, built from bootstrap values and address")
class SubcloudRehomeDataTest {

  private static final String ADMIN_ENCODED = "TGk2OW51eCo=";

  private static Map<String, Object> cleanedValues(String address) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("name", "sc1");
    payload.put("system_mode", "simplex");
    payload.put("systemcontroller_gateway_address", "192.168.204.101");
    payload.put("admin_password", ADMIN_ENCODED);
    if (address != null) {
      payload.put(RehomeData.BOOTSTRAP_ADDRESS, address);
    }
    return payload;
  }

  @Nested
  @DisplayName("through an update")
  class ThroughUpdate {

    @Test
    @DisplayName(
        "new values replace the saved payload: passwords removed, admin encoded, address kept")
    void valuesKeepSavedAddress() {
      SingleSite site = SingleSite.create();
      Subcloud sc = insert(site, subcloud(site, "sc1").rehomeData(rehomeData("10.10.10.2")));

      Subcloud after =
          site.site()
              .updateSubcloud(
                  Caller.OPERATOR,
                  "sc1",
                  SubcloudUpdate.builder().bootstrapValues(bootstrapValues()).build())
              .value();

      assertThat(after)
          .isEqualTo(
              sc.toBuilder()
                  .rehomeData(RehomeData.ofSavedPayload(cleanedValues("10.10.10.2")))
                  .updatedAt(site.scheduler().now())
                  .version(sc.version() + 1)
                  .build());
      assertThat(after.rehomeData().savedPayload().orElseThrow())
          .doesNotContainKeys("sysadmin_password", "ansible_ssh_pass", "ansible_become_pass");
    }

    @Test
    @DisplayName("values and an address together: the new address is saved")
    void valuesAndAddress() {
      SingleSite site = SingleSite.create();
      Subcloud sc = insert(site, subcloud(site, "sc1").rehomeData(rehomeData("10.10.10.2")));

      site.site()
          .updateSubcloud(
              Caller.OPERATOR,
              "sc1",
              SubcloudUpdate.builder()
                  .bootstrapValues(bootstrapValues())
                  .bootstrapAddress("10.10.10.9")
                  .build());

      assertThat(reload(site, sc).rehomeData())
          .isEqualTo(RehomeData.ofSavedPayload(cleanedValues("10.10.10.9")));
    }

    @Test
    @DisplayName("values on a subcloud without rehome data create it, with no address")
    void valuesCreateRehomeData() {
      SingleSite site = SingleSite.create();
      Subcloud sc = insert(site, subcloud(site, "sc1"));

      site.site()
          .updateSubcloud(
              Caller.OPERATOR,
              "sc1",
              SubcloudUpdate.builder().bootstrapValues(bootstrapValues()).build());

      assertThat(reload(site, sc).rehomeData())
          .isEqualTo(RehomeData.ofSavedPayload(cleanedValues(null)));
    }

    @Test
    @DisplayName("an address alone replaces the saved one and keeps the rest of the payload")
    void addressAlone() {
      SingleSite site = SingleSite.create();
      Subcloud sc = insert(site, subcloud(site, "sc1").rehomeData(rehomeData("10.10.10.2")));

      Subcloud after =
          site.site()
              .updateSubcloud(
                  Caller.OPERATOR,
                  "sc1",
                  SubcloudUpdate.builder().bootstrapAddress("10.10.10.7").build())
              .value();

      assertThat(after)
          .isEqualTo(
              sc.toBuilder()
                  .rehomeData(rehomeData("10.10.10.7"))
                  .updatedAt(site.scheduler().now())
                  .version(sc.version() + 1)
                  .build());
    }

    @Test
    @DisplayName("an address alone is refused while there is no rehome data")
    void addressWithoutRehomeData() {
      SingleSite site = SingleSite.create();
      insert(site, subcloud(site, "sc1"));

      assertRefused(
          site,
          () ->
              site.site()
                  .updateSubcloud(
                      Caller.OPERATOR,
                      "sc1",
                      SubcloudUpdate.builder().bootstrapAddress("10.10.10.7").build()),
          ValidationException.class,
          Messages.BOOTSTRAP_ADDRESS_NEEDS_VALUES);
    }

    @Test
    @DisplayName("an address alone is refused while the rehome data has no saved payload")
    void addressWithoutSavedPayload() {
      SingleSite site = SingleSite.create();
      insert(site, subcloud(site, "sc1").rehomeData(new RehomeData(Map.of("other", "kept"))));

      assertRefused(
          site,
          () ->
              site.site()
                  .updateSubcloud(
                      Caller.PEER_SITE,
                      "sc1",
                      SubcloudUpdate.builder().bootstrapAddress("10.10.10.7").build()),
          ValidationException.class,
          Messages.BOOTSTRAP_ADDRESS_NEEDS_VALUES);
    }

    @Test
    @DisplayName(
        "values from a peer site are its saved payload: admin_password is not encoded again")
    void peerValuesNotReEncoded() {
      SingleSite site = SingleSite.create();
      Subcloud sc = insert(site, subcloud(site, "sc1").rehomeData(rehomeData("10.10.10.2")));
      Map<String, Object> sent = cleanedValues("10.10.10.3");
      sent.put("systemcontroller_gateway_address", "192.168.205.1");

      site.site()
          .updateSubcloud(
              Caller.PEER_SITE,
              sc.regionName(),
              SubcloudUpdate.builder()
                  .bootstrapValues(sent)
                  .bootstrapAddress("10.10.10.3")
                  .build());

      assertThat(reload(site, sc).rehomeData()).isEqualTo(RehomeData.ofSavedPayload(sent));
    }

    @Test
    @DisplayName("other parts of the rehome data survive new values")
    void otherContentKept() {
      SingleSite site = SingleSite.create();
      Map<String, Object> content = new LinkedHashMap<>(rehomeData("10.10.10.2").content());
      content.put("other", "kept");
      Subcloud sc = insert(site, subcloud(site, "sc1").rehomeData(new RehomeData(content)));

      site.site()
          .updateSubcloud(
              Caller.OPERATOR,
              "sc1",
              SubcloudUpdate.builder().bootstrapValues(bootstrapValues()).build());

      Map<String, Object> expected = new LinkedHashMap<>();
      expected.put(RehomeData.SAVED_PAYLOAD, cleanedValues("10.10.10.2"));
      expected.put("other", "kept");
      assertThat(reload(site, sc).rehomeData()).isEqualTo(new RehomeData(expected));
    }

    @Test
    @DisplayName("an address inside the new values wins over the saved one")
    void addressInValues() {
      SingleSite site = SingleSite.create();
      Subcloud sc = insert(site, subcloud(site, "sc1").rehomeData(rehomeData("10.10.10.2")));
      Map<String, Object> values = bootstrapValues();
      values.put(RehomeData.BOOTSTRAP_ADDRESS, "10.10.10.5");

      site.site()
          .updateSubcloud(
              Caller.OPERATOR, "sc1", SubcloudUpdate.builder().bootstrapValues(values).build());

      assertThat(reload(site, sc).rehomeData().bootstrapAddress()).contains("10.10.10.5");
    }

    @Test
    @DisplayName("empty values and a blank address name nothing to update")
    void emptyInputs() {
      SingleSite site = SingleSite.create();
      insert(site, subcloud(site, "sc1").rehomeData(rehomeData("10.10.10.2")));

      assertRefused(
          site,
          () ->
              site.site()
                  .updateSubcloud(
                      Caller.OPERATOR,
                      "sc1",
                      SubcloudUpdate.builder()
                          .bootstrapValues(Map.of())
                          .bootstrapAddress("  ")
                          .build()),
          ValidationException.class,
          Messages.NOTHING_TO_UPDATE);
    }

    @Test
    @DisplayName("a blank address with new values keeps the saved address")
    void blankAddressWithValues() {
      SingleSite site = SingleSite.create();
      Subcloud sc = insert(site, subcloud(site, "sc1").rehomeData(rehomeData("10.10.10.2")));

      site.site()
          .updateSubcloud(
              Caller.OPERATOR,
              "sc1",
              SubcloudUpdate.builder()
                  .bootstrapValues(bootstrapValues())
                  .bootstrapAddress(" ")
                  .build());

      assertThat(reload(site, sc).rehomeData().bootstrapAddress()).contains("10.10.10.2");
    }
  }

  @Nested
  @DisplayName("the builder itself")
  class Builder {

    @Test
    @DisplayName(
        "admin_password is the base64 of its UTF-8 bytes, decodable back to the clear text")
    void encodingRoundTrip() {
      Map<String, Object> values = new LinkedHashMap<>();
      values.put("admin_password", "pässwörd-✓");

      Map<String, Object> payload = RehomeDataBuilder.cleanPayload(values, true);

      String encoded = (String) payload.get("admin_password");
      assertThat(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8))
          .isEqualTo("pässwörd-✓");
    }

    @Test
    @DisplayName("a non-text admin_password is encoded as its text, a null one is kept null")
    void nonTextAdminPassword() {
      Map<String, Object> number = new LinkedHashMap<>();
      number.put("admin_password", 12345);
      Map<String, Object> none = new LinkedHashMap<>();
      none.put("admin_password", null);

      assertThat(RehomeDataBuilder.cleanPayload(number, true))
          .containsEntry("admin_password", "MTIzNDU=");
      assertThat(RehomeDataBuilder.cleanPayload(none, true)).containsEntry("admin_password", null);
    }

    @Test
    @DisplayName("the values given are not modified")
    void inputUntouched() {
      Map<String, Object> values = bootstrapValues();
      Map<String, Object> copy = new LinkedHashMap<>(values);

      RehomeDataBuilder.forCreate(values, "10.10.10.2", true);

      assertThat(values).isEqualTo(copy);
    }

    @Test
    @DisplayName("no values and no address give no rehome data")
    void nothing() {
      assertThat(RehomeDataBuilder.forCreate(null, null, true)).isNull();
      assertThat(RehomeDataBuilder.forUpdate(rehomeData("10.1.1.1"), null, " ", true))
          .isEqualTo(rehomeData("10.1.1.1"));
    }

    @Test
    @DisplayName("the rehome data never shows payload values when printed")
    void toStringHidesValues() {
      RehomeData data = RehomeDataBuilder.forCreate(bootstrapValues(), "10.10.10.2", true);

      assertThat(data.toString()).doesNotContain(ADMIN_ENCODED).doesNotContain("Li69nux*");
    }
  }
}
