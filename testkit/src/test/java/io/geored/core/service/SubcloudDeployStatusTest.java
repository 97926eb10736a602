package io.geored.core.service;

import static io.geored.core.service.SubcloudFixtures.assertRefused;
import static io.geored.core.service.SubcloudFixtures.insert;
import static io.geored.core.service.SubcloudFixtures.insertManagedOnline;
import static io.geored.core.service.SubcloudFixtures.reload;
import static io.geored.core.service.SubcloudFixtures.subcloud;
import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.Subcloud;
import io.geored.testkit.sim.SingleSite;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Updating a subcloud's deploy status")
class SubcloudDeployStatusTest {

  private static SubcloudUpdate.Builder deploy(String status) {
    return SubcloudUpdate.builder().deployStatus(status);
  }

  private static SubcloudUpdate migrate() {
    return SubcloudUpdate.builder().migrate(true).build();
  }

  @Nested
  @DisplayName("rehome-pending, asked by an operator")
  class OperatorRehomePending {

    @Test
    @DisplayName("an unmanaged complete subcloud becomes rehome-pending")
    void unmanagedComplete() {
      SingleSite site = SingleSite.create();
      Subcloud sc = insert(site, subcloud(site, "sc1"));

      Subcloud after =
          site.site()
              .updateSubcloud(Caller.OPERATOR, "sc1", deploy("rehome-pending").build())
              .value();

      assertThat(after)
          .isEqualTo(
              sc.toBuilder()
                  .deployStatus(DeployStatus.REHOME_PENDING)
                  .updatedAt(site.scheduler().now())
                  .version(sc.version() + 1)
                  .build());
    }

    @Test
    @DisplayName("the migrate option asks the same")
    void migrateOption() {
      SingleSite site = SingleSite.create();
      Subcloud sc = insert(site, subcloud(site, "sc1"));

      site.site().updateSubcloud(Caller.OPERATOR, "sc1", migrate());

      assertThat(reload(site, sc).deployStatus()).isEqualTo(DeployStatus.REHOME_PENDING);
    }

    @Test
    @DisplayName("a managed subcloud may be unmanaged and made rehome-pending in one request")
    void unmanageAndRehomePending() {
      SingleSite site = SingleSite.create();
      Subcloud sc = insertManagedOnline(site, "sc1");

      Subcloud after =
          site.site()
              .updateSubcloud(
                  Caller.OPERATOR,
                  "sc1",
                  SubcloudUpdate.builder().managementState("unmanaged").migrate(true).build())
              .value();

      assertThat(after)
          .isEqualTo(
              sc.toBuilder()
                  .managementState(ManagementState.UNMANAGED)
                  .deployStatus(DeployStatus.REHOME_PENDING)
                  .updatedAt(site.scheduler().now())
                  .version(sc.version() + 1)
                  .build());
    }

    @Test
    @DisplayName(
        "asking rehome-pending of a rehome-pending subcloud changes nothing and writes nothing")
    void alreadyRehomePending() {
      SingleSite site = SingleSite.create();
      Subcloud sc = insert(site, subcloud(site, "sc1").deployStatus(DeployStatus.REHOME_PENDING));

      Subcloud after = site.site().updateSubcloud(Caller.OPERATOR, "sc1", migrate()).value();

      assertThat(after).isEqualTo(sc);
      assertThat(reload(site, sc)).isEqualTo(sc);
    }

