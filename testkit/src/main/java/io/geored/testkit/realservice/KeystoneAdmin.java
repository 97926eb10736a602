package io.geored.testkit.realservice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A test's hands on a {@link Keystone}'s v3 API: logs in (password method, user and project in
 * domain {@code Default}), and as an admin creates projects, users, roles, role assignments,
 * regions, services and endpoints, and revokes tokens. Every call is checked: an unexpected status
 * throws {@link IllegalStateException} with the method, the path, the status and Keystone's answer
 * (which never holds a token). Thread-safe; the admin token is fetched on first use and again
 * shortly before it expires.
 */
public final class KeystoneAdmin {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final HttpClient DEFAULT_CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final String authUrl;
  private final String user;
  private final String password;
  private final HttpClient client;
  private Token adminToken;

  /**
   * A helper acting as an admin user (project {@code admin}, domain {@code Default}).
   *
   * @param authUrl the v3 API, e.g. {@code http://127.0.0.1:40123/v3}
   * @param user the admin user's name
   * @param password its password
   */
  public KeystoneAdmin(String authUrl, String user, String password) {
    this(authUrl, user, password, DEFAULT_CLIENT);
  }

  /**
   * A helper acting as an admin user, calling through a client of the test's (e.g. one trusting a
   * test CA).
   *
   * @param authUrl the v3 API
   * @param user the admin user's name
   * @param password its password
   * @param client the HTTP client
   */
  public KeystoneAdmin(String authUrl, String user, String password, HttpClient client) {
    this.authUrl = stripSlash(Objects.requireNonNull(authUrl, "authUrl"));
    this.user = Objects.requireNonNull(user, "user");
    this.password = Objects.requireNonNull(password, "password");
    this.client = Objects.requireNonNull(client, "client");
  }

  /**
   * A token Keystone issued.
   *
   * @param id the token itself (the {@code X-Subject-Token} answer header): a secret
   * @param userId whose it is
   * @param projectId the project it is scoped to
   * @param roles the names of its roles in that project (implied roles included)
   * @param expiresAt when it stops being valid
   */
  public record Token(
      String id, String userId, String projectId, Set<String> roles, Instant expiresAt) {
    @Override
    public String toString() {
      return "Token[user=" + userId + " project=" + projectId + " expires=" + expiresAt + "]";
    }
  }

  /**
   * Whether {@code GET url} answers 200 (a readiness check).
   *
   * @param url the URL
   * @return true on 200, false on any other answer or none
   */
  static boolean answers(String url) {
    try {
      HttpResponse<Void> response =
          DEFAULT_CLIENT.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Logs a user in with its password, scoped to a project (both in domain {@code Default}).
   *
   * @param userName the user
   * @param userPassword its password
   * @param projectName the project
   * @return the token
   * @throws IllegalStateException when Keystone does not answer 201 (e.g. 401 for a wrong password)
   */
  public Token login(String userName, String userPassword, String projectName) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode auth = body.putObject("auth");
    ObjectNode identity = auth.putObject("identity");
    identity.putArray("methods").add("password");
    ObjectNode u = identity.putObject("password").putObject("user");
    u.put("name", userName);
    u.putObject("domain").put("id", "default");
    u.put("password", userPassword);
    ObjectNode project = auth.putObject("scope").putObject("project");
    project.put("name", projectName);
    project.putObject("domain").put("id", "default");
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(uri("/auth/tokens"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())),
            "POST /auth/tokens",
            201);
    String id =
        response
            .headers()
            .firstValue("X-Subject-Token")
            .orElseThrow(() -> new IllegalStateException("Keystone issued no X-Subject-Token"));
    JsonNode token = read(response).path("token");
    Set<String> roles = new java.util.TreeSet<>();
    token.path("roles").forEach(r -> roles.add(r.path("name").asText()));
    return new Token(
        id,
        token.path("user").path("id").asText(),
        token.path("project").path("id").asText(),
        Set.copyOf(roles),
        Instant.parse(token.path("expires_at").asText()));
  }

  /**
   * The admin's token (project {@code admin}), renewed within a minute of its expiry.
   *
   * @return the token
   */
  public synchronized String token() {
    if (adminToken == null || adminToken.expiresAt().minusSeconds(60).isBefore(Instant.now())) {
      adminToken = login(user, password, Keystone.ADMIN_PROJECT);
    }
    return adminToken.id();
  }

