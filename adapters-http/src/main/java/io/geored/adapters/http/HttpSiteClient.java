package io.geored.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.geored.adapters.http.internal.EscapingLogger;
import io.geored.adapters.http.internal.Json;
import io.geored.adapters.http.internal.Multipart;
import io.geored.adapters.http.internal.Wire;
import io.geored.spi.ConflictException;
import io.geored.spi.ForbiddenException;
import io.geored.spi.GeoredException;
import io.geored.spi.NotFoundException;
import io.geored.spi.PeerTransportException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.AssociationUpdate;
import io.geored.spi.api.AuditAnswer;
import io.geored.spi.api.AuditRequest;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.PeerGroupStatus;
import io.geored.spi.api.PeerGroupUpdate;
import io.geored.spi.api.SiteApi;
import io.geored.spi.api.SubcloudCreate;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.api.SystemPeerCreate;
import io.geored.spi.api.SystemPeerUpdate;
import io.geored.spi.api.WithInfo;
import io.geored.spi.api.WorkProgress;
import io.geored.spi.model.LocalSystem;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;

/**
 * A {@link SiteApi} that talks to a remote site over HTTP in the dcmanager v1 dialect
 * (docs/dialect.md), on the JDK {@link HttpClient}. Calls made by a peer site ({@link
 * Caller#isPeerSite()}) carry {@code User-Agent: dcmanager/1.0}, the others {@link
 * #OPERATOR_USER_AGENT}; every call carries {@code X-Auth-Token} from the token supplier, asked
 * each time, and a caller writing under a leader epoch ({@link Caller#leaderEpoch()}) sends it in
 * {@code X-Geored-Leader-Epoch}.
 *
 * <p>Answers: 200 is success. An error answer becomes the outcome SiteApi names when it is one: 400
 * a {@link ValidationException}, 409 a {@link ConflictException}, 404 a {@link NotFoundException}
 * when its text is one of the not-found texts, 403 a {@link ForbiddenException} when it is the
 * site's sync refusal — each with the peer's message. Anything else (another status, a timeout, a
 * refused connection, an answer that cannot be read) is a {@link PeerTransportException} naming the
 * call and the status, never the token. Thread-safe.
 */
public final class HttpSiteClient implements SiteApi {

  private static final Logger LOG = EscapingLogger.of(HttpSiteClient.class);

  /** The User-Agent of calls made on behalf of an operator. */
  public static final String OPERATOR_USER_AGENT = "geored/1.0";

  private static final List<String> NOT_FOUND_TEXTS =
      List.of(
          Messages.SYSTEM_PEER_NOT_FOUND,
          Messages.SUBCLOUD_NOT_FOUND,
          Messages.PEER_GROUP_NOT_FOUND,
          Messages.ASSOCIATION_NOT_FOUND);

  private static final String YAML_TYPE = "application/x-yaml";
  private static final int MAX_ERROR_TEXT = 500;

  /** Where each call goes and with which token; asked per call. */
  private interface Target {
    PeerAccess access();

    /** The peer refused {@code rejected} with 401: whether one retry with a new access is due. */
    boolean renew(PeerAccess rejected);
  }

  private final HttpClient http;
  private final String base;
  private final Target target;
  private final Duration requestTimeout;

  /**
   * A client for the site at a base URL.
   *
   * @param http the JDK client (connect timeout and TLS are its own settings)
   * @param baseUrl the site's dcmanager endpoint, e.g. {@code http://host:8119/v1.0}
   * @param token gives the token for each call
   * @param requestTimeout how long one call may take
   */
  public HttpSiteClient(
      HttpClient http, URI baseUrl, Supplier<String> token, Duration requestTimeout) {
    this.http = Objects.requireNonNull(http, "http");
    String b = Objects.requireNonNull(baseUrl, "baseUrl").toString();
    this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    Objects.requireNonNull(token, "token");
    URI fixed = URI.create(base);
    this.target =
        new Target() {
          @Override
          public PeerAccess access() {
            return new PeerAccess(token.get(), fixed, null);
          }

          @Override
          public boolean renew(PeerAccess rejected) {
            return false;
          }
        };
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
  }

