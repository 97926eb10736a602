package io.geored.core.service;

import static io.geored.core.service.SubcloudFixtures.SITE_B_UUID;
import static io.geored.core.service.SubcloudFixtures.assertRefused;
import static io.geored.core.service.SubcloudFixtures.group;
import static io.geored.core.service.SubcloudFixtures.insert;
import static io.geored.core.service.SubcloudFixtures.primaryGroupLedHere;
import static io.geored.core.service.SubcloudFixtures.recordedSite;
import static io.geored.core.service.SubcloudFixtures.rehomeData;
import static io.geored.core.service.SubcloudFixtures.subcloud;
import static org.assertj.core.api.Assertions.assertThat;

import io.geored.core.subcloud.SubcloudAlarms;
import io.geored.spi.NotFoundException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.event.GeoredEvent;
import io.geored.spi.fault.Alarm;
import io.geored.spi.fault.AlarmSeverity;
import io.geored.spi.fault.Alarms;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.testkit.sim.SingleSite;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Deleting a subcloud")
class SubcloudDeleteTest {

  @Nested
  @DisplayName("accepted")
  class Accepted {

    @Test
    @DisplayName("an operator deletes an unmanaged, offline subcloud; its own alarms go with it")
    void operatorDeletes() {
      SubcloudFixtures.Recorded recorded = recordedSite();
      SingleSite site = recorded.site;
      Alarms alarms = site.engine().context().alarms();
      for (SubcloudAlarms.OwnAlarm own : SubcloudAlarms.of("sc1")) {
        alarms.raise(
            new Alarm(
                own.alarmId(),
                "subcloud",
                own.entityInstance(),
                AlarmSeverity.MAJOR,
                "reason",
                "repair",
                false,
                Instant.parse("2025-01-01T00:00:00Z")));
      }
      Subcloud sc = insert(site, subcloud(site, "sc1"));
      Subcloud other = insert(site, subcloud(site, "sc2"));

      site.site().deleteSubcloud(Caller.OPERATOR, "sc1");

      assertThat(site.stores().subclouds().findAll()).containsExactly(other);
      assertThat(recorded.stateChanges())
          .containsExactly(
              new GeoredEvent.StateChanged(
                  site.scheduler().now(), "subcloud", "sc1", "exists", "created", null));
      for (SubcloudAlarms.OwnAlarm own : SubcloudAlarms.of("sc1")) {
        assertThat(alarms.find(own.alarmId(), own.entityInstance())).isEmpty();
      }
      assertThat(site.stores().subclouds().findById(sc.id())).isEmpty();
    }

    @Test
    @DisplayName("a subcloud is found by id too")
    void byId() {
      SingleSite site = SingleSite.create();
      Subcloud sc = insert(site, subcloud(site, "sc1"));

      site.site().deleteSubcloud(Caller.OPERATOR, String.valueOf(sc.id()));

      assertThat(site.stores().subclouds().findAll()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
        value = DeployStatus.class,
        names = {"SECONDARY", "REHOME_FAILED", "REHOME_PREP_FAILED", "SECONDARY_FAILED"})
    @DisplayName("a peer site deletes its copy in a peer group, named by region")
    void peerDeletesCopy(DeployStatus status) {
      SingleSite site = SingleSite.create();
      SubcloudPeerGroup group = group(site, "pg1", 1, SITE_B_UUID);
      Subcloud copy =
          insert(
              site,
              subcloud(site, "sc1")
                  .deployStatus(status)
                  .peerGroupId(group.id())
                  .rehomeData(rehomeData("10.10.10.2")));

      site.site().deleteSubcloud(Caller.PEER_SITE, copy.regionName());

      assertThat(site.stores().subclouds().findAll()).isEmpty();
      assertThat(site.stores().peerGroups().findAll()).containsExactly(group);
    }
  }

  @Nested
  @DisplayName("refused, nothing changed")
  class Refused {

