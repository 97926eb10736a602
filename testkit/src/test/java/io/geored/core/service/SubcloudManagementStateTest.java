package io.geored.core.service;

import static io.geored.core.service.SubcloudFixtures.assertRefused;
import static io.geored.core.service.SubcloudFixtures.insert;
import static io.geored.core.service.SubcloudFixtures.insertManagedOnline;
import static io.geored.core.service.SubcloudFixtures.primaryGroupLedHere;
import static io.geored.core.service.SubcloudFixtures.recordedSite;
import static io.geored.core.service.SubcloudFixtures.rehomeData;
import static io.geored.core.service.SubcloudFixtures.reload;
import static io.geored.core.service.SubcloudFixtures.subcloud;
import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.api.WithInfo;
import io.geored.spi.event.GeoredEvent;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.testkit.sim.SingleSite;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Managing and unmanaging a subcloud")
class SubcloudManagementStateTest {

  private static SubcloudUpdate manage() {
    return SubcloudUpdate.builder().managementState("managed").build();
  }

  private static SubcloudUpdate unmanage() {
    return SubcloudUpdate.builder().managementState("unmanaged").build();
  }

  private static Subcloud onlineUnmanaged(SingleSite site, String name) {
    return insert(site, subcloud(site, name).availabilityStatus(AvailabilityStatus.ONLINE));
  }

  @Nested
  @DisplayName("accepted")
  class Accepted {

    @Test
    @DisplayName("a complete, online, unmanaged subcloud becomes managed; only that changes")
    void manage() {
      SubcloudFixtures.Recorded recorded = recordedSite();
      SingleSite site = recorded.site;
      Subcloud sc = onlineUnmanaged(site, "sc1");
      site.scheduler().advance(Duration.ofSeconds(30));

      WithInfo<Subcloud> answer =
          site.site().updateSubcloud(Caller.OPERATOR, "sc1", SubcloudManagementStateTest.manage());

      Subcloud expected =
          sc.toBuilder()
              .managementState(ManagementState.MANAGED)
              .updatedAt(site.scheduler().now())
              .version(sc.version() + 1)
              .build();
      assertThat(answer).isEqualTo(WithInfo.of(expected));
      assertThat(reload(site, sc)).isEqualTo(expected);
      assertThat(recorded.stateChanges())
          .containsExactly(
              new GeoredEvent.StateChanged(
                  site.scheduler().now(),
                  "subcloud",
                  "sc1",
                  "management_state",
                  "unmanaged",
                  "managed"));
    }

    @Test
    @DisplayName("a managed subcloud becomes unmanaged, whatever its availability")
    void unmanage() {
      SingleSite site = SingleSite.create();
      Subcloud sc = insertManagedOnline(site, "sc1");

      Subcloud after =
          site.site()
              .updateSubcloud(Caller.OPERATOR, "sc1", SubcloudManagementStateTest.unmanage())
              .value();

      assertThat(after)
          .isEqualTo(
              sc.toBuilder()
                  .managementState(ManagementState.UNMANAGED)
                  .updatedAt(site.scheduler().now())
                  .version(sc.version() + 1)
                  .build());
    }

    @Test
    @DisplayName("the value is read in any case")
    void anyCase() {
      SingleSite site = SingleSite.create();
      onlineUnmanaged(site, "sc1");

      Subcloud after =
          site.site()
              .updateSubcloud(
                  Caller.OPERATOR,
                  "sc1",
                  SubcloudUpdate.builder().managementState("Managed").build())
              .value();

      assertThat(after.managementState()).isEqualTo(ManagementState.MANAGED);
    }

    @Test
    @DisplayName("a rehome-pending subcloud may be managed while offline and returns to complete")
    void manageRehomePending() {
      SingleSite site = SingleSite.create();
      Subcloud sc = insert(site, subcloud(site, "sc1").deployStatus(DeployStatus.REHOME_PENDING));

      Subcloud after =
          site.site()
              .updateSubcloud(Caller.OPERATOR, "sc1", SubcloudManagementStateTest.manage())
              .value();

      assertThat(after)
          .isEqualTo(
              sc.toBuilder()
                  .managementState(ManagementState.MANAGED)
                  .deployStatus(DeployStatus.COMPLETE)
                  .updatedAt(site.scheduler().now())
                  .version(sc.version() + 1)
                  .build());
    }

