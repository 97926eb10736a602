package io.geored.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.api.WithInfo;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SyncStatus;
import io.geored.testkit.sim.SimSite;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed fix across two sites: A owns pg1 and synced sc1 to B; a migration to B failed on sc1's
 * bootstrap address (B's copy is rehome-failed) and A is down, as B's monitor has recorded. The
 * operator of B corrects the address there.
 */
@DisplayName("The seed fix across sites: correcting a rehome-failed copy on the non-primary site")
class SubcloudUpdateAcrossSitesSeedFixTest {

  private static final String CORRECTED = "10.10.10.77";

  private SyncScenario s;
  private Subcloud member;
  private PeerGroupAssociation onA;

  @BeforeEach
  void setUp() {
    s = new SyncScenario();
    member = s.member("sc1");
    onA = s.associate(2);
    s.sites.runUntilIdle();
    assertThat(s.onA(onA.id()).syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    assertThat(s.onB().orElseThrow().syncStatus()).isEqualTo(SyncStatus.IN_SYNC);
    onA = s.onA(onA.id());
  }

  @AfterEach
  void tearDown() {
    s.close();
  }

  /** Everything a site stores. */
  private static List<List<?>> state(SimSite site) {
    return List.of(
        site.stores().systemPeers().findAll(),
        site.stores().peerGroups().findAll(),
        site.stores().associations().findAll(),
        site.stores().subclouds().findAll());
  }

  private Subcloud copyOnB() {
    return s.b.stores().subclouds().findByRegionName(member.regionName()).orElseThrow();
  }

  private Subcloud setCopyStatus(DeployStatus status) {
    s.b.stores().subclouds().update(copyOnB().toBuilder().deployStatus(status).build());
    return copyOnB();
  }

  private void setAOnB(PeerAvailability availability) {
    s.b
        .stores()
        .systemPeers()
        .update(
            s.b.stores().systemPeers().findById(s.aOnB.id()).orElseThrow().toBuilder()
                .availabilityState(availability)
                .build());
  }

  /** A is down the way the test asks, and B's monitor has recorded it as unavailable. */
  private void primaryDown(String how) {
    if (how.equals("stopped")) {
      s.sites.stop(s.a);
    } else {
      s.sites.network().down(s.a.system());
    }
    setAOnB(PeerAvailability.UNAVAILABLE);
    s.sites.network().resetCalls();
  }

  private WithInfo<Subcloud> correct(SubcloudUpdate request) {
    return s.b.api().updateSubcloud(Caller.OPERATOR, "sc1", request);
  }

  private static SubcloudUpdate address(String value) {
    return SubcloudUpdate.builder().bootstrapAddress(value).build();
  }

  @ParameterizedTest(name = "A {0}")
  @ValueSource(strings = {"stopped", "network down"})
  @DisplayName(
      "the corrected address is stored on B with B's own gateway, B's association goes"
          + " out-of-sync, A is untouched and B never calls A")
  void accepted(String how) {
    Subcloud copy = setCopyStatus(DeployStatus.REHOME_FAILED);
    primaryDown(how);
    PeerGroupAssociation onBBefore = s.onB().orElseThrow();
    List<List<?>> aBefore = state(s.a);

    WithInfo<Subcloud> answer = correct(address(CORRECTED));

    Subcloud expected =
        copy.toBuilder()
            .rehomeData(copy.rehomeData().withPayloadValue(RehomeData.BOOTSTRAP_ADDRESS, CORRECTED))
            .updatedAt(s.sites.now())
            .version(copy.version() + 1)
            .build();
    assertThat(answer.value()).isEqualTo(expected);
    assertThat(answer.infoMessage()).isNull();
    assertThat(copyOnB()).isEqualTo(expected);
    assertThat(copyOnB().deployStatus()).isEqualTo(DeployStatus.REHOME_FAILED);
    assertThat(copyOnB().rehomeData().bootstrapAddress()).contains(CORRECTED);
    assertThat(copyOnB().rehomeData().systemControllerGatewayAddress())
        .contains(s.b.gatewayAddress());
    assertThat(s.onB().orElseThrow())
        .isEqualTo(
            onBBefore.toBuilder()
                .syncStatus(SyncStatus.OUT_OF_SYNC)
                .syncMessage(null)
                .updatedAt(s.sites.now())
                .version(onBBefore.version() + 1)
                .build());
    assertThat(state(s.a)).isEqualTo(aBefore);
    assertThat(s.onA(onA.id())).isEqualTo(onA);
    assertThat(s.a.stores().subclouds().findById(member.id())).contains(member);
    assertThat(s.sites.network().calls(s.b.system(), s.a.system())).isZero();
  }

  @Test
  @DisplayName("new bootstrap values that name B's gateway replace B's saved payload")
  void valuesAccepted() {
    setCopyStatus(DeployStatus.REHOME_FAILED);
    primaryDown("stopped");
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("name", "sc1");
    values.put("bootstrap-address", CORRECTED);
    values.put("systemcontroller_gateway_address", s.b.gatewayAddress());
    values.put("sysadmin_password", "St8rlingX*");
    values.put("admin_password", "Li69nux*");
    List<List<?>> aBefore = state(s.a);

    Subcloud after = correct(SubcloudUpdate.builder().bootstrapValues(values).build()).value();

    assertThat(after.rehomeData().savedPayload().orElseThrow())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "name",
                "sc1",
                "bootstrap-address",
                CORRECTED,
                "systemcontroller_gateway_address",
                s.b.gatewayAddress(),
                "admin_password",
                "TGk2OW51eCo="));
    assertThat(s.onB().orElseThrow().syncStatus()).isEqualTo(SyncStatus.OUT_OF_SYNC);
    assertThat(state(s.a)).isEqualTo(aBefore);
    assertThat(s.sites.network().calls(s.b.system(), s.a.system())).isZero();
  }

  @Nested
  @DisplayName("refused on B, nothing changed on either site")
  class Refused {

    private void assertRefusedOnBoth(ThrowingCallable request, String message) {
      List<List<?>> aBefore = state(s.a);
      List<List<?>> bBefore = state(s.b);

      assertThatThrownBy(request)
          .isExactlyInstanceOf(ValidationException.class)
          .hasMessage(message);

      assertThat(state(s.a)).isEqualTo(aBefore);
      assertThat(state(s.b)).isEqualTo(bBefore);
      assertThat(s.sites.network().calls(s.b.system(), s.a.system())).isZero();
    }

    @Test
    @DisplayName("another field beside the address")
    void otherField() {
      setCopyStatus(DeployStatus.REHOME_FAILED);
      primaryDown("stopped");

      assertRefusedOnBoth(
          () ->
              correct(
                  SubcloudUpdate.builder()
                      .bootstrapAddress(CORRECTED)
                      .description("fixed address")
                      .build()),
          Messages.SUBCLOUD_UPDATE_ONLY_BOOTSTRAP);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"secondary", "rehome-pending", "rehome-prep-failed"})
    @DisplayName("a copy that is not rehome-failed")
    void notRehomeFailed(String status) {
      setCopyStatus(DeployStatus.fromWire(status).orElseThrow());
      primaryDown("stopped");

      assertRefusedOnBoth(
          () -> correct(address(CORRECTED)), Messages.SUBCLOUD_UPDATE_BOOTSTRAP_CONDITIONS);
    }

    @Test
    @DisplayName("the primary site is available")
    void primaryAvailable() {
      setCopyStatus(DeployStatus.REHOME_FAILED);
      setAOnB(PeerAvailability.AVAILABLE);
      s.sites.network().resetCalls();

      assertRefusedOnBoth(
          () -> correct(address(CORRECTED)), Messages.SUBCLOUD_UPDATE_BOOTSTRAP_CONDITIONS);
    }

    @Test
    @DisplayName("B's group has no association: its primary counts as available")
    void noAssociation() {
      setCopyStatus(DeployStatus.REHOME_FAILED);
      primaryDown("stopped");
      s.b.stores().associations().delete(s.onB().orElseThrow().id());

      assertRefusedOnBoth(
          () -> correct(address(CORRECTED)), Messages.SUBCLOUD_UPDATE_BOOTSTRAP_CONDITIONS);
    }

    @Test
    @DisplayName("an update without bootstrap values or address")
    void nonPrimary() {
      setCopyStatus(DeployStatus.REHOME_FAILED);
      primaryDown("stopped");

      assertRefusedOnBoth(
          () -> correct(SubcloudUpdate.builder().description("fixed").build()),
          Messages.SUBCLOUD_UPDATE_NON_PRIMARY);
    }

    @Test
    @DisplayName("an update of a secondary copy while A is up, as any day before a failure")
    void everyDay() {
      s.sites.network().resetCalls();

      assertRefusedOnBoth(
          () -> correct(SubcloudUpdate.builder().location("rack 2").build()),
          Messages.SUBCLOUD_UPDATE_NON_PRIMARY);
    }
  }
}
