package io.geored.adapters.keystone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One Keystone's identity v3 API, as geored uses it: password login scoped to a project, and token
 * validation. Every call carries {@code User-Header: distcloud}, as a StarlingX system controller's
 * calls do. Never logs; its exceptions name the Keystone and the status, never a password or a
 * token. Thread-safe.
 */
public final class KeystoneClient {

  /** The header StarlingX's dcmanager sends on its Keystone calls, and its value. */
  public static final String USER_HEADER = "User-Header";

  /** {@link #USER_HEADER}'s value. */
  public static final String USER_HEADER_VALUE = "distcloud";

  /** The default time one Keystone call may take. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String authUrl;
  private final HttpClient http;
  private final Duration timeout;

  private KeystoneClient(String authUrl, HttpClient http, Duration timeout) {
    this.authUrl = withoutTrailingSlash(authUrl);
    this.http = http;
    this.timeout = timeout;
  }

  /**
   * A client of the Keystone at an auth URL, with a plain HTTP client (the JDK's trust store for
   * https) and the default timeout.
   *
   * @param authUrl the v3 API, e.g. {@code https://10.10.10.2:5001/v3}
   * @return the client
   * @throws IllegalArgumentException when the URL is not an absolute http(s) URL
   */
  public static KeystoneClient of(String authUrl) {
    return of(
        authUrl,
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build(),
        DEFAULT_TIMEOUT);
  }

