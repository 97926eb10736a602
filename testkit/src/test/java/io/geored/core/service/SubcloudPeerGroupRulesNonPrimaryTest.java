package io.geored.core.service;

import static io.geored.core.service.SubcloudFixtures.SITE_B_UUID;
import static io.geored.core.service.SubcloudFixtures.assertRefused;
import static io.geored.core.service.SubcloudFixtures.associate;
import static io.geored.core.service.SubcloudFixtures.bootstrapValues;
import static io.geored.core.service.SubcloudFixtures.group;
import static io.geored.core.service.SubcloudFixtures.insert;
import static io.geored.core.service.SubcloudFixtures.peer;
import static io.geored.core.service.SubcloudFixtures.rehomeData;
import static io.geored.core.service.SubcloudFixtures.reload;
import static io.geored.core.service.SubcloudFixtures.saved;
import static io.geored.core.service.SubcloudFixtures.subcloud;
import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.api.WithInfo;
import io.geored.spi.model.AssociationType;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.Stores;
import io.geored.testkit.sim.SingleSite;
import io.geored.testkit.store.InMemoryStores;
import io.geored.testkit.time.VirtualScheduler;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed fix on one site: this site holds a non-primary copy of a group whose primary is site-b.
 * The site's peers are unreachable, so an association that stays out-of-sync (not failed) shows the
 * peer was never called.
 */
@DisplayName("Subcloud updates in a non-primary peer group (the seed fix)")
class SubcloudPeerGroupRulesNonPrimaryTest {

  private static final String NEW_ADDRESS = "10.10.10.9";
  private static final String ADMIN_ENCODED = "TGk2OW51eCo=";

  private SingleSite site;
  private SubcloudPeerGroup group;
  private SystemPeer primary;
  private PeerGroupAssociation association;

  @BeforeEach
  void setUp() {
    setUpOn(SingleSite.create());
  }

  private void setUpOn(SingleSite on) {
    site = on;
    // As a sync from site-b leaves it: priority above 0, led by the primary site.
    group = group(site, "pg1", 1, SITE_B_UUID);
    primary = peer(site, "site-b", PeerAvailability.UNAVAILABLE);
    association = associate(site, group, primary, AssociationType.NON_PRIMARY);
  }

  private Subcloud copy(DeployStatus status) {
    return insert(
        site,
        subcloud(site, "sc1")
            .deployStatus(status)
            .peerGroupId(group.id())
            .rehomeData(rehomeData("10.10.10.2")));
  }

  private Subcloud rehomeFailedCopy() {
    return copy(DeployStatus.REHOME_FAILED);
  }

  private WithInfo<Subcloud> update(Caller caller, String ref, SubcloudUpdate request) {
    return site.site().updateSubcloud(caller, ref, request);
  }

  private static SubcloudUpdate address(String value) {
    return SubcloudUpdate.builder().bootstrapAddress(value).build();
  }

  private void setPrimaryAvailability(PeerAvailability availability) {
    primary =
        saved(
            site.stores()
                .systemPeers()
                .update(
                    site.stores().systemPeers().findById(primary.id()).orElseThrow().toBuilder()
                        .availabilityState(availability)
                        .build()));
  }

  private PeerGroupAssociation associationNow() {
    return site.stores().associations().findById(association.id()).orElseThrow();
  }

  private PeerGroupAssociation outOfSync(PeerGroupAssociation before) {
    return before.toBuilder()
        .syncStatus(SyncStatus.OUT_OF_SYNC)
        .syncMessage(null)
        .updatedAt(site.scheduler().now())
        .version(before.version() + 1)
        .build();
  }

  @Nested
  @DisplayName("accepted")
  class Accepted {

    @Test
    @DisplayName(
        "an operator corrects the address of a rehome-failed copy while the primary is"
            + " unavailable: only the address changes, and the association goes out-of-sync here"
            + " without calling the primary")
    void addressCorrected() {
      Subcloud sc = rehomeFailedCopy();

      WithInfo<Subcloud> answer = update(Caller.OPERATOR, "sc1", address(NEW_ADDRESS));

      Subcloud expected =
          sc.toBuilder()
              .rehomeData(
                  sc.rehomeData().withPayloadValue(RehomeData.BOOTSTRAP_ADDRESS, NEW_ADDRESS))
              .updatedAt(site.scheduler().now())
              .version(sc.version() + 1)
              .build();
      assertThat(answer.value()).isEqualTo(expected);
      assertThat(answer.infoMessage()).isNull();
      assertThat(reload(site, sc)).isEqualTo(expected);
      assertThat(
              expected
                  .rehomeData()
                  .savedPayload()
                  .orElseThrow()
                  .get(RehomeData.SYSTEMCONTROLLER_GATEWAY_ADDRESS))
          .isEqualTo("192.168.204.101");
      assertThat(associationNow()).isEqualTo(outOfSync(association));
    }