    @Test
    @DisplayName("an operator deleting a managed subcloud")
    void operatorManaged() {
      SingleSite site = SingleSite.create();
      insert(site, subcloud(site, "sc1").managementState(ManagementState.MANAGED));

      assertRefused(
          site,
          () -> site.site().deleteSubcloud(Caller.OPERATOR, "sc1"),
          ValidationException.class,
          Messages.SUBCLOUD_DELETE_MANAGED);
    }

    @Test
    @DisplayName("the managed rule is answered first when every rule is broken")
    void managedFirst() {
      SingleSite site = SingleSite.create();
      SubcloudPeerGroup group = primaryGroupLedHere(site, "pg1");
      insert(
          site,
          subcloud(site, "sc1")
              .managementState(ManagementState.MANAGED)
              .availabilityStatus(AvailabilityStatus.ONLINE)
              .deployStatus(DeployStatus.REHOMING)
              .peerGroupId(group.id()));

      assertRefused(
          site,
          () -> site.site().deleteSubcloud(Caller.OPERATOR, "sc1"),
          ValidationException.class,
          Messages.SUBCLOUD_DELETE_MANAGED);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
        value = DeployStatus.class,
        names = {"PRE_REHOME", "REHOMING", "INSTALLING", "BOOTSTRAPPING", "CREATING"})
    @DisplayName("while work runs on the subcloud")
    void activeOperation(DeployStatus status) {
      SingleSite site = SingleSite.create();
      SubcloudPeerGroup group = primaryGroupLedHere(site, "pg1");
      insert(site, subcloud(site, "sc1").deployStatus(status).peerGroupId(group.id()));

      assertRefused(
          site,
          () -> site.site().deleteSubcloud(Caller.OPERATOR, "sc1"),
          ValidationException.class,
          Messages.SUBCLOUD_DELETE_ACTIVE_OPERATION);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
        value = DeployStatus.class,
        names = {"REHOME_PENDING", "PRE_DEPLOY", "PRE_REHOME", "REHOMING", "PRE_RESTORE"})
    @DisplayName("an operator deleting an unmanaged, offline subcloud in an active operation")
    void operatorActiveOperationOutsideGroup(DeployStatus status) {
      SingleSite site = SingleSite.create();
      insert(site, subcloud(site, "sc1").deployStatus(status));

      assertRefused(
          site,
          () -> site.site().deleteSubcloud(Caller.OPERATOR, "sc1"),
          ValidationException.class,
          Messages.SUBCLOUD_DELETE_ACTIVE_OPERATION);
    }

    @Test
    @DisplayName("a rehome-pending subcloud in a group: active operation, before the group rule")
    void operatorRehomePendingInGroup() {
      SingleSite site = SingleSite.create();
      SubcloudPeerGroup group = primaryGroupLedHere(site, "pg1");
      insert(
          site,
          subcloud(site, "sc1").deployStatus(DeployStatus.REHOME_PENDING).peerGroupId(group.id()));

      assertRefused(
          site,
          () -> site.site().deleteSubcloud(Caller.OPERATOR, "sc1"),
          ValidationException.class,
          Messages.SUBCLOUD_DELETE_ACTIVE_OPERATION);
    }

    @Test
    @DisplayName("a managed rehome-pending subcloud: the managed rule is answered first")
    void operatorManagedRehomePending() {
      SingleSite site = SingleSite.create();
      insert(
          site,
          subcloud(site, "sc1")
              .managementState(ManagementState.MANAGED)
              .deployStatus(DeployStatus.REHOME_PENDING));

      assertRefused(
          site,
          () -> site.site().deleteSubcloud(Caller.OPERATOR, "sc1"),
          ValidationException.class,
          Messages.SUBCLOUD_DELETE_MANAGED);
    }

