package io.geored.spi.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("DeployStatus")
class DeployStatusTest {

  @Test
  @DisplayName(
      "each transitory state knows the failed state a restart leaves, as docs/concepts.md lists")
  void transitoryStatesMapToTheirFailedStates() {
    Map<String, String> expected =
        Map.ofEntries(
            Map.entry("not-deployed", "create-failed"),
            Map.entry("creating", "create-failed"),
            Map.entry("pre-install", "pre-install-failed"),
            Map.entry("installing", "install-failed"),
            Map.entry("aborting-install", "install-failed"),
            Map.entry("pre-bootstrap", "pre-bootstrap-failed"),
            Map.entry("bootstrapping", "bootstrap-failed"),
            Map.entry("aborting-bootstrap", "bootstrap-failed"),
            Map.entry("pre-config", "pre-config-failed"),
            Map.entry("configuring", "config-failed"),
            Map.entry("aborting-config", "config-failed"),
            Map.entry("deploying", "config-failed"),
            Map.entry("pre-deploy", "pre-config-failed"),
            Map.entry("migrating-data", "data-migration-failed"),
            Map.entry("pre-restore", "restore-prep-failed"),
            Map.entry("restoring", "restore-failed"),
            Map.entry("pre-rehome", "rehome-prep-failed"),
            Map.entry("rehoming", "rehome-failed"));

    Map<String, String> actual =
        Arrays.stream(DeployStatus.values())
            .filter(DeployStatus::isTransitory)
            .collect(
                Collectors.toMap(DeployStatus::wire, s -> s.failedState().orElseThrow().wire()));

    assertThat(actual).isEqualTo(expected);
  }

  @Test
  @DisplayName("settled states have no failed state")
  void settledStatesHaveNoFailedState() {
    for (DeployStatus s :
        new DeployStatus[] {
          DeployStatus.COMPLETE,
          DeployStatus.SECONDARY,
          DeployStatus.SECONDARY_FAILED,
          DeployStatus.REHOME_PENDING,
          DeployStatus.REHOME_FAILED,
          DeployStatus.REHOME_PREP_FAILED,
          DeployStatus.CONFIG_FAILED
        }) {
      assertThat(s.isTransitory()).as(s.wire()).isFalse();
      assertThat(s.failedState()).as(s.wire()).isEmpty();
    }
  }

  @Test
  @DisplayName("every failed state is itself settled")
  void failedStatesAreSettled() {
    Arrays.stream(DeployStatus.values())
        .flatMap(s -> s.failedState().stream())
        .forEach(f -> assertThat(f.isTransitory()).as(f.wire()).isFalse());
  }

  @Test
  @DisplayName("wire values read back ignoring case, unknown ones are empty")
  void wireValuesRoundTrip() {
    for (DeployStatus s : DeployStatus.values()) {
      assertThat(DeployStatus.fromWire(s.wire().toUpperCase())).contains(s);
    }
    assertThat(DeployStatus.fromWire("rehome-failed")).contains(DeployStatus.REHOME_FAILED);
    assertThat(DeployStatus.fromWire("rehome_failed")).isEmpty();
    assertThat(DeployStatus.fromWire(null)).isEqualTo(Optional.empty());
  }

  @Test
  @DisplayName("other enums spell themselves as the dialect does")
  void otherEnumsSpellings() {
    assertThat(AssociationType.NON_PRIMARY.wire()).isEqualTo("non-primary");
    assertThat(SyncStatus.OUT_OF_SYNC.wire()).isEqualTo("out-of-sync");
    assertThat(SyncStatus.fromWire("In-Sync")).contains(SyncStatus.IN_SYNC);
    assertThat(MigrationStatus.fromWire("NONE")).contains(MigrationStatus.NONE);
    assertThat(HeartbeatFailurePolicy.fromWire("delegate"))
        .contains(HeartbeatFailurePolicy.DELEGATE);
    assertThat(ManagementState.fromWire("managed ")).contains(ManagementState.MANAGED);
  }
}