  /**
   * A client for a system peer whose URLs and token a {@link PeerAccessProvider} resolves on every
   * call. A call the peer answers 401 is made once more with a new access when the provider {@link
   * PeerAccessProvider#renew renews} it (a provider that can log in again); never more than once.
   *
   * @param http the JDK client (connect timeout and TLS are its own settings)
   * @param peer the system peer called
   * @param access resolves the token and the URLs
   * @param requestTimeout how long one call may take
   */
  public HttpSiteClient(
      HttpClient http, SystemPeer peer, PeerAccessProvider access, Duration requestTimeout) {
    this.http = Objects.requireNonNull(http, "http");
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(access, "access");
    String b = Objects.requireNonNull(peer.managerEndpoint(), "managerEndpoint").trim();
    this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    this.target =
        new Target() {
          @Override
          public PeerAccess access() {
            return access.accessFor(peer);
          }

          @Override
          public boolean renew(PeerAccess rejected) {
            return access.renew(peer, rejected);
          }
        };
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
  }

  /**
   * A client with its own JDK client and the default timeouts (5 s connect, 30 s request); the JDK
   * client runs its own tasks inline, as {@link HttpPeerSites}' does by default.
   *
   * @param baseUrl the site's endpoint
   * @param token the token
   * @return the client
   */
  public static HttpSiteClient create(URI baseUrl, String token) {
    return create(baseUrl, token, null);
  }

  /**
   * A client with its own JDK client, the default timeouts and a TLS context for an https site.
   *
   * @param baseUrl the site's endpoint
   * @param token the token
   * @param sslContext what to trust ({@link TlsContexts#trusting}), or null for the JDK's default
   * @return the client
   */
  public static HttpSiteClient create(URI baseUrl, String token, SSLContext sslContext) {
    HttpClient.Builder http =
        HttpClient.newBuilder()
            .connectTimeout(HttpPeerSites.DEFAULT_CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .executor(HttpPeerSites.INLINE);
    if (sslContext != null) {
      http.sslContext(sslContext);
    }
    return new HttpSiteClient(
        http.build(), baseUrl, () -> token, HttpPeerSites.DEFAULT_REQUEST_TIMEOUT);
  }

  /**
   * The base URL it was made for: the dcmanager endpoint, or for a client of a {@link
   * PeerAccessProvider} the peer's {@code manager_endpoint} (which, with Keystone, is the peer's
   * Keystone URL; the dcmanager URL comes from the catalog).
   *
   * @return the URL without a trailing slash
   */
  public String baseUrl() {
    return base;
  }

  /** The JDK client it sends with (package-private: for tests). */
  HttpClient httpClient() {
    return http;
  }

  @Override
  public String toString() {
    return "HttpSiteClient[" + base + "]";
  }

  // ------------------------------------------------------------------ identity

  @Override
  public LocalSystem identity(Caller caller) {
    JsonNode n = send("identity", caller, "GET", PeerAccess::identityUrl, null);
    JsonNode first = n.path("isystems").path(0);
    String uuid = Wire.text(first, "uuid");
    String name = Wire.text(first, "name");
    if (uuid == null || name == null) {
      throw new PeerTransportException("identity to " + base + ": unreadable answer", 200, null);
    }
    return new LocalSystem(uuid, name);
  }

  // ------------------------------------------------------------------ system peers

  @Override
  public SystemPeer createSystemPeer(Caller caller, SystemPeerCreate r) {
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, "peer_uuid", r.peerUuid());
    put(m, "peer_name", r.peerName());
    put(m, "manager_endpoint", r.managerEndpoint());
    put(m, "manager_username", r.managerUsername());
    put(m, "manager_password", r.managerPassword());
    put(m, "peer_controller_gateway_address", r.peerControllerGatewayAddress());
    put(m, "administrative_state", r.administrativeState());
    put(m, "heartbeat_interval", r.heartbeatInterval());
    put(m, "heartbeat_failure_threshold", r.heartbeatFailureThreshold());
    put(m, "heartbeat_failure_policy", r.heartbeatFailurePolicy());
    put(m, "heartbeat_maintenance_timeout", r.heartbeatMaintenanceTimeout());
    return Wire.systemPeer(send("createSystemPeer", caller, "POST", "/system-peers", json(m)));
  }

  @Override
  public SystemPeer getSystemPeer(Caller caller, String ref) {
    return Wire.systemPeer(send("getSystemPeer", caller, "GET", "/system-peers/" + seg(ref), null));
  }