    @Test
    @DisplayName("refused while managed")
    void managed() {
      SingleSite site = SingleSite.create();
      insertManagedOnline(site, "sc1");

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.OPERATOR, "sc1", migrate()),
          ValidationException.class,
          Messages.REHOME_PENDING_NEEDS_UNMANAGED);
    }

    @Test
    @DisplayName("refused when the same request manages it")
    void withManaged() {
      SingleSite site = SingleSite.create();
      insert(site, subcloud(site, "sc1").availabilityStatus(AvailabilityStatus.ONLINE));

      assertRefused(
          site,
          () ->
              site.site()
                  .updateSubcloud(
                      Caller.OPERATOR,
                      "sc1",
                      deploy("rehome-pending").managementState("managed").build()),
          ValidationException.class,
          Messages.REHOME_PENDING_NEEDS_UNMANAGED);
    }

    @ParameterizedTest(name = "from {0}")
    @EnumSource(
        value = DeployStatus.class,
        names = {"REHOME_FAILED", "SECONDARY", "REHOME_PREP_FAILED", "INSTALL_FAILED"})
    @DisplayName("refused unless the deploy status is complete")
    void notComplete(DeployStatus status) {
      SingleSite site = SingleSite.create();
      insert(site, subcloud(site, "sc1").deployStatus(status));

      assertRefused(
          site,
          () ->
              site.site().updateSubcloud(Caller.OPERATOR, "sc1", deploy("rehome-pending").build()),
          ValidationException.class,
          Messages.REHOME_PENDING_NEEDS_COMPLETE);
    }

    @Test
    @DisplayName("when managed and not complete, the unmanaged rule is the one answered")
    void bothApply() {
      SingleSite site = SingleSite.create();
      insert(
          site,
          subcloud(site, "sc1")
              .managementState(ManagementState.MANAGED)
              .deployStatus(DeployStatus.REHOME_FAILED));

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.OPERATOR, "sc1", migrate()),
          ValidationException.class,
          Messages.REHOME_PENDING_NEEDS_UNMANAGED);
    }
  }

  @Nested
  @DisplayName("rehome-pending, asked by a peer site")
  class PeerRehomePending {

    @Test
    @DisplayName("a rehome-failed copy becomes rehome-pending (the seed fix)")
    void fromRehomeFailed() {
      SingleSite site = SingleSite.create();
      Subcloud sc = insert(site, subcloud(site, "sc1").deployStatus(DeployStatus.REHOME_FAILED));

      Subcloud after =
          site.site().updateSubcloud(Caller.PEER_SITE, sc.regionName(), migrate()).value();

      assertThat(after.deployStatus()).isEqualTo(DeployStatus.REHOME_PENDING);
      assertThat(after.managementState()).isEqualTo(ManagementState.UNMANAGED);
    }

    @Test
    @DisplayName(
        "a managed subcloud is unmanaged and made rehome-pending, as a migrating peer asks")
    void unmanageAndMigrate() {
      SingleSite site = SingleSite.create();
      Subcloud sc = insertManagedOnline(site, "sc1");

      Subcloud after =
          site.site()
              .updateSubcloud(
                  Caller.PEER_SITE,
                  sc.regionName(),
                  SubcloudUpdate.builder().managementState("unmanaged").migrate(true).build())
              .value();

      assertThat(after.managementState()).isEqualTo(ManagementState.UNMANAGED);
      assertThat(after.deployStatus()).isEqualTo(DeployStatus.REHOME_PENDING);
    }

    @Test
    @DisplayName("still refused while the subcloud stays managed")
    void managed() {
      SingleSite site = SingleSite.create();
      Subcloud sc = insertManagedOnline(site, "sc1");

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.PEER_SITE, sc.regionName(), migrate()),
          ValidationException.class,
          Messages.REHOME_PENDING_NEEDS_UNMANAGED);
    }
  }

  @Nested
  @DisplayName("other geo-redundancy states")
  class OtherStates {

    @Test
    @DisplayName("a peer site makes a rehome-pending copy secondary, which also sets it offline")
    void peerSecondary() {
      SingleSite site = SingleSite.create();
      Subcloud sc =
          insert(
              site,
              subcloud(site, "sc1")
                  .deployStatus(DeployStatus.REHOME_PENDING)
                  .availabilityStatus(AvailabilityStatus.ONLINE));

      Subcloud after =
          site.site()
              .updateSubcloud(Caller.PEER_SITE, sc.regionName(), deploy("secondary").build())
              .value();

      assertThat(after)
          .isEqualTo(
              sc.toBuilder()
                  .deployStatus(DeployStatus.SECONDARY)
                  .availabilityStatus(AvailabilityStatus.OFFLINE)
                  .updatedAt(site.scheduler().now())
                  .version(sc.version() + 1)
                  .build());
    }

    @Test
    @DisplayName("a peer site unmanages a managed subcloud and makes it secondary in one request")
    void peerUnmanageSecondary() {
      SingleSite site = SingleSite.create();
      Subcloud sc = insertManagedOnline(site, "sc1");

      Subcloud after =
          site.site()
              .updateSubcloud(
                  Caller.PEER_SITE,
                  sc.regionName(),
                  deploy("secondary").managementState("unmanaged").build())
              .value();

      assertThat(after.managementState()).isEqualTo(ManagementState.UNMANAGED);
      assertThat(after.deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      assertThat(after.availabilityStatus()).isEqualTo(AvailabilityStatus.OFFLINE);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rehome-failed", "rehome-prep-failed", "complete"})
    @DisplayName("a peer site sets another geo-redundancy state on an unmanaged copy")
    void peerStates(String status) {
      SingleSite site = SingleSite.create();
      Subcloud sc = insert(site, subcloud(site, "sc1").deployStatus(DeployStatus.REHOME_PENDING));

      Subcloud after =
          site.site()
              .updateSubcloud(Caller.PEER_SITE, sc.regionName(), deploy(status).build())
              .value();

      assertThat(after.deployStatus()).isEqualTo(DeployStatus.fromWire(status).orElseThrow());
      assertThat(after.availabilityStatus()).isEqualTo(AvailabilityStatus.OFFLINE);
    }

    @Test
    @DisplayName("a peer site manages a rehome-pending subcloud saying complete")
    void peerManageComplete() {
      SingleSite site = SingleSite.create();
      Subcloud sc = insert(site, subcloud(site, "sc1").deployStatus(DeployStatus.REHOME_PENDING));

      Subcloud after =
          site.site()
              .updateSubcloud(
                  Caller.PEER_SITE,
                  sc.regionName(),
                  deploy("complete").managementState("managed").build())
              .value();

      assertThat(after.managementState()).isEqualTo(ManagementState.MANAGED);
      assertThat(after.deployStatus()).isEqualTo(DeployStatus.COMPLETE);
    }

    @Test
    @DisplayName("refused from a peer site while the subcloud stays managed")
    void peerManaged() {
      SingleSite site = SingleSite.create();
      Subcloud sc = insertManagedOnline(site, "sc1");

      assertRefused(
          site,
          () ->
              site.site()
                  .updateSubcloud(Caller.PEER_SITE, sc.regionName(), deploy("secondary").build()),
          ValidationException.class,
          Messages.deployStatusNeedsUnmanaged("sc1", "secondary"));
    }

    @Test
    @DisplayName("refused from a peer site managing a subcloud into a state other than complete")
    void peerManageSecondary() {
      SingleSite site = SingleSite.create();
      Subcloud sc =
          insert(site, subcloud(site, "sc1").availabilityStatus(AvailabilityStatus.ONLINE));

      assertRefused(
          site,
          () ->
              site.site()
                  .updateSubcloud(
                      Caller.PEER_SITE,
                      sc.regionName(),
                      deploy("secondary").managementState("managed").build()),
          ValidationException.class,
          Messages.manageWithDeployStatus("sc1", "secondary"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"secondary", "rehome-failed", "complete", "rehome-prep-failed"})
    @DisplayName("an operator may not set a state other than rehome-pending")
    void operatorOtherStates(String status) {
      SingleSite site = SingleSite.create();
      insert(site, subcloud(site, "sc1").deployStatus(DeployStatus.REHOME_PENDING));

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.OPERATOR, "sc1", deploy(status).build()),
          ValidationException.class,
          Messages.deployStatusNotAllowed(status));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"installing", "rehoming", "pre-rehome", "secondary-failed"})
    @DisplayName("a peer site may not set a state outside geo-redundancy")
    void peerOtherStates(String status) {
      SingleSite site = SingleSite.create();
      Subcloud sc = insert(site, subcloud(site, "sc1"));

      assertRefused(
          site,
          () ->
              site.site().updateSubcloud(Caller.PEER_SITE, sc.regionName(), deploy(status).build()),
          ValidationException.class,
          Messages.deployStatusNotAllowed(status));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"bogus", "", "done"})
    @DisplayName("a value that names no deploy status")
    void unknown(String status) {
      SingleSite site = SingleSite.create();
      insert(site, subcloud(site, "sc1"));

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.PEER_SITE, "sc1", deploy(status).build()),
          ValidationException.class,
          Messages.INVALID_DEPLOY_STATUS);
    }

    @Test
    @DisplayName("the migrate option with another deploy status")
    void migrateWithOther() {
      SingleSite site = SingleSite.create();
      insert(site, subcloud(site, "sc1"));

      assertRefused(
          site,
          () ->
              site.site()
                  .updateSubcloud(
                      Caller.PEER_SITE, "sc1", deploy("secondary").migrate(true).build()),
          ValidationException.class,
          Messages.migrateWithDeployStatus("secondary"));
    }

    @Test
    @DisplayName("migrate=false names nothing to update")
    void migrateFalse() {
      SingleSite site = SingleSite.create();
      insert(site, subcloud(site, "sc1"));

      assertRefused(
          site,
          () ->
              site.site()
                  .updateSubcloud(
                      Caller.OPERATOR, "sc1", SubcloudUpdate.builder().migrate(false).build()),
          ValidationException.class,
          Messages.NOTHING_TO_UPDATE);
    }
  }
}