    @Test
    @DisplayName("force manages an offline subcloud in any deploy status and keeps that status")
    void force() {
      SingleSite site = SingleSite.create();
      Subcloud sc = insert(site, subcloud(site, "sc1").deployStatus(DeployStatus.REHOME_FAILED));

      Subcloud after =
          site.site()
              .updateSubcloud(
                  Caller.OPERATOR,
                  "sc1",
                  SubcloudUpdate.builder().managementState("managed").force(true).build())
              .value();

      assertThat(after.managementState()).isEqualTo(ManagementState.MANAGED);
      assertThat(after.deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);
      assertThat(after.availabilityStatus()).isEqualTo(AvailabilityStatus.OFFLINE);
      assertThat(after.version()).isEqualTo(sc.version() + 1);
    }

    @Test
    @DisplayName("force=false with managed is the plain rule")
    void forceFalse() {
      SingleSite site = SingleSite.create();
      insert(site, subcloud(site, "sc1"));

      assertRefused(
          site,
          () ->
              site.site()
                  .updateSubcloud(
                      Caller.OPERATOR,
                      "sc1",
                      SubcloudUpdate.builder().managementState("managed").force(false).build()),
          ValidationException.class,
          Messages.SUBCLOUD_NOT_ONLINE);
    }

    @Test
    @DisplayName("a peer site may change the management state of a subcloud in a peer group")
    void peerSiteInGroup() {
      SingleSite site = SingleSite.create();
      SubcloudPeerGroup group = primaryGroupLedHere(site, "pg1");
      Subcloud sc =
          insert(
              site,
              subcloud(site, "sc1")
                  .managementState(ManagementState.MANAGED)
                  .availabilityStatus(AvailabilityStatus.ONLINE)
                  .peerGroupId(group.id())
                  .rehomeData(rehomeData("10.10.10.2")));

      Subcloud after =
          site.site()
              .updateSubcloud(
                  Caller.PEER_SITE, sc.regionName(), SubcloudManagementStateTest.unmanage())
              .value();

      assertThat(after.managementState()).isEqualTo(ManagementState.UNMANAGED);
      assertThat(after.peerGroupId()).isEqualTo(group.id());
    }
  }