  /**
   * A client of the Keystone at an auth URL through a given HTTP client (e.g. one with the site's
   * trust store).
   *
   * @param authUrl the v3 API
   * @param http the HTTP client
   * @param timeout how long one call may take
   * @return the client
   * @throws IllegalArgumentException when the URL is not an absolute http(s) URL or the timeout is
   *     not positive
   */
  public static KeystoneClient of(String authUrl, HttpClient http, Duration timeout) {
    Objects.requireNonNull(authUrl, "authUrl");
    URI uri;
    try {
      uri = URI.create(authUrl.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Keystone auth URL is not a URL: " + authUrl, e);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "Keystone auth URL must be an absolute http or https URL: " + authUrl);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    return new KeystoneClient(
        authUrl.trim(), Objects.requireNonNull(http, "http"), Objects.requireNonNull(timeout));
  }

  /**
   * The auth URL this client calls.
   *
   * @return e.g. {@code http://127.0.0.1:5000/v3}
   */
  public String authUrl() {
    return authUrl;
  }

  /**
   * Logs in with a password, scoped to a project; the answer includes the catalog.
   *
   * @param credentials who, with what password, in which project
   * @return the new token
   * @throws KeystoneException when Keystone does not issue it (status 401 for wrong credentials, 0
   *     when it cannot be reached)
   */
  public KeystoneToken login(PasswordCredentials credentials) {
    Objects.requireNonNull(credentials, "credentials");
    ObjectNode body = JSON.createObjectNode();
    ObjectNode auth = body.putObject("auth");
    ObjectNode identity = auth.putObject("identity");
    identity.putArray("methods").add("password");
    ObjectNode user = identity.putObject("password").putObject("user");
    user.put("name", credentials.userName());
    user.putObject("domain").put("name", credentials.userDomainName());
    user.put("password", credentials.password());
    ObjectNode project = auth.putObject("scope").putObject("project");
    project.put("name", credentials.projectName());
    project.putObject("domain").put("name", credentials.projectDomainName());
    HttpResponse<String> response =
        send(
            request("/auth/tokens")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())),
            "login of user " + credentials.userName());
    if (response.statusCode() != 201) {
      throw new KeystoneException(
          "Keystone at "
              + authUrl
              + " refused the login of user "
              + credentials.userName()
              + " with status "
              + response.statusCode(),
          response.statusCode(),
          null);
    }
    String id =
        response
            .headers()
            .firstValue("X-Subject-Token")
            .filter(t -> !t.isEmpty())
            .orElseThrow(
                () ->
                    new KeystoneException(
                        "Keystone at " + authUrl + " issued no X-Subject-Token", 0, null));
    return parse(id, response.body());
  }

  /**
   * Validates someone's token, authenticated with a token of one's own ({@code GET /v3/auth/tokens}
   * with {@code X-Subject-Token}, no catalog).
   *
   * @param ownToken the caller's own token (a service user's), allowed to validate tokens
   * @param subjectToken the token to validate
   * @return what Keystone says about it, or empty when Keystone does not know it (invalid, expired
   *     or revoked: 404)
   * @throws KeystoneException status 401 when {@code ownToken} is no longer valid, 403 when it may
   *     not validate tokens, 0 when Keystone cannot be reached, or any other unexpected status
   */
  public Optional<KeystoneToken> validate(String ownToken, String subjectToken) {
    Objects.requireNonNull(ownToken, "ownToken");
    Objects.requireNonNull(subjectToken, "subjectToken");
    HttpResponse<String> response =
        send(
            request("/auth/tokens?nocatalog")
                .header("X-Auth-Token", ownToken)
                .header("X-Subject-Token", subjectToken)
                .GET(),
            "token validation");
    return switch (response.statusCode()) {
      case 200 -> Optional.of(parse(subjectToken, response.body()));
      case 404 -> Optional.empty();
      default ->
          throw new KeystoneException(
              "Keystone at "
                  + authUrl
                  + " answered the token validation with status "
                  + response.statusCode(),
              response.statusCode(),
              null);
    };
  }

  @Override
  public String toString() {
    return "KeystoneClient[" + authUrl + "]";
  }

  // ------------------------------------------------------------------ plumbing

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(authUrl + path))
        .timeout(timeout)
        .header("Accept", "application/json")
        .header(USER_HEADER, USER_HEADER_VALUE);
  }

  private HttpResponse<String> send(HttpRequest.Builder request, String what) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new KeystoneException(
          "Keystone at " + authUrl + " cannot be reached for the " + what + ": " + describe(e),
          0,
          null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KeystoneException("interrupted during the " + what, 0, null);
    }
  }

  /** The failure's kind and text (an IOException's message holds no secret of ours). */
  private static String describe(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : " " + message);
  }

  private KeystoneToken parse(String id, String body) {
    JsonNode token;
    try {
      token = JSON.readTree(body).path("token");
    } catch (IOException e) {
      throw new KeystoneException(
          "Keystone at " + authUrl + " answered a token that is not JSON", 0, null);
    }
    JsonNode user = token.path("user");
    JsonNode project = token.path("project");
    Set<String> roles = new HashSet<>();
    token.path("roles").forEach(r -> roles.add(r.path("name").asText()));
    List<KeystoneToken.CatalogEntry> catalog = new ArrayList<>();
    for (JsonNode service : token.path("catalog")) {
      for (JsonNode endpoint : service.path("endpoints")) {
        String region = endpoint.path("region_id").asText(endpoint.path("region").asText(""));
        catalog.add(
            new KeystoneToken.CatalogEntry(
                service.path("type").asText(""),
                service.path("name").asText(""),
                region,
                endpoint.path("interface").asText(""),
                endpoint.path("url").asText("")));
      }
    }
    Instant expiresAt;
    try {
      expiresAt = Instant.parse(token.path("expires_at").asText());
    } catch (DateTimeParseException e) {
      throw new KeystoneException(
          "Keystone at " + authUrl + " answered a token without a valid expires_at", 0, null);
    }
    if (!user.hasNonNull("id")) {
      throw new KeystoneException(
          "Keystone at " + authUrl + " answered a token without a user", 0, null);
    }
    return new KeystoneToken(
        id,
        user.path("id").asText(),
        user.path("name").asText(""),
        user.path("domain").path("id").asText(""),
        text(project, "id"),
        text(project, "name"),
        project.isMissingNode() ? Optional.empty() : text(project.path("domain"), "id"),
        roles,
        expiresAt,
        catalog);
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
  }

  private static String withoutTrailingSlash(String url) {
    String out = url;
    while (out.endsWith("/")) {
      out = out.substring(0, out.length() - 1);
    }
    return out;
  }
}
