package io.geored.core.service;

import static io.geored.core.service.SubcloudFixtures.insert;
import static io.geored.core.service.SubcloudFixtures.insertManagedOnline;
import static io.geored.core.service.SubcloudFixtures.reload;
import static io.geored.core.service.SubcloudFixtures.subcloud;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.core.subcloud.SubcloudAlarms;
import io.geored.spi.NotFoundException;
import io.geored.spi.OperationFailedException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.event.GeoredEvent;
import io.geored.spi.fault.Alarm;
import io.geored.spi.fault.AlarmSeverity;
import io.geored.spi.fault.Alarms;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.Subcloud;
import io.geored.spi.work.SubcloudStateListener;
import io.geored.testkit.sim.SingleSite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The host's state listener hears management changes and can refuse them")
class SubcloudStateListenerTest {

  /** Records calls; throws from management changes when told to. */
  static final class Listener implements SubcloudStateListener {
    final List<Subcloud[]> management = new CopyOnWriteArrayList<>();
    final List<Subcloud[]> availability = new CopyOnWriteArrayList<>();
    volatile BiConsumer<Subcloud, Subcloud> onManagement = (b, a) -> {};
    volatile RuntimeException availabilityFailure;

    @Override
    public void managementStateChanged(Subcloud before, Subcloud after) {
      management.add(new Subcloud[] {before, after});
      onManagement.accept(before, after);
    }

    @Override
    public void availabilityChanged(Subcloud before, Subcloud after) {
      availability.add(new Subcloud[] {before, after});
      if (availabilityFailure != null) {
        throw availabilityFailure;
      }
    }
  }

  private final Listener listener = new Listener();
  private final List<GeoredEvent> events = new CopyOnWriteArrayList<>();
  private final SingleSite site =
      SingleSite.create(b -> b.stateListener(listener).eventListener(events::add));

  private List<String> stateChanges() {
    List<String> out = new ArrayList<>();
    for (GeoredEvent e : events) {
      if (e instanceof GeoredEvent.StateChanged c) {
        out.add(c.field() + ":" + c.from() + "->" + c.to());
      }
    }
    return out;
  }

  @Nested
  @DisplayName("accepted changes")
  class Accepted {

    @Test
    @DisplayName("managing tells the listener once, with the subcloud before and as stored after")
    void toldOnce() {
      Subcloud sc =
          insert(site, subcloud(site, "sc1").availabilityStatus(AvailabilityStatus.ONLINE));

      Subcloud after =
          site.site()
              .updateSubcloud(
                  Caller.OPERATOR,
                  "sc1",
                  SubcloudUpdate.builder().managementState("managed").build())
              .value();

      assertThat(listener.management).hasSize(1);
      assertThat(listener.management.get(0)[0]).isEqualTo(sc);
      assertThat(listener.management.get(0)[1]).isEqualTo(after).isEqualTo(reload(site, sc));
    }

    @Test
    @DisplayName("an update that keeps the management state tells the listener nothing")
    void notToldOtherwise() {
      insert(site, subcloud(site, "sc1"));

      site.site()
          .updateSubcloud(Caller.OPERATOR, "sc1", SubcloudUpdate.builder().location("x").build());

      assertThat(listener.management).isEmpty();
      assertThat(listener.availability).isEmpty();
    }
  }

  @Nested
  @DisplayName("a refusal by the listener")
  class Refusal {

    @Test
    @DisplayName("puts a managed rehome-pending subcloud back to unmanaged and rehome-pending")
    void revertsManage() {
      Subcloud sc = insert(site, subcloud(site, "sc1").deployStatus(DeployStatus.REHOME_PENDING));
      IllegalStateException refusal = new IllegalStateException("token=s3cr3t host said no");
      listener.onManagement =
          (b, a) -> {
            throw refusal;
          };

      assertThatThrownBy(
              () ->
                  site.site()
                      .updateSubcloud(
                          Caller.OPERATOR,
                          "sc1",
                          SubcloudUpdate.builder().managementState("managed").build()))
          .isExactlyInstanceOf(OperationFailedException.class)
          .hasMessage(Messages.managementStateReverted("sc1"))
          .hasMessageNotContaining("s3cr3t")
          .hasCause(refusal);

      Subcloud after = reload(site, sc);
      assertThat(after)
          .isEqualTo(
              sc.toBuilder()
                  .managementState(ManagementState.UNMANAGED)
                  .deployStatus(DeployStatus.REHOME_PENDING)
                  .updatedAt(site.scheduler().now())
                  .version(sc.version() + 2)
                  .build());
      assertThat(stateChanges())
          .containsExactly(
              "management_state:unmanaged->managed",
              "deploy_status:rehome-pending->complete",
              "management_state:managed->unmanaged",
              "deploy_status:complete->rehome-pending");
    }

    @Test
    @DisplayName("puts a subcloud a peer unmanaged into secondary back to managed and complete")
    void revertsPeerUnmanage() {
      Subcloud sc = insertManagedOnline(site, "sc1");
      listener.onManagement =
          (b, a) -> {
            throw new IllegalStateException("refused");
          };

      assertThatThrownBy(
              () ->
                  site.site()
                      .updateSubcloud(
                          Caller.PEER_SITE,
                          sc.regionName(),
                          SubcloudUpdate.builder()
                              .managementState("unmanaged")
                              .deployStatus("secondary")
                              .build()))
          .isExactlyInstanceOf(OperationFailedException.class)
          .hasMessage(Messages.managementStateReverted("sc1"));

      Subcloud after = reload(site, sc);
      assertThat(after.managementState()).isEqualTo(ManagementState.MANAGED);
      assertThat(after.deployStatus()).isEqualTo(DeployStatus.COMPLETE);
      // The availability a secondary copy takes is not part of the revert; the audit restores it.
      assertThat(after.availabilityStatus()).isEqualTo(AvailabilityStatus.OFFLINE);
      assertThat(listener.availability).isEmpty();
    }