  @Nested
  @DisplayName("refused, nothing changed")
  class Refused {

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"bogus", "", "manage"})
    @DisplayName("a value other than managed or unmanaged")
    void invalid(String value) {
      SingleSite site = SingleSite.create();
      onlineUnmanaged(site, "sc1");

      assertRefused(
          site,
          () ->
              site.site()
                  .updateSubcloud(
                      Caller.OPERATOR,
                      "sc1",
                      SubcloudUpdate.builder().managementState(value).build()),
          ValidationException.class,
          Messages.INVALID_MANAGEMENT_STATE);
    }

    @Test
    @DisplayName("managing a managed subcloud")
    void alreadyManaged() {
      SingleSite site = SingleSite.create();
      insertManagedOnline(site, "sc1");

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.OPERATOR, "sc1", manage()),
          ValidationException.class,
          Messages.alreadyManaged("sc1"));
    }

    @Test
    @DisplayName("managing a managed subcloud, even with force")
    void alreadyManagedForce() {
      SingleSite site = SingleSite.create();
      insertManagedOnline(site, "sc1");

      assertRefused(
          site,
          () ->
              site.site()
                  .updateSubcloud(
                      Caller.OPERATOR,
                      "sc1",
                      SubcloudUpdate.builder().managementState("managed").force(true).build()),
          ValidationException.class,
          Messages.alreadyManaged("sc1"));
    }

    @Test
    @DisplayName("unmanaging an unmanaged subcloud")
    void alreadyUnmanaged() {
      SingleSite site = SingleSite.create();
      onlineUnmanaged(site, "sc1");

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.OPERATOR, "sc1", unmanage()),
          ValidationException.class,
          Messages.alreadyUnmanaged("sc1"));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
        value = DeployStatus.class,
        names = {
          "SECONDARY",
          "REHOME_FAILED",
          "REHOME_PREP_FAILED",
          "INSTALL_FAILED",
          "CREATE_FAILED"
        })
    @DisplayName("managing a subcloud whose deploy status is neither complete nor rehome-pending")
    void notDeployed(DeployStatus status) {
      SingleSite site = SingleSite.create();
      insert(
          site,
          subcloud(site, "sc1").deployStatus(status).availabilityStatus(AvailabilityStatus.ONLINE));

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.OPERATOR, "sc1", manage()),
          ValidationException.class,
          Messages.unableToManage("sc1"));
    }

    @Test
    @DisplayName("managing an offline complete subcloud")
    void offline() {
      SingleSite site = SingleSite.create();
      insert(site, subcloud(site, "sc1"));

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.OPERATOR, "sc1", manage()),
          ValidationException.class,
          Messages.SUBCLOUD_NOT_ONLINE);
    }

    @Test
    @DisplayName("the deploy status is checked before the availability")
    void deployStatusFirst() {
      SingleSite site = SingleSite.create();
      insert(site, subcloud(site, "sc1").deployStatus(DeployStatus.REHOME_FAILED));

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.OPERATOR, "sc1", manage()),
          ValidationException.class,
          Messages.unableToManage("sc1"));
    }

    @ParameterizedTest(name = "management-state {0}")
    @ValueSource(strings = {"managed", "unmanaged"})
    @DisplayName("an operator changing the management state of a subcloud in a peer group")
    void operatorInGroup(String state) {
      SingleSite site = SingleSite.create();
      SubcloudPeerGroup group = primaryGroupLedHere(site, "pg1");
      insert(
          site,
          subcloud(site, "sc1")
              .availabilityStatus(AvailabilityStatus.ONLINE)
              .peerGroupId(group.id())
              .rehomeData(rehomeData("10.10.10.2")));

      assertRefused(
          site,
          () ->
              site.site()
                  .updateSubcloud(
                      Caller.OPERATOR,
                      "sc1",
                      SubcloudUpdate.builder().managementState(state).build()),
          ValidationException.class,
          Messages.SUBCLOUD_MANAGEMENT_IN_GROUP);
    }

    @Test
    @DisplayName("force alone, without management-state managed")
    void forceAlone() {
      SingleSite site = SingleSite.create();
      onlineUnmanaged(site, "sc1");

      assertRefused(
          site,
          () ->
              site.site()
                  .updateSubcloud(
                      Caller.OPERATOR, "sc1", SubcloudUpdate.builder().force(true).build()),
          ValidationException.class,
          Messages.INVALID_FORCE_OPTION);
    }

    @Test
    @DisplayName("force with unmanaged")
    void forceUnmanaged() {
      SingleSite site = SingleSite.create();
      insertManagedOnline(site, "sc1");

      assertRefused(
          site,
          () ->
              site.site()
                  .updateSubcloud(
                      Caller.OPERATOR,
                      "sc1",
                      SubcloudUpdate.builder().managementState("unmanaged").force(true).build()),
          ValidationException.class,
          Messages.INVALID_FORCE_OPTION);
    }

    @Test
    @DisplayName("force=false alone names nothing to update")
    void forceFalseAlone() {
      SingleSite site = SingleSite.create();
      onlineUnmanaged(site, "sc1");

      assertRefused(
          site,
          () ->
              site.site()
                  .updateSubcloud(
                      Caller.OPERATOR, "sc1", SubcloudUpdate.builder().force(false).build()),
          ValidationException.class,
          Messages.NOTHING_TO_UPDATE);
    }
  }
}
