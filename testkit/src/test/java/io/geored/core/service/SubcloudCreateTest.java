package io.geored.core.service;

import static io.geored.core.service.SubcloudFixtures.assertRefused;
import static io.geored.core.service.SubcloudFixtures.bootstrapValues;
import static io.geored.core.service.SubcloudFixtures.insert;
import static io.geored.core.service.SubcloudFixtures.recordedSite;
import static io.geored.core.service.SubcloudFixtures.subcloud;
import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.ConflictException;
import io.geored.spi.NotFoundException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SubcloudCreate;
import io.geored.spi.event.GeoredEvent;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.testkit.sim.SingleSite;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Registering and reading subclouds")
class SubcloudCreateTest {

  private static SubcloudCreate.Builder request(String name) {
    return SubcloudCreate.builder().name(name).regionName("region-" + name);
  }

  @Nested
  @DisplayName("an operator registers a deployed subcloud")
  class ByOperator {

    @Test
    @DisplayName("it starts complete, unmanaged and offline, with every given field stored")
    void registeredDeployedSubcloud() {
      SingleSite site = SingleSite.create();
      site.scheduler().advance(Duration.ofMinutes(5));
      Map<String, Object> install = Map.of("bootstrap_address", "10.10.10.2", "bmc_password", "x");

      Subcloud created =
          site.site()
              .createSubcloud(
                  Caller.OPERATOR,
                  request("sc1")
                      .description("edge one")
                      .location("Ottawa")
                      .release("24.09")
                      .groupId(3L)
                      .installValues(install)
                      .build());

      Subcloud expected =
          Subcloud.builder()
              .id(created.id())
              .name("sc1")
              .regionName("region-sc1")
              .description("edge one")
              .location("Ottawa")
              .softwareVersion("24.09")
              .managementState(ManagementState.UNMANAGED)
              .availabilityStatus(AvailabilityStatus.OFFLINE)
              .deployStatus(DeployStatus.COMPLETE)
              .groupId(3L)
              .installValues(install)
              .createdAt(site.scheduler().now())
              .version(1)
              .build();
      assertThat(created).isEqualTo(expected);
      assertThat(site.stores().subclouds().findAll()).containsExactly(expected);
    }

    @Test
    @DisplayName("the secondary flag makes even an operator's registration a secondary copy")
    void operatorSecondaryFlag() {
      SingleSite site = SingleSite.create();

      Subcloud created =
          site.site().createSubcloud(Caller.OPERATOR, request("sc1").secondary(true).build());

      assertThat(created.deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      assertThat(created.managementState()).isEqualTo(ManagementState.UNMANAGED);
      assertThat(created.availabilityStatus()).isEqualTo(AvailabilityStatus.OFFLINE);
    }

    @Test
    @DisplayName("creation is told as one state event")
    void createdEvent() {
      SubcloudFixtures.Recorded recorded = recordedSite();

      recorded.site.site().createSubcloud(Caller.OPERATOR, request("sc1").build());

      assertThat(recorded.stateChanges())
          .containsExactly(
              new GeoredEvent.StateChanged(
                  recorded.site.scheduler().now(), "subcloud", "sc1", "exists", null, "created"));
    }
  }

  @Nested
  @DisplayName("a peer site adds its copy")
  class ByPeerSite {