    @Test
    @DisplayName("keeps the other changes of the same request")
    void keepsOtherChanges() {
      Subcloud sc =
          insert(site, subcloud(site, "sc1").availabilityStatus(AvailabilityStatus.ONLINE));
      listener.onManagement =
          (b, a) -> {
            throw new IllegalStateException("refused");
          };

      assertThatThrownBy(
              () ->
                  site.site()
                      .updateSubcloud(
                          Caller.OPERATOR,
                          "sc1",
                          SubcloudUpdate.builder()
                              .managementState("managed")
                              .description("kept")
                              .build()))
          .isExactlyInstanceOf(OperationFailedException.class);

      Subcloud after = reload(site, sc);
      assertThat(after.managementState()).isEqualTo(ManagementState.UNMANAGED);
      assertThat(after.description()).isEqualTo("kept");
    }

    @Test
    @DisplayName("that cannot be reverted says so, keeping both failures")
    void revertFails() {
      Subcloud sc =
          insert(site, subcloud(site, "sc1").availabilityStatus(AvailabilityStatus.ONLINE));
      IllegalStateException refusal = new IllegalStateException("refused");
      listener.onManagement =
          (b, a) -> {
            site.stores().subclouds().delete(a.id());
            throw refusal;
          };

      assertThatThrownBy(
              () ->
                  site.site()
                      .updateSubcloud(
                          Caller.OPERATOR,
                          "sc1",
                          SubcloudUpdate.builder().managementState("managed").build()))
          .isExactlyInstanceOf(OperationFailedException.class)
          .hasMessage(Messages.managementStateRevertFailed("sc1"))
          .hasCause(refusal);
      assertThat(refusal.getSuppressed()).hasSize(1);
      assertThat(refusal.getSuppressed()[0])
          .isExactlyInstanceOf(NotFoundException.class)
          .hasMessage(Messages.SUBCLOUD_NOT_FOUND);
      assertThat(site.stores().subclouds().findById(sc.id())).isEmpty();
    }
  }

  @Nested
  @DisplayName("becoming secondary")
  class BecomingSecondary {

    private Alarm alarm(String id, String entity) {
      return new Alarm(
          id,
          "subcloud",
          entity,
          AlarmSeverity.MAJOR,
          "reason",
          "repair",
          false,
          Instant.parse("2025-01-01T00:00:00Z"));
    }

    @Test
    @DisplayName("sets it offline, tells the availability change and clears its own alarms only")
    void offlineAndAlarms() {
      Alarms alarms = site.engine().context().alarms();
      for (String name : List.of("sc1", "sc2")) {
        for (SubcloudAlarms.OwnAlarm own : SubcloudAlarms.of(name)) {
          alarms.raise(alarm(own.alarmId(), own.entityInstance()));
        }
      }
      Subcloud sc =
          insert(
              site,
              subcloud(site, "sc1")
                  .deployStatus(DeployStatus.REHOME_PENDING)
                  .availabilityStatus(AvailabilityStatus.ONLINE));
      insert(site, subcloud(site, "sc2"));

      Subcloud after =
          site.site()
              .updateSubcloud(
                  Caller.PEER_SITE,
                  sc.regionName(),
                  SubcloudUpdate.builder().deployStatus("secondary").build())
              .value();

      assertThat(after.availabilityStatus()).isEqualTo(AvailabilityStatus.OFFLINE);
      assertThat(listener.availability).hasSize(1);
      assertThat(listener.availability.get(0)[0]).isEqualTo(sc);
      assertThat(listener.availability.get(0)[1]).isEqualTo(after);
      assertThat(alarms.find("280.001", "subcloud=sc1")).isEmpty();
      assertThat(alarms.find("280.002", "subcloud=sc1.resource=dc-cert")).isEmpty();
      assertThat(alarms.find("280.003", "subcloud=sc1")).isEmpty();
      assertThat(alarms.find("280.001", "subcloud=sc2")).isPresent();
      assertThat(alarms.find("280.002", "subcloud=sc2.resource=dc-cert")).isPresent();
      assertThat(alarms.find("280.003", "subcloud=sc2")).isPresent();
    }

    @Test
    @DisplayName("a listener failure on the availability change does not undo it")
    void availabilityFailureKept() {
      listener.availabilityFailure = new IllegalStateException("down");
      Subcloud sc =
          insert(
              site,
              subcloud(site, "sc1")
                  .deployStatus(DeployStatus.REHOME_PENDING)
                  .availabilityStatus(AvailabilityStatus.ONLINE));

      Subcloud after =
          site.site()
              .updateSubcloud(
                  Caller.PEER_SITE,
                  sc.regionName(),
                  SubcloudUpdate.builder().deployStatus("secondary").build())
              .value();

      assertThat(after).isEqualTo(reload(site, sc));
      assertThat(after.deployStatus()).isEqualTo(DeployStatus.SECONDARY);
      assertThat(after.availabilityStatus()).isEqualTo(AvailabilityStatus.OFFLINE);
    }
  }
}