    @Test
    @DisplayName("a primary that was never heartbeated (created) counts as not available")
    void primaryCreated() {
      setPrimaryAvailability(PeerAvailability.CREATED);
      Subcloud sc = rehomeFailedCopy();

      update(Caller.OPERATOR, "sc1", address(NEW_ADDRESS));

      assertThat(reload(site, sc).rehomeData().bootstrapAddress()).contains(NEW_ADDRESS);
      assertThat(associationNow()).isEqualTo(outOfSync(association));
    }

    @Test
    @DisplayName(
        "new bootstrap values alone replace the saved payload (passwords dropped, admin encoded)"
            + " and keep the saved address")
    void valuesAlone() {
      Subcloud sc = rehomeFailedCopy();

      Subcloud after =
          update(
                  Caller.OPERATOR,
                  "sc1",
                  SubcloudUpdate.builder().bootstrapValues(bootstrapValues()).build())
              .value();

      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("name", "sc1");
      payload.put("system_mode", "simplex");
      payload.put("systemcontroller_gateway_address", "192.168.204.101");
      payload.put("admin_password", ADMIN_ENCODED);
      payload.put(RehomeData.BOOTSTRAP_ADDRESS, "10.10.10.2");
      assertThat(after)
          .isEqualTo(
              sc.toBuilder()
                  .rehomeData(RehomeData.ofSavedPayload(payload))
                  .updatedAt(site.scheduler().now())
                  .version(sc.version() + 1)
                  .build());
      assertThat(associationNow()).isEqualTo(outOfSync(association));
    }

    @Test
    @DisplayName("values and address together: the given address goes into the new payload")
    void valuesAndAddress() {
      Subcloud sc = rehomeFailedCopy();

      Subcloud after =
          update(
                  Caller.OPERATOR,
                  "sc1",
                  SubcloudUpdate.builder()
                      .bootstrapValues(bootstrapValues())
                      .bootstrapAddress(NEW_ADDRESS)
                      .build())
              .value();

      assertThat(after.rehomeData().bootstrapAddress()).contains(NEW_ADDRESS);
      assertThat(after.rehomeData().savedPayload().orElseThrow())
          .doesNotContainKeys("sysadmin_password", "ansible_ssh_pass", "ansible_become_pass")
          .containsEntry("admin_password", ADMIN_ENCODED);
      assertThat(after.version()).isEqualTo(sc.version() + 1);
      assertThat(associationNow()).isEqualTo(outOfSync(association));
    }

    @Test
    @DisplayName("empty bootstrap values beside an address are no other field")
    void emptyValuesBesideAddress() {
      Subcloud sc = rehomeFailedCopy();

      update(
          Caller.OPERATOR,
          "sc1",
          SubcloudUpdate.builder().bootstrapValues(Map.of()).bootstrapAddress(NEW_ADDRESS).build());

      assertThat(reload(site, sc).rehomeData().bootstrapAddress()).contains(NEW_ADDRESS);
      assertThat(associationNow()).isEqualTo(outOfSync(association));
    }

    @Test
    @DisplayName("a failed association becomes out-of-sync and loses its message")
    void failedAssociation() {
      association =
          saved(
              site.stores()
                  .associations()
                  .update(
                      association.toBuilder()
                          .syncStatus(SyncStatus.FAILED)
                          .syncMessage(Messages.PRIMARY_SYNC_FAILED)
                          .build()));
      rehomeFailedCopy();

      update(Caller.OPERATOR, "sc1", address(NEW_ADDRESS));

      assertThat(associationNow()).isEqualTo(outOfSync(association));
    }

    @Test
    @DisplayName("an association already out-of-sync is left as it is (no write)")
    void alreadyOutOfSync() {
      association =
          saved(
              site.stores()
                  .associations()
                  .update(association.toBuilder().syncStatus(SyncStatus.OUT_OF_SYNC).build()));
      rehomeFailedCopy();

      update(Caller.OPERATOR, "sc1", address(NEW_ADDRESS));

      assertThat(associationNow()).isEqualTo(association);
    }