    @Test
    @DisplayName("a secondary copy starts secondary, unmanaged and offline, payload kept as sent")
    void secondaryCopy() {
      SingleSite site = SingleSite.create();
      Map<String, Object> sentPayload = new LinkedHashMap<>();
      sentPayload.put("name", "sc1");
      sentPayload.put("systemcontroller_gateway_address", "192.168.205.1");
      sentPayload.put("admin_password", "TGk2OW51eCo=");
      sentPayload.put("bootstrap-address", "10.10.10.2");

      Subcloud created =
          site.site()
              .createSubcloud(
                  Caller.PEER_SITE,
                  SubcloudCreate.builder()
                      .name("sc1")
                      .regionName("2ec93dfb654846909efe61d1b39dd2ce")
                      .bootstrapValues(sentPayload)
                      .bootstrapAddress("10.10.10.2")
                      .secondary(true)
                      .build());

      assertThat(created.deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      assertThat(created.managementState()).isEqualTo(ManagementState.UNMANAGED);
      assertThat(created.availabilityStatus()).isEqualTo(AvailabilityStatus.OFFLINE);
      assertThat(created.regionName()).isEqualTo("2ec93dfb654846909efe61d1b39dd2ce");
      assertThat(created.peerGroupId()).isNull();
      // Already encoded by the peer: stored once-encoded, not encoded again.
      assertThat(created.rehomeData()).isEqualTo(RehomeData.ofSavedPayload(sentPayload));
    }

    @Test
    @DisplayName("a peer site finds the copy by its region name, an operator by its name")
    void peerLooksUpByRegion() {
      SingleSite site = SingleSite.create();
      Subcloud sc = insert(site, subcloud(site, "sc1").regionName("r-123"));

      assertThat(site.site().getSubcloud(Caller.PEER_SITE, "r-123")).isEqualTo(sc);
      assertThat(site.site().getSubcloud(Caller.PEER_SITE, "sc1")).isEqualTo(sc);
      assertThat(site.site().getSubcloud(Caller.OPERATOR, "sc1")).isEqualTo(sc);
      assertRefused(
          site,
          () -> site.site().getSubcloud(Caller.OPERATOR, "r-123"),
          NotFoundException.class,
          Messages.SUBCLOUD_NOT_FOUND);
    }
  }

  @Nested
  @DisplayName("reading")
  class Reading {

    @Test
    @DisplayName("a subcloud is found by id and by name, and listed in id order")
    void getAndList() {
      SingleSite site = SingleSite.create();
      Subcloud one = insert(site, subcloud(site, "sc1"));
      Subcloud two = insert(site, subcloud(site, "sc2"));

      assertThat(site.site().getSubcloud(Caller.OPERATOR, String.valueOf(two.id()))).isEqualTo(two);
      assertThat(site.site().getSubcloud(Caller.OPERATOR, "sc1")).isEqualTo(one);
      assertThat(site.site().listSubclouds(Caller.OPERATOR)).containsExactly(one, two);
    }

    @ParameterizedTest(name = "ref \"{0}\"")
    @ValueSource(strings = {"99", "nope", " "})
    @DisplayName("an unknown ref is 404 Subcloud not found")
    void unknown(String ref) {
      SingleSite site = SingleSite.create();
      insert(site, subcloud(site, "sc1"));

      assertRefused(
          site,
          () -> site.site().getSubcloud(Caller.OPERATOR, ref),
          NotFoundException.class,
          Messages.SUBCLOUD_NOT_FOUND);
    }
  }

  @Nested
  @DisplayName("refusals")
  class Refusals {

    @Test
    @DisplayName("no body is refused with Body required")
    void noBody() {
      SingleSite site = SingleSite.create();
      assertRefused(
          site,
          () -> site.site().createSubcloud(Caller.OPERATOR, null),
          ValidationException.class,
          Messages.BODY_REQUIRED);
    }

    @ParameterizedTest(name = "name \"{0}\"")
    @ValueSource(strings = {"", "   "})
    @DisplayName("a blank name is refused")
    void blankName(String name) {
      SingleSite site = SingleSite.create();
      assertRefused(
          site,
          () -> site.site().createSubcloud(Caller.OPERATOR, request("x").name(name).build()),
          ValidationException.class,
          Messages.SUBCLOUD_NAME_REQUIRED);
    }