  @Override
  public List<SystemPeer> listSystemPeers(Caller caller) {
    return list(
        send("listSystemPeers", caller, "GET", "/system-peers", null),
        Wire.SYSTEM_PEERS,
        Wire::systemPeer);
  }

  @Override
  public WithInfo<SystemPeer> updateSystemPeer(Caller caller, String ref, SystemPeerUpdate r) {
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, "peer_uuid", r.peerUuid());
    put(m, "peer_name", r.peerName());
    put(m, "manager_endpoint", r.managerEndpoint());
    put(m, "manager_username", r.managerUsername());
    put(m, "manager_password", r.managerPassword());
    put(m, "peer_controller_gateway_address", r.peerControllerGatewayAddress());
    put(m, "administrative_state", r.administrativeState());
    put(m, "heartbeat_interval", r.heartbeatInterval());
    put(m, "heartbeat_failure_threshold", r.heartbeatFailureThreshold());
    put(m, "heartbeat_failure_policy", r.heartbeatFailurePolicy());
    put(m, "heartbeat_maintenance_timeout", r.heartbeatMaintenanceTimeout());
    JsonNode n = send("updateSystemPeer", caller, "PATCH", "/system-peers/" + seg(ref), json(m));
    return new WithInfo<>(Wire.systemPeer(n), Wire.text(n, Wire.INFO_MESSAGE));
  }

  @Override
  public void deleteSystemPeer(Caller caller, String ref) {
    send("deleteSystemPeer", caller, "DELETE", "/system-peers/" + seg(ref), null);
  }

  @Override
  public List<SubcloudPeerGroup> peerGroupsOfSystemPeer(Caller caller, String ref) {
    return list(
        send(
            "peerGroupsOfSystemPeer",
            caller,
            "GET",
            "/system-peers/" + seg(ref) + "/subcloud-peer-groups",
            null),
        Wire.PEER_GROUPS,
        Wire::peerGroup);
  }

  // ------------------------------------------------------------------ peer groups

  @Override
  public SubcloudPeerGroup createPeerGroup(Caller caller, PeerGroupCreate r) {
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, "peer-group-name", r.peerGroupName());
    put(m, "group-priority", r.groupPriority());
    put(m, "group-state", r.groupState());
    put(m, "system-leader-id", r.systemLeaderId());
    put(m, "system-leader-name", r.systemLeaderName());
    put(m, "max-subcloud-rehoming", r.maxSubcloudRehoming());
    return Wire.peerGroup(
        send("createPeerGroup", caller, "POST", "/subcloud-peer-groups", json(m)));
  }

  @Override
  public SubcloudPeerGroup getPeerGroup(Caller caller, String ref) {
    return Wire.peerGroup(
        send("getPeerGroup", caller, "GET", "/subcloud-peer-groups/" + seg(ref), null));
  }

  @Override
  public List<SubcloudPeerGroup> listPeerGroups(Caller caller) {
    return list(
        send("listPeerGroups", caller, "GET", "/subcloud-peer-groups", null),
        Wire.PEER_GROUPS,
        Wire::peerGroup);
  }

  @Override
  public SubcloudPeerGroup updatePeerGroup(Caller caller, String ref, PeerGroupUpdate r) {
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, "peer-group-name", r.peerGroupName());
    put(m, "group-priority", r.groupPriority());
    put(m, "group-state", r.groupState());
    put(m, "system-leader-id", r.systemLeaderId());
    put(m, "system-leader-name", r.systemLeaderName());
    put(m, "max-subcloud-rehoming", r.maxSubcloudRehoming());
    put(m, "migration_status", r.migrationStatus());
    return Wire.peerGroup(
        send("updatePeerGroup", caller, "PATCH", "/subcloud-peer-groups/" + seg(ref), json(m)));
  }

  @Override
  public void deletePeerGroup(Caller caller, String ref) {
    send("deletePeerGroup", caller, "DELETE", "/subcloud-peer-groups/" + seg(ref), null);
  }

  @Override
  public PeerGroupStatus peerGroupStatus(Caller caller, String ref) {
    return Wire.status(
        send(
            "peerGroupStatus",
            caller,
            "GET",
            "/subcloud-peer-groups/" + seg(ref) + "/status",
            null));
  }

  @Override
  public WorkProgress migrationProgress(Caller caller, String ref) {
    return Wire.progress(
        send(
            "migrationProgress",
            caller,
            "GET",
            "/subcloud-peer-groups/" + seg(ref) + "/migration-progress",
            null),
        false);
  }

  @Override
  public List<Subcloud> subcloudsOfPeerGroup(Caller caller, String ref) {
    return list(
        send(
            "subcloudsOfPeerGroup",
            caller,
            "GET",
            "/subcloud-peer-groups/" + seg(ref) + "/subclouds",
            null),
        Wire.SUBCLOUDS,
        Wire::subcloud);
  }

  @Override
  public List<Subcloud> migratePeerGroup(Caller caller, String ref, MigrateRequest r) {
    Map<String, Object> m = new LinkedHashMap<>();
    String password = r == null ? null : r.sysadminPassword();
    // Sent even when null, so the site (not this client) answers that it needs one.
    m.put(
        "sysadmin_password",
        password == null
            ? null
            : Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8)));
    return list(
        send(
            "migratePeerGroup",
            caller,
            "PATCH",
            "/subcloud-peer-groups/" + seg(ref) + "/migrate",
            json(m)),
        Wire.SUBCLOUDS,
        Wire::subcloud);
  }

  @Override
  public AuditAnswer auditPeerGroup(Caller caller, String ref, AuditRequest r) {
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, "peer_group_name", r.peerGroupName());
    put(m, "group_priority", r.groupPriority());
    put(m, "group_state", r.groupState());
    put(m, "max_subcloud_rehoming", r.maxSubcloudRehoming());
    put(m, "system_leader_id", r.systemLeaderId());
    put(m, "system_leader_name", r.systemLeaderName());
    if (r.migrationStatus() != null) {
      // Upstream's group carries "no migration" as null; the key stays, so it is not "missing".
      m.put(
          "migration_status",
          r.migrationStatus().equalsIgnoreCase("none") ? null : r.migrationStatus());
    }
    put(m, "peer_uuid", r.peerUuid());
    JsonNode n =
        send(
            "auditPeerGroup",
            caller,
            "PATCH",
            "/subcloud-peer-groups/" + seg(ref) + "/audit",
            json(m));
    return new AuditAnswer(Wire.text(n, "message"));
  }

  @Override
  public SubcloudPeerGroup handOverPeerGroup(Caller caller, String ref) {
    return Wire.peerGroup(
        send(
            "handOverPeerGroup",
            caller,
            "PATCH",
            "/subcloud-peer-groups/" + seg(ref) + "/hand-over",
            null));
  }

  // ------------------------------------------------------------------ associations

  @Override
  public PeerGroupAssociation createAssociation(Caller caller, AssociationCreate r) {
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, "peer_group_id", r.peerGroupId());
    put(m, "system_peer_id", r.systemPeerId());
    put(m, "peer_group_priority", r.peerGroupPriority());
    return Wire.association(
        send("createAssociation", caller, "POST", "/peer-group-associations", json(m)));
  }

  @Override
  public PeerGroupAssociation getAssociation(Caller caller, long id) {
    return Wire.association(
        send("getAssociation", caller, "GET", "/peer-group-associations/" + id, null));
  }

  @Override
  public List<PeerGroupAssociation> listAssociations(Caller caller) {
    return list(
        send("listAssociations", caller, "GET", "/peer-group-associations", null),
        Wire.ASSOCIATIONS,
        Wire::association);
  }

  @Override
  public PeerGroupAssociation updateAssociation(Caller caller, long id, AssociationUpdate r) {
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, "peer_group_priority", r.peerGroupPriority());
    put(m, "sync_status", r.syncStatus());
    return Wire.association(
        send("updateAssociation", caller, "PATCH", "/peer-group-associations/" + id, json(m)));
  }

  @Override
  public PeerGroupAssociation syncAssociation(Caller caller, long id) {
    return Wire.association(
        send("syncAssociation", caller, "PATCH", "/peer-group-associations/" + id + "/sync", null));
  }

  @Override
  public WorkProgress syncProgress(Caller caller, long id) {
    return Wire.progress(
        send(
            "syncProgress",
            caller,
            "GET",
            "/peer-group-associations/" + id + "/sync-progress",
            null),
        true);
  }

  @Override
  public void deleteAssociation(Caller caller, long id) {
    send("deleteAssociation", caller, "DELETE", "/peer-group-associations/" + id, null);
  }

  // ------------------------------------------------------------------ subclouds

  @Override
  public Subcloud createSubcloud(Caller caller, SubcloudCreate r) {
    Multipart.Writer form = new Multipart.Writer();
    if (r.bootstrapValues() != null) {
      form.file(
          "bootstrap_values",
          "bootstrap_values.yaml",
          YAML_TYPE,
          Json.writeYaml(r.bootstrapValues()));
    }
    if (r.installValues() != null) {
      form.file(
          "install_values", "install_values.yaml", YAML_TYPE, Json.writeYaml(r.installValues()));
    }
    field(form, "bootstrap-address", r.bootstrapAddress());
    field(form, "region_name", r.regionName());
    field(form, "location", r.location());
    field(form, "description", r.description());
    field(form, "release", r.release());
    if (r.secondary()) {
      form.field("secondary", "true");
    }
    if (r.name() != null
        && (r.bootstrapValues() == null || !r.name().equals(r.bootstrapValues().get("name")))) {
      // Upstream reads the name from the bootstrap values; say it when they do not.
      form.field("name", r.name());
    }
    if (r.groupId() != null) {
      form.field("group_id", String.valueOf(r.groupId()));
    }
    return Wire.subcloud(send("createSubcloud", caller, "POST", "/subclouds", form));
  }

  @Override
  public Subcloud getSubcloud(Caller caller, String ref) {
    return Wire.subcloud(
        send("getSubcloud", caller, "GET", "/subclouds/" + seg(ref) + "/detail", null));
  }

  @Override
  public List<Subcloud> listSubclouds(Caller caller) {
    return list(
        send("listSubclouds", caller, "GET", "/subclouds", null), Wire.SUBCLOUDS, Wire::subcloud);
  }

  @Override
  public WithInfo<Subcloud> updateSubcloud(Caller caller, String ref, SubcloudUpdate r) {
    Multipart.Writer form = new Multipart.Writer();
    field(form, "management-state", r.managementState());
    field(form, "force", r.force());
    field(form, "migrate", r.migrate());
    field(form, "peer_group", r.peerGroup());
    if (r.bootstrapValues() != null) {
      form.file(
          "bootstrap_values",
          "bootstrap_values.yaml",
          YAML_TYPE,
          Json.writeYaml(r.bootstrapValues()));
    }
    field(form, "bootstrap_address", r.bootstrapAddress());
    field(form, "description", r.description());
    field(form, "location", r.location());
    field(form, "group_id", r.groupId());
    if (r.installValues() != null) {
      form.file(
          "install_values", "install_values.yaml", YAML_TYPE, Json.writeYaml(r.installValues()));
    }
    field(form, "release", r.release());
    field(form, "deploy_status", r.deployStatus());
    JsonNode n = send("updateSubcloud", caller, "PATCH", "/subclouds/" + seg(ref), form);
    return new WithInfo<>(Wire.subcloud(n), Wire.text(n, Wire.INFO_MESSAGE));
  }

  @Override
  public void deleteSubcloud(Caller caller, String ref) {
    send("deleteSubcloud", caller, "DELETE", "/subclouds/" + seg(ref), null);
  }

  // ------------------------------------------------------------------ transport

  private static void put(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  private static void field(Multipart.Writer form, String name, Object value) {
    if (value != null) {
      form.field(name, String.valueOf(value));
    }
  }

  private static byte[] json(Map<String, Object> m) {
    return Json.write(m);
  }

  private static String seg(String ref) {
    Objects.requireNonNull(ref, "ref");
    return URLEncoder.encode(ref, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static <T> List<T> list(JsonNode n, String key, Function<JsonNode, T> reader) {
    JsonNode items = n.path(key);
    List<T> out = new ArrayList<>();
    for (JsonNode item : items) {
      out.add(reader.apply(item));
    }
    return List.copyOf(out);
  }

  private JsonNode send(String call, Caller caller, String method, String path, Object body) {
    return send(call, caller, method, a -> URI.create(dcmanagerBase(a) + path), body);
  }

  private static String dcmanagerBase(PeerAccess access) {
    String b = access.dcmanagerUrl().toString();
    return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
  }

  private JsonNode send(
      String call, Caller caller, String method, Function<PeerAccess, URI> url, Object body) {
    PeerAccess access = target.access();
    HttpResponse<byte[]> response = exchange(call, caller, method, url, body, access);
    if (response.statusCode() == 401 && target.renew(access)) {
      // The peer no longer takes the token (expired early, revoked): one new login, one retry.
      LOG.info("peer refused the token, retrying once with a new one call={} base={}", call, base);
      access = target.access();
      response = exchange(call, caller, method, url, body, access);
    }
    String where = dcmanagerBase(access);
    int status = response.statusCode();
    if (status != 200) {
      throw errorFor(call, where, status, errorText(response.body()));
    }
    try {
      return Json.parse(response.body());
    } catch (IOException | RuntimeException e) {
      throw unreadable(call, where, e);
    }
  }

  private HttpResponse<byte[]> exchange(
      String call,
      Caller caller,
      String method,
      Function<PeerAccess, URI> url,
      Object body,
      PeerAccess access) {
    String where = dcmanagerBase(access);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(url.apply(access))
            .timeout(requestTimeout)
            .header(GeoredHttpHandler.AUTH_HEADER, access.token())
            .header(
                "User-Agent",
                caller.isPeerSite() ? GeoredHttpHandler.PEER_USER_AGENT : OPERATOR_USER_AGENT)
            .header("Accept", "application/json");
    caller
        .leaderEpoch()
        .ifPresent(e -> b.header(GeoredHttpHandler.LEADER_EPOCH_HEADER, Long.toString(e)));
    if (body instanceof byte[] bytes) {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
    } else if (body instanceof Multipart.Writer form) {
      b.header("Content-Type", form.contentType())
          .method(method, HttpRequest.BodyPublishers.ofByteArray(form.body()));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new PeerTransportException(
          call + " to " + where + " failed: " + e.getClass().getSimpleName() + " " + e.getMessage(),
          0,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PeerTransportException(call + " to " + where + " interrupted", 0, e);
    }
  }

  private static PeerTransportException unreadable(String call, String where, Exception cause) {
    return new PeerTransportException(call + " to " + where + ": unreadable answer", 200, cause);
  }

  private static GeoredException errorFor(String call, String base, int status, String text) {
    switch (status) {
      case 400 -> {
        return new ValidationException(text);
      }
      case 409 -> {
        return new ConflictException(text);
      }
      case 404 -> {
        for (String known : NOT_FOUND_TEXTS) {
          if (text.contains(known)) {
            return new NotFoundException(known);
          }
        }
      }
      case 403 -> {
        if (text.contains(Messages.PEER_GROUP_SYNC_REFUSED)) {
          return new ForbiddenException(Messages.PEER_GROUP_SYNC_REFUSED);
        }
      }
      default -> {}
    }
    LOG.debug("peer call failed call={} base={} status={}", call, base, status);
    return new PeerTransportException(
        call + " to " + base + " answered status " + status + ": " + text, status, null);
  }

  /** The message of an error answer: the fault string when there is one, else the text. */
  static String errorText(byte[] body) {
    String raw = new String(body, StandardCharsets.UTF_8).trim();
    String text = raw;
    try {
      JsonNode n = Json.parse(body);
      if (n.hasNonNull("faultstring")) {
        text = n.get("faultstring").asText();
      } else if (n.hasNonNull("error_message")) {
        JsonNode e = n.get("error_message");
        if (e.isTextual()) {
          text = e.asText();
          try {
            JsonNode inner = Json.parse(text.getBytes(StandardCharsets.UTF_8));
            if (inner.hasNonNull("faultstring")) {
              text = inner.get("faultstring").asText();
            }
          } catch (IOException | RuntimeException notJson) {
            // The plain text is the message.
          }
        } else if (e.hasNonNull("message")) {
          text = e.get("message").asText();
        }
      }
    } catch (IOException | RuntimeException notJson) {
      // Not JSON: the raw text is the message.
    }
    return text.length() > MAX_ERROR_TEXT ? text.substring(0, MAX_ERROR_TEXT) + "..." : text;
  }
}