    @Test
    @DisplayName("the address already saved changes nothing and marks nothing")
    void sameAddress() {
      Subcloud sc = rehomeFailedCopy();

      WithInfo<Subcloud> answer = update(Caller.OPERATOR, "sc1", address("10.10.10.2"));

      assertThat(answer.value()).isEqualTo(sc);
      assertThat(answer.infoMessage()).isNull();
      assertThat(reload(site, sc)).isEqualTo(sc);
      assertThat(associationNow()).isEqualTo(association);
    }

    @Test
    @DisplayName("when the association cannot be written, the stored correction is still answered")
    void markingFails() {
      Stores real = InMemoryStores.create();
      setUpOn(
          SingleSite.create(
              new Stores(
                  real.systemPeers(),
                  real.peerGroups(),
                  new SubcloudPeerGroupRulesPrimaryTest.FailingAssociationUpdates(
                      real.associations()),
                  real.subclouds(),
                  real.transactions()),
              new VirtualScheduler(),
              b -> b));
      Subcloud sc = rehomeFailedCopy();

      WithInfo<Subcloud> answer = update(Caller.OPERATOR, "sc1", address(NEW_ADDRESS));

      Subcloud expected =
          sc.toBuilder()
              .rehomeData(
                  sc.rehomeData().withPayloadValue(RehomeData.BOOTSTRAP_ADDRESS, NEW_ADDRESS))
              .updatedAt(site.scheduler().now())
              .version(sc.version() + 1)
              .build();
      assertThat(answer.value()).isEqualTo(expected);
      assertThat(answer.infoMessage()).isNull();
      assertThat(reload(site, sc)).isEqualTo(expected);
      assertThat(associationNow()).isEqualTo(association);
    }

    @Test
    @DisplayName(
        "leaving a non-primary group this site leads while its peer is unavailable marks nothing")
    void leaveMarksNothing() {
      group =
          saved(
              site.stores()
                  .peerGroups()
                  .update(
                      group.toBuilder()
                          .systemLeaderId(SingleSite.SITE_A.uuid())
                          .systemLeaderName("site-a")
                          .build()));
      Subcloud sc = rehomeFailedCopy();

      WithInfo<Subcloud> answer =
          update(Caller.OPERATOR, "sc1", SubcloudUpdate.builder().peerGroup("none").build());

      assertThat(answer.value().peerGroupId()).isNull();
      assertThat(answer.value().version()).isEqualTo(sc.version() + 1);
      assertThat(answer.infoMessage()).isNull();
      assertThat(associationNow()).isEqualTo(association);
    }
  }

  @Nested
  @DisplayName("refused, nothing changed")
  class Refused {

    @ParameterizedTest(name = "{0}")
    @ValueSource(
        strings = {
          "management-state",
          "force",
          "migrate",
          "description",
          "location",
          "group_id",
          "install_values",
          "release",
          "deploy_status"
        })
    @DisplayName("another field beside the bootstrap address, even false or empty")
    void otherField(String field) {
      rehomeFailedCopy();
      SubcloudUpdate.Builder request = SubcloudUpdate.builder().bootstrapAddress(NEW_ADDRESS);
      switch (field) {
        case "management-state" -> request.managementState("unmanaged");
        case "force" -> request.force(false);
        case "migrate" -> request.migrate(false);
        case "description" -> request.description("");
        case "location" -> request.location("rack 2");
        case "group_id" -> request.groupId(1L);
        case "install_values" -> request.installValues(Map.of());
        case "release" -> request.release("24.09");
        default -> request.deployStatus("rehome-pending");
      }

      assertRefused(
          site,
          () -> update(Caller.OPERATOR, "sc1", request.build()),
          ValidationException.class,
          Messages.SUBCLOUD_UPDATE_ONLY_BOOTSTRAP);
    }

    @Test
    @DisplayName("another field is answered before the conditions")
    void otherFieldBeforeConditions() {
      setPrimaryAvailability(PeerAvailability.AVAILABLE);
      copy(DeployStatus.SECONDARY);

      assertRefused(
          site,
          () ->
              update(
                  Caller.OPERATOR,
                  "sc1",
                  SubcloudUpdate.builder()
                      .bootstrapValues(bootstrapValues())
                      .description("moved")
                      .build()),
          ValidationException.class,
          Messages.SUBCLOUD_UPDATE_ONLY_BOOTSTRAP);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = DeployStatus.class, names = "REHOME_FAILED", mode = EnumSource.Mode.EXCLUDE)
    @DisplayName("a copy whose deploy status is not rehome-failed")
    void notRehomeFailed(DeployStatus status) {
      copy(status);

      assertRefused(
          site,
          () -> update(Caller.OPERATOR, "sc1", address(NEW_ADDRESS)),
          ValidationException.class,
          Messages.SUBCLOUD_UPDATE_BOOTSTRAP_CONDITIONS);
    }