  /**
   * Creates a project in domain {@code Default}.
   *
   * @param name its name
   * @return its id
   */
  public String createProject(String name) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode project = body.putObject("project");
    project.put("name", name);
    project.put("domain_id", "default");
    return post("/projects", body, "project");
  }

  /**
   * Creates a user in domain {@code Default}.
   *
   * @param name its name
   * @param userPassword its password
   * @return its id
   */
  public String createUser(String name, String userPassword) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode u = body.putObject("user");
    u.put("name", name);
    u.put("domain_id", "default");
    u.put("password", userPassword);
    return post("/users", body, "user");
  }

  /**
   * Creates a global role.
   *
   * @param name its name, e.g. {@code service}
   * @return its id
   */
  public String createRole(String name) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("role").put("name", name);
    return post("/roles", body, "role");
  }

  /**
   * The id of a project by name (domain {@code Default}).
   *
   * @param name the name
   * @return its id
   * @throws IllegalStateException when there is none
   */
  public String projectId(String name) {
    return idByName("/projects?domain_id=default&name=", name, "projects");
  }

  /**
   * The id of a user by name (domain {@code Default}).
   *
   * @param name the name
   * @return its id
   * @throws IllegalStateException when there is none
   */
  public String userId(String name) {
    return idByName("/users?domain_id=default&name=", name, "users");
  }

  /**
   * The id of a role by name.
   *
   * @param name the name, e.g. {@code admin}
   * @return its id
   * @throws IllegalStateException when there is none
   */
  public String roleId(String name) {
    return idByName("/roles?name=", name, "roles");
  }

  /**
   * Gives a user a role in a project.
   *
   * @param userId the user's id
   * @param projectId the project's id
   * @param roleId the role's id
   */
  public void grant(String userId, String projectId, String roleId) {
    send(
        authorized(uri("/projects/" + projectId + "/users/" + userId + "/roles/" + roleId))
            .PUT(HttpRequest.BodyPublishers.noBody()),
        "PUT role assignment",
        204);
  }

  /**
   * Creates a region unless it exists ({@link Keystone#REGION_ONE} always does).
   *
   * @param id the region's id, e.g. {@code SystemController}
   */
  public void ensureRegion(String id) {
    HttpResponse<String> existing =
        send(authorized(uri("/regions/" + encode(id))).GET(), "GET /regions", 200, 404);
    if (existing.statusCode() == 200) {
      return;
    }
    ObjectNode body = JSON.createObjectNode();
    body.putObject("region").put("id", id);
    post("/regions", body, "region");
  }

  /**
   * Creates a service.
   *
   * @param type its type, e.g. {@code dcmanager}
   * @param name its name
   * @return its id
   */
  public String createService(String type, String name) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode service = body.putObject("service");
    service.put("type", type);
    service.put("name", name);
    service.put("enabled", true);
    return post("/services", body, "service");
  }

  /**
   * Creates an endpoint of a service.
   *
   * @param serviceId the service's id
   * @param region the region's id (it must exist)
   * @param iface {@code public}, {@code internal} or {@code admin}
   * @param url where the service answers
   * @return the endpoint's id
   */
  public String createEndpoint(String serviceId, String region, String iface, String url) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode endpoint = body.putObject("endpoint");
    endpoint.put("service_id", serviceId);
    endpoint.put("region_id", region);
    endpoint.put("interface", iface);
    endpoint.put("url", url);
    endpoint.put("enabled", true);
    return post("/endpoints", body, "endpoint");
  }

  /**
   * Registers a service with one public endpoint in a region (created when absent): what a client
   * finds in its token's catalog.
   *
   * @param type the service type, e.g. {@code dcmanager} or {@code platform}
   * @param name the service name
   * @param region the region, e.g. {@code SystemController} or {@link Keystone#REGION_ONE}
   * @param url the public endpoint
   * @return the service's id
   */
  public String registerEndpoint(String type, String name, String region, String url) {
    ensureRegion(region);
    String serviceId = createService(type, name);
    createEndpoint(serviceId, region, "public", url);
    return serviceId;
  }

  /**
   * Revokes a token ({@code DELETE /v3/auth/tokens}): Keystone stops validating it at once.
   *
   * @param token the token
   */
  public void revoke(String token) {
    send(
        authorized(uri("/auth/tokens"))
            .header("X-Subject-Token", Objects.requireNonNull(token, "token"))
            .DELETE(),
        "DELETE /auth/tokens",
        204);
  }

  /**
   * Validates a token as the admin ({@code GET /v3/auth/tokens}).
   *
   * @param token the token
   * @return the HTTP status: 200 when valid, 404 when not (expired, revoked, unknown)
   */
  public int validate(String token) {
    return send(
            authorized(uri("/auth/tokens"))
                .header("X-Subject-Token", Objects.requireNonNull(token, "token"))
                .GET(),
            "GET /auth/tokens",
            200,
            401,
            404)
        .statusCode();
  }

  @Override
  public String toString() {
    return "KeystoneAdmin[" + authUrl + " as " + user + "]";
  }

  // ------------------------------------------------------------------ plumbing

  private String post(String path, JsonNode body, String member) {
    HttpResponse<String> response =
        send(
            authorized(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())),
            "POST " + path,
            201);
    return read(response).path(member).path("id").asText();
  }

  private String idByName(String query, String name, String collection) {
    HttpResponse<String> response =
        send(authorized(uri(query + encode(name))).GET(), "GET " + query + name, 200);
    List<String> ids = new ArrayList<>();
    read(response).path(collection).forEach(n -> ids.add(n.path("id").asText()));
    if (ids.size() != 1) {
      throw new IllegalStateException(
          "expected one " + collection + " named " + name + ", found " + ids.size());
    }
    return ids.get(0);
  }

  private HttpRequest.Builder authorized(URI uri) {
    return HttpRequest.newBuilder(uri).header("X-Auth-Token", token());
  }

  private URI uri(String path) {
    return URI.create(authUrl + path);
  }

  private HttpResponse<String> send(HttpRequest.Builder request, String what, int... expected) {
    HttpResponse<String> response;
    try {
      response =
          client.send(
              request.timeout(TIMEOUT).header("Accept", "application/json").build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Keystone at " + authUrl + " did not answer " + what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted calling Keystone", e);
    }
    for (int status : expected) {
      if (response.statusCode() == status) {
        return response;
      }
    }
    throw new IllegalStateException(
        "Keystone answered " + what + " with " + response.statusCode() + ": " + response.body());
  }

  private static JsonNode read(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException("Keystone's answer is not JSON", e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