    @Test
    @DisplayName("a peer site deleting its rehome-pending copy")
    void peerRehomePending() {
      SingleSite site = SingleSite.create();
      SubcloudPeerGroup group = group(site, "pg1", 1, SITE_B_UUID);
      Subcloud copy =
          insert(
              site,
              subcloud(site, "sc1")
                  .deployStatus(DeployStatus.REHOME_PENDING)
                  .peerGroupId(group.id())
                  .rehomeData(rehomeData("10.10.10.2")));

      assertRefused(
          site,
          () -> site.site().deleteSubcloud(Caller.PEER_SITE, copy.regionName()),
          ValidationException.class,
          Messages.SUBCLOUD_DELETE_ACTIVE_OPERATION);
    }

    @Test
    @DisplayName("while a peer site's copy is being rehomed")
    void peerActiveOperation() {
      SingleSite site = SingleSite.create();
      Subcloud copy = insert(site, subcloud(site, "sc1").deployStatus(DeployStatus.PRE_REHOME));

      assertRefused(
          site,
          () -> site.site().deleteSubcloud(Caller.PEER_SITE, copy.regionName()),
          ValidationException.class,
          Messages.SUBCLOUD_DELETE_ACTIVE_OPERATION);
    }

    @Test
    @DisplayName("an operator deleting a subcloud in a peer group, before the online rule")
    void operatorInGroup() {
      SingleSite site = SingleSite.create();
      SubcloudPeerGroup group = primaryGroupLedHere(site, "pg1");
      insert(
          site,
          subcloud(site, "sc1")
              .availabilityStatus(AvailabilityStatus.ONLINE)
              .peerGroupId(group.id()));

      assertRefused(
          site,
          () -> site.site().deleteSubcloud(Caller.OPERATOR, "sc1"),
          ValidationException.class,
          Messages.SUBCLOUD_DELETE_IN_GROUP);
    }

    @Test
    @DisplayName("an operator deleting an online subcloud")
    void operatorOnline() {
      SingleSite site = SingleSite.create();
      insert(site, subcloud(site, "sc1").availabilityStatus(AvailabilityStatus.ONLINE));

      assertRefused(
          site,
          () -> site.site().deleteSubcloud(Caller.OPERATOR, "sc1"),
          ValidationException.class,
          Messages.SUBCLOUD_MUST_BE_POWERED_DOWN);
    }

    @Test
    @DisplayName("a peer site deleting a managed subcloud")
    void peerManaged() {
      SingleSite site = SingleSite.create();
      SubcloudPeerGroup group = group(site, "pg1", 1, SITE_B_UUID);
      Subcloud sc =
          insert(
              site,
              subcloud(site, "sc1")
                  .managementState(ManagementState.MANAGED)
                  .availabilityStatus(AvailabilityStatus.ONLINE)
                  .peerGroupId(group.id()));

      assertRefused(
          site,
          () -> site.site().deleteSubcloud(Caller.PEER_SITE, sc.regionName()),
          ValidationException.class,
          Messages.SUBCLOUD_MUST_BE_UNMANAGED);
    }

    @Test
    @DisplayName("a peer site deleting an online copy")
    void peerOnline() {
      SingleSite site = SingleSite.create();
      SubcloudPeerGroup group = group(site, "pg1", 1, SITE_B_UUID);
      Subcloud sc =
          insert(
              site,
              subcloud(site, "sc1")
                  .deployStatus(DeployStatus.REHOME_FAILED)
                  .availabilityStatus(AvailabilityStatus.ONLINE)
                  .peerGroupId(group.id()));

      assertRefused(
          site,
          () -> site.site().deleteSubcloud(Caller.PEER_SITE, sc.regionName()),
          ValidationException.class,
          Messages.SUBCLOUD_MUST_BE_POWERED_DOWN);
    }

    @ParameterizedTest(name = "ref \"{0}\"")
    @ValueSource(strings = {"nope", "42"})
    @DisplayName("an unknown subcloud is 404")
    void unknown(String ref) {
      SingleSite site = SingleSite.create();
      insert(site, subcloud(site, "sc1"));

      assertRefused(
          site,
          () -> site.site().deleteSubcloud(Caller.OPERATOR, ref),
          NotFoundException.class,
          Messages.SUBCLOUD_NOT_FOUND);
    }
  }
}
