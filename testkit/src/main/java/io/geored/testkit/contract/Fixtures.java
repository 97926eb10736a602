package io.geored.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.model.AdministrativeState;
import io.geored.spi.model.AssociationType;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.GroupState;
import io.geored.spi.model.HeartbeatFailurePolicy;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import io.geored.spi.model.PeerAvailability;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Secret;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.Stores;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Valid records for store tests, unsaved (id 0, version 0), with every timestamp on a whole
 * microsecond so that databases store them exactly. Names derive every unique key, so two records
 * with different names never clash. Public so that adapters' own tests can reuse them.
 */
public final class Fixtures {

  /** A creation time with microseconds. */
  public static final Instant CREATED_AT = Instant.parse("2026-02-03T04:05:06.123456Z");

  /** An update time with microseconds, after {@link #CREATED_AT}. */
  public static final Instant UPDATED_AT = Instant.parse("2026-02-03T07:08:09.654321Z");

  /** Text outside ASCII and outside the basic multilingual plane. */
  public static final String UNICODE = "Zürich – 東京 ☃ 🚀 ñ";

  private Fixtures() {}

  /**
   * A stable uuid made from a name.
   *
   * @param name any text
   * @return the same uuid for the same name
   */
  public static String uuidFor(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /**
   * A system peer with every field set except {@code updatedAt}.
   *
   * @param name its peer name; its uuid derives from it
   * @return the unsaved peer
   */
  public static SystemPeer systemPeer(String name) {
    return SystemPeer.builder()
        .peerUuid(uuidFor("peer:" + name))
        .peerName(name)
        .managerEndpoint("https://" + name + ".example.net:5001/v1")
        .managerUsername("admin")
        .managerPassword(Secret.of("gcm:v1:" + uuidFor("secret:" + name)))
        .peerControllerGatewayIp("192.168.204.1")
        .administrativeState(AdministrativeState.ENABLED)
        .heartbeatInterval(60)
        .heartbeatFailureThreshold(3)
        .heartbeatFailurePolicy(HeartbeatFailurePolicy.ALARM)
        .heartbeatMaintenanceTimeout(600)
        .availabilityState(PeerAvailability.AVAILABLE)
        .createdAt(CREATED_AT)
        .updatedAt(null)
        .build();
  }

  /**
   * A peer group owned by this site (priority 0) with every field set except {@code updatedAt}.
   *
   * @param name its group name
   * @return the unsaved group
   */
  public static SubcloudPeerGroup peerGroup(String name) {
    return SubcloudPeerGroup.builder()
        .peerGroupName(name)
        .groupPriority(0)
        .groupState(GroupState.ENABLED)
        .maxSubcloudRehoming(10)
        .systemLeaderId(uuidFor("site-a"))
        .systemLeaderName("site-a")
        .migrationStatus(MigrationStatus.NONE)
        .createdAt(CREATED_AT)
        .updatedAt(null)
        .build();
  }

  /**
   * A primary association with every field set except {@code syncMessage} and {@code updatedAt}.
   *
   * @param peerGroupId a stored group's id
   * @param systemPeerId a stored peer's id
   * @return the unsaved association
   */
  public static PeerGroupAssociation association(long peerGroupId, long systemPeerId) {
    return PeerGroupAssociation.builder()
        .peerGroupId(peerGroupId)
        .systemPeerId(systemPeerId)
        .peerGroupPriority(2)
        .associationType(AssociationType.PRIMARY)
        .syncStatus(SyncStatus.IN_SYNC)
        .syncMessage(null)
        .createdAt(CREATED_AT)
        .updatedAt(null)
        .build();
  }

  /**
   * A managed, online, deployed subcloud with rehome data and install values, in no peer group.
   *
   * @param name its name; its region name derives from it
   * @return the unsaved subcloud
   */
  public static Subcloud subcloud(String name) {
    return Subcloud.builder()
        .name(name)
        .regionName(regionFor(name))
        .description("subcloud " + name)
        .location("rack 4")
        .softwareVersion("24.09")
        .managementState(ManagementState.MANAGED)
        .availabilityStatus(AvailabilityStatus.ONLINE)
        .deployStatus(DeployStatus.COMPLETE)
        .errorDescription("No errors present")
        .groupId(1L)
        .peerGroupId(null)
        .rehomeData(rehomeData())
        .installValues(installValues())
        .rehomed(false)
        .createdAt(CREATED_AT)
        .updatedAt(null)
        .build();
  }

  /**
   * A subcloud with every optional field null: description, location, software version, error
   * description, subcloud group, peer group, rehome data, install values and update time.
   *
   * @param name its name; its region name derives from it
   * @return the unsaved subcloud
   */
  public static Subcloud minimalSubcloud(String name) {
    return subcloud(name).toBuilder()
        .description(null)
        .location(null)
        .softwareVersion(null)
        .errorDescription(null)
        .groupId(null)
        .rehomeData(null)
        .installValues(null)
        .build();
  }

  /**
   * The region name {@link #subcloud} gives a name: 32 hex digits, as StarlingX makes them.
   *
   * @param name the subcloud name
   * @return the region name
   */
  public static String regionFor(String name) {
    return uuidFor("region:" + name).replace("-", "");
  }

  /**
   * Rehome data exercising every kind of value a parsed payload holds: nested objects and lists,
   * nulls, integers, a long, a fraction, booleans, empty text, empty containers and text outside
   * ASCII.
   *
   * @return the rehome data
   */
  public static RehomeData rehomeData() {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("name", "subcloud1");
    payload.put(RehomeData.BOOTSTRAP_ADDRESS, "10.10.10.12");
    payload.put(RehomeData.SYSTEMCONTROLLER_GATEWAY_ADDRESS, "192.168.204.101");
    payload.put("external_oam_subnet", "10.10.10.0/24");
    payload.put("admin_password", "TGk2OW51eCo=");
    payload.put("management_start_address", "192.168.101.2");
    payload.put("sysadmin_user_id", 42);
    payload.put("negative", -7);
    payload.put("big", 10_000_000_000L);
    payload.put("ratio", 2.5);
    payload.put("zero", 0);
    payload.put("docker_http_proxy", null);
    payload.put("dry_run", false);
    payload.put("rehomed", true);
    payload.put("empty_text", "");
    payload.put("empty_map", Map.of());
    payload.put("empty_list", List.of());
    payload.put("description", UNICODE);
    payload.put("dns_servers", List.of("8.8.8.8", "8.8.4.4"));
    payload.put("mixed", nullableList("a", 1, true, null, 2.5));
    Map<String, Object> registry = new LinkedHashMap<>();
    registry.put("url", "registry.central:9001");
    registry.put("secure", true);
    registry.put("port", 9001);
    registry.put("token", null);
    registry.put("mirrors", List.of(Map.of("name", "m1", "weight", 3)));
    payload.put("docker_registries", Map.of("defaults", registry));
    Map<String, Object> content = new LinkedHashMap<>();
    content.put(RehomeData.SAVED_PAYLOAD, payload);
    content.put("schema", 1);
    return new RehomeData(content);
  }

  /**
   * Install values with nested objects, lists, nulls, numbers and booleans.
   *
   * @return a new map
   */
  public static Map<String, Object> installValues() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("bootstrap_interface", "enp0s3");
    values.put("bootstrap_address", "10.10.10.12");
    values.put("bmc_address", "128.224.64.180");
    values.put("bmc_username", "root");
    values.put("install_type", 3);
    values.put("persistent_size", 30000);
    values.put("wipe_osds", false);
    values.put("rd.net.timeout.ipv6dad", 300);
    values.put("rvmc_config", null);
    values.put("image", "http://" + UNICODE + "/bootimage.iso");
    values.put("boot_device", List.of("/dev/disk/by-path/pci-0000:00:1f.2-ata-1.0"));
    values.put("network", Map.of("address", "10.10.10.12", "prefix", 24, "vlan", 0));
    return values;
  }

  /**
   * The value of a write that must have been stored.
   *
   * @param result the write's outcome
   * @param <T> the record type
   * @return the stored record
   * @throws AssertionError when the outcome is not {@link StoreResult.Saved}
   */
  public static <T> T saved(StoreResult<T> result) {
    assertThat(result).as("store result").isInstanceOf(StoreResult.Saved.class);
    return ((StoreResult.Saved<T>) result).value();
  }

  /**
   * Checks that a set of stores holds nothing, as {@code newStores()} must answer.
   *
   * @param stores the stores
   * @throws AssertionError naming the store that holds records
   */
  public static void assertEmpty(Stores stores) {
    assertThat(stores.systemPeers().findAll()).as("system peers of fresh stores").isEmpty();
    assertThat(stores.peerGroups().findAll()).as("peer groups of fresh stores").isEmpty();
    assertThat(stores.associations().findAll()).as("associations of fresh stores").isEmpty();
    assertThat(stores.subclouds().findAll()).as("subclouds of fresh stores").isEmpty();
  }

  private static List<Object> nullableList(Object... values) {
    return new ArrayList<>(Arrays.asList(values));
  }
}
