package io.geored.spi.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("A subcloud equals another exactly when every component is equal")
class SubcloudEqualityTest {

  private static final Subcloud FULL =
      Subcloud.builder()
          .id(7)
          .name("sc1")
          .regionName("region-sc1")
          .description("edge")
          .location("rack")
          .softwareVersion("24.09")
          .managementState(ManagementState.MANAGED)
          .availabilityStatus(AvailabilityStatus.ONLINE)
          .deployStatus(DeployStatus.COMPLETE)
          .errorDescription("none")
          .groupId(1L)
          .peerGroupId(2L)
          .rehomeData(RehomeData.ofSavedPayload(Map.of("name", "sc1")))
          .installValues(Map.of("bmc_address", "10.0.0.1"))
          .rehomed(true)
          .createdAt(Instant.parse("2026-12-01T00:00:00Z"))
          .updatedAt(Instant.parse("2026-12-02T00:00:00Z"))
          .version(3)
          .build();

  static Stream<Arguments> oneComponentChanged() {
    return Stream.of(
        change("id", b -> b.id(8)),
        change("name", b -> b.name("sc2")),
        change("regionName", b -> b.regionName("region-sc2")),
        change("description", b -> b.description(null)),
        change("location", b -> b.location("rack 2")),
        change("softwareVersion", b -> b.softwareVersion("25.03")),
        change("managementState", b -> b.managementState(ManagementState.UNMANAGED)),
        change("availabilityStatus", b -> b.availabilityStatus(AvailabilityStatus.OFFLINE)),
        change("deployStatus", b -> b.deployStatus(DeployStatus.SECONDARY)),
        change("errorDescription", b -> b.errorDescription("failed")),
        change("groupId", b -> b.groupId(null)),
        change("peerGroupId", b -> b.peerGroupId(3L)),
        change("rehomeData", b -> b.rehomeData(RehomeData.ofSavedPayload(Map.of("name", "x")))),
        change("installValues", b -> b.installValues(Map.of("bmc_address", "10.0.0.2"))),
        change("rehomed", b -> b.rehomed(false)),
        change("createdAt", b -> b.createdAt(Instant.parse("2026-11-01T00:00:00Z"))),
        change("updatedAt", b -> b.updatedAt(null)),
        change("version", b -> b.version(4)));
  }

  private static Arguments change(String component, UnaryOperator<Subcloud.Builder> change) {
    return Arguments.of(component, change);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oneComponentChanged")
  @DisplayName("a copy that differs in one component is not equal, both ways")
  void differsInOne(String component, UnaryOperator<Subcloud.Builder> change) {
    Subcloud other = change.apply(FULL.toBuilder()).build();

    assertThat(other).isNotEqualTo(FULL);
    assertThat(FULL).isNotEqualTo(other);
  }

  @Test
  @DisplayName("a copy with equal components (other instances) is equal, with the same hash")
  void equalCopy() {
    Subcloud copy =
        FULL.toBuilder()
            .name(new String("sc1"))
            .rehomeData(RehomeData.ofSavedPayload(Map.of("name", "sc1")))
            .installValues(Map.of("bmc_address", "10.0.0.1"))
            .createdAt(Instant.parse("2026-12-01T00:00:00Z"))
            .build();

    assertThat(copy).isEqualTo(FULL).hasSameHashCodeAs(FULL);
    assertThat(copy).isNotEqualTo(null).isNotEqualTo("sc1");
  }
}