    @Test
    @DisplayName("a missing name is refused")
    void missingName() {
      SingleSite site = SingleSite.create();
      assertRefused(
          site,
          () ->
              site.site()
                  .createSubcloud(
                      Caller.OPERATOR, SubcloudCreate.builder().regionName("r").build()),
          ValidationException.class,
          Messages.SUBCLOUD_NAME_REQUIRED);
    }

    @Test
    @DisplayName("a name of digits only is refused, as digits are read as an id")
    void digitsName() {
      SingleSite site = SingleSite.create();
      assertRefused(
          site,
          () -> site.site().createSubcloud(Caller.OPERATOR, request("12345").build()),
          ValidationException.class,
          Messages.SUBCLOUD_NAME_NOT_ALPHABETIC);
    }

    @ParameterizedTest(name = "name {0}")
    @ValueSource(strings = {"RegionOne", "SystemController"})
    @DisplayName("a system controller region name is refused")
    void reservedName(String name) {
      SingleSite site = SingleSite.create();
      assertRefused(
          site,
          () -> site.site().createSubcloud(Caller.OPERATOR, request(name).build()),
          ValidationException.class,
          Messages.SUBCLOUD_NAME_RESERVED);
    }

    @ParameterizedTest(name = "name \"{0}\"")
    @ValueSource(strings = {"sc/1", "sc\\1", "sc\n1", "sc\r1", "sc\u0000x", "sc\u007f", ".", ".."})
    @DisplayName("a name holding /, \\ or a control character, or . or .., is refused")
    void unsafeName(String name) {
      SingleSite site = SingleSite.create();
      assertRefused(
          site,
          () -> site.site().createSubcloud(Caller.OPERATOR, request(name).build()),
          ValidationException.class,
          Messages.SUBCLOUD_NAME_UNSAFE);
    }

    @ParameterizedTest(name = "region \"{0}\"")
    @ValueSource(strings = {"", "  "})
    @DisplayName("a blank region name is refused")
    void blankRegion(String region) {
      SingleSite site = SingleSite.create();
      assertRefused(
          site,
          () ->
              site.site()
                  .createSubcloud(Caller.OPERATOR, request("sc1").regionName(region).build()),
          ValidationException.class,
          Messages.SUBCLOUD_REGION_REQUIRED);
    }

    @Test
    @DisplayName("a missing region name is refused")
    void missingRegion() {
      SingleSite site = SingleSite.create();
      assertRefused(
          site,
          () ->
              site.site().createSubcloud(Caller.OPERATOR, request("sc1").regionName(null).build()),
          ValidationException.class,
          Messages.SUBCLOUD_REGION_REQUIRED);
    }

    @Test
    @DisplayName("a taken name is 409, and nothing is added")
    void duplicateName() {
      SingleSite site = SingleSite.create();
      insert(site, subcloud(site, "sc1"));

      assertRefused(
          site,
          () ->
              site.site()
                  .createSubcloud(Caller.OPERATOR, request("sc1").regionName("other").build()),
          ConflictException.class,
          Messages.subcloudNameExists("sc1"));
    }

    @Test
    @DisplayName("a taken region name is 409, and nothing is added")
    void duplicateRegion() {
      SingleSite site = SingleSite.create();
      insert(site, subcloud(site, "sc1"));

      assertRefused(
          site,
          () ->
              site.site()
                  .createSubcloud(
                      Caller.PEER_SITE, request("sc2").regionName("region-sc1").build()),
          ConflictException.class,
          Messages.subcloudRegionExists("region-sc1"));
    }

    @Test
    @DisplayName("a bootstrap address without bootstrap values is refused")
    void addressWithoutValues() {
      SingleSite site = SingleSite.create();
      assertRefused(
          site,
          () ->
              site.site()
                  .createSubcloud(
                      Caller.OPERATOR, request("sc1").bootstrapAddress("10.10.10.2").build()),
          ValidationException.class,
          Messages.BOOTSTRAP_ADDRESS_NEEDS_VALUES);
    }
  }

  @Nested
  @DisplayName("text limits (255 characters)")
  class Limits {