    @Test
    @DisplayName("the primary site is available")
    void primaryAvailable() {
      setPrimaryAvailability(PeerAvailability.AVAILABLE);
      rehomeFailedCopy();

      assertRefused(
          site,
          () -> update(Caller.OPERATOR, "sc1", address(NEW_ADDRESS)),
          ValidationException.class,
          Messages.SUBCLOUD_UPDATE_BOOTSTRAP_CONDITIONS);
    }

    @Test
    @DisplayName("the group has no association: its primary counts as available")
    void noAssociation() {
      site.stores().associations().delete(association.id());
      rehomeFailedCopy();

      assertRefused(
          site,
          () -> update(Caller.OPERATOR, "sc1", address(NEW_ADDRESS)),
          ValidationException.class,
          Messages.SUBCLOUD_UPDATE_BOOTSTRAP_CONDITIONS);
    }

    @Test
    @DisplayName("the group has two associations and one of their peers is available")
    void oneOfTwoPeersAvailable() {
      SystemPeer other =
          saved(
              site.stores()
                  .systemPeers()
                  .insert(
                      primary.toBuilder()
                          .id(0)
                          .version(0)
                          .peerUuid("cccccccc-0000-4000-8000-000000000003")
                          .peerName("site-c")
                          .availabilityState(PeerAvailability.AVAILABLE)
                          .build()));
      associate(site, group, other, AssociationType.NON_PRIMARY);
      rehomeFailedCopy();

      assertRefused(
          site,
          () -> update(Caller.OPERATOR, "sc1", address(NEW_ADDRESS)),
          ValidationException.class,
          Messages.SUBCLOUD_UPDATE_BOOTSTRAP_CONDITIONS);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"description", "location", "release", "migrate", "empty values"})
    @DisplayName(
        "an update without bootstrap values or address, even of a rehome-failed copy while the"
            + " primary is unavailable")
    void nonPrimary(String field) {
      rehomeFailedCopy();
      SubcloudUpdate.Builder request = SubcloudUpdate.builder();
      switch (field) {
        case "description" -> request.description("moved");
        case "location" -> request.location("rack 2");
        case "release" -> request.release("24.09");
        case "migrate" -> request.migrate(true);
        default -> request.bootstrapValues(Map.of()).description("moved");
      }

      assertRefused(
          site,
          () -> update(Caller.OPERATOR, "sc1", request.build()),
          ValidationException.class,
          Messages.SUBCLOUD_UPDATE_NON_PRIMARY);
    }

    @ParameterizedTest(name = "management-state {0}")
    @ValueSource(strings = {"managed", "unmanaged"})
    @DisplayName("a management state is answered by the non-primary rule first")
    void managementState(String state) {
      rehomeFailedCopy();

      assertRefused(
          site,
          () ->
              update(
                  Caller.OPERATOR, "sc1", SubcloudUpdate.builder().managementState(state).build()),
          ValidationException.class,
          Messages.SUBCLOUD_UPDATE_NON_PRIMARY);
    }
  }

  @Nested
  @DisplayName("a peer site skips these rules and marks nothing")
  class PeerSite {

    @Test
    @DisplayName("it changes the description of a secondary copy")
    void description() {
      Subcloud sc = copy(DeployStatus.SECONDARY);

      WithInfo<Subcloud> answer =
          update(
              Caller.PEER_SITE,
              sc.regionName(),
              SubcloudUpdate.builder().description("synced").build());

      assertThat(answer.value())
          .isEqualTo(
              sc.toBuilder()
                  .description("synced")
                  .updatedAt(site.scheduler().now())
                  .version(sc.version() + 1)
                  .build());
      assertThat(answer.infoMessage()).isNull();
      assertThat(associationNow()).isEqualTo(association);
    }

    @Test
    @DisplayName("it changes the address of a secondary copy while the primary is available")
    void addressWhilePrimaryAvailable() {
      setPrimaryAvailability(PeerAvailability.AVAILABLE);
      Subcloud sc = copy(DeployStatus.SECONDARY);

      WithInfo<Subcloud> answer =
          update(
              Caller.PEER_SITE,
              sc.regionName(),
              SubcloudUpdate.builder().bootstrapAddress(NEW_ADDRESS).description("synced").build());

      assertThat(answer.value().rehomeData().bootstrapAddress()).contains(NEW_ADDRESS);
      assertThat(answer.value().description()).isEqualTo("synced");
      assertThat(answer.infoMessage()).isNull();
      assertThat(associationNow()).isEqualTo(association);
    }
  }
}