    private final String atLimit = "a".repeat(255);
    private final String pastLimit = "a".repeat(256);

    @Test
    @DisplayName("every text at 255 characters is accepted")
    void atLimit() {
      SingleSite site = SingleSite.create();

      Subcloud created =
          site.site()
              .createSubcloud(
                  Caller.OPERATOR,
                  SubcloudCreate.builder()
                      .name(atLimit)
                      .regionName("r" + "b".repeat(254))
                      .description(atLimit)
                      .location(atLimit)
                      .release(atLimit)
                      .build());

      assertThat(created.name()).hasSize(255);
      assertThat(created.regionName()).hasSize(255);
      assertThat(created.description()).hasSize(255);
      assertThat(created.location()).hasSize(255);
      assertThat(created.softwareVersion()).hasSize(255);
    }

    @Test
    @DisplayName("a name of 256 characters is refused")
    void name() {
      SingleSite site = SingleSite.create();
      assertRefused(
          site,
          () -> site.site().createSubcloud(Caller.OPERATOR, request("x").name(pastLimit).build()),
          ValidationException.class,
          Messages.fieldTooLong("name", 255));
    }

    @Test
    @DisplayName("a region name of 256 characters is refused")
    void region() {
      SingleSite site = SingleSite.create();
      assertRefused(
          site,
          () ->
              site.site()
                  .createSubcloud(Caller.OPERATOR, request("sc1").regionName(pastLimit).build()),
          ValidationException.class,
          Messages.fieldTooLong("region_name", 255));
    }

    @Test
    @DisplayName("a description of 256 characters is refused")
    void description() {
      SingleSite site = SingleSite.create();
      assertRefused(
          site,
          () ->
              site.site()
                  .createSubcloud(Caller.OPERATOR, request("sc1").description(pastLimit).build()),
          ValidationException.class,
          Messages.fieldTooLong("description", 255));
    }

    @Test
    @DisplayName("a location of 256 characters is refused")
    void location() {
      SingleSite site = SingleSite.create();
      assertRefused(
          site,
          () ->
              site.site()
                  .createSubcloud(Caller.OPERATOR, request("sc1").location(pastLimit).build()),
          ValidationException.class,
          Messages.fieldTooLong("location", 255));
    }

    @Test
    @DisplayName("a release of 256 characters is refused")
    void release() {
      SingleSite site = SingleSite.create();
      assertRefused(
          site,
          () ->
              site.site()
                  .createSubcloud(Caller.OPERATOR, request("sc1").release(pastLimit).build()),
          ValidationException.class,
          Messages.fieldTooLong("release", 255));
    }
  }

  @Test
  @DisplayName("surrounding blanks are trimmed from the name and region name")
  void trimmed() {
    SingleSite site = SingleSite.create();

    Subcloud created =
        site.site()
            .createSubcloud(
                Caller.OPERATOR, SubcloudCreate.builder().name(" sc1 ").regionName(" r1 ").build());

    assertThat(created.name()).isEqualTo("sc1");
    assertThat(created.regionName()).isEqualTo("r1");
  }

  @Test
  @DisplayName("bootstrap values given at registration become rehome data")
  void rehomeDataOnCreate() {
    SingleSite site = SingleSite.create();

    Subcloud created =
        site.site()
            .createSubcloud(
                Caller.OPERATOR,
                request("sc1")
                    .bootstrapValues(bootstrapValues())
                    .bootstrapAddress("10.10.10.2")
                    .build());

    assertThat(created.rehomeData().savedPayload().orElseThrow())
        .containsExactly(
            Map.entry("name", "sc1"),
            Map.entry("system_mode", "simplex"),
            Map.entry("systemcontroller_gateway_address", "192.168.204.101"),
            Map.entry("admin_password", "TGk2OW51eCo="),
            Map.entry("bootstrap-address", "10.10.10.2"));
  }
}
