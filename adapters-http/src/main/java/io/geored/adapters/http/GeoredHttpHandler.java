package io.geored.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geored.adapters.http.internal.EscapingLogger;
import io.geored.adapters.http.internal.Fields;
import io.geored.adapters.http.internal.HttpError;
import io.geored.adapters.http.internal.Json;
import io.geored.adapters.http.internal.Multipart;
import io.geored.adapters.http.internal.Wire;
import io.geored.spi.ForbiddenException;
import io.geored.spi.GeoredException;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.AssociationUpdate;
import io.geored.spi.api.AuditAnswer;
import io.geored.spi.api.AuditRequest;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.PeerGroupUpdate;
import io.geored.spi.api.SiteApi;
import io.geored.spi.api.SubcloudCreate;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.api.SystemPeerCreate;
import io.geored.spi.api.SystemPeerUpdate;
import io.geored.spi.api.WithInfo;
import io.geored.spi.model.Subcloud;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * Serves a {@link SiteApi} in the dcmanager v1 dialect (docs/dialect.md), independent of any HTTP
 * server: a host mounts it by turning its own request into a {@link Request} and writing back the
 * {@link Response}. {@link GeoredHttpServer} is the ready-made Jetty mount.
 *
 * <p>{@code GET <base>/openapi.yaml} answers the API's description (docs/openapi.yaml) without a
 * token. Every other request is authenticated ({@code X-Auth-Token}, 401 otherwise; 503 when the
 * authenticator cannot decide now, see {@link AuthenticationException}) and authorized by role
 * (403), then routed: an unknown resource is 404, a method the resource does not take 405, an
 * unknown verb after a known resource 400 {@code Invalid request}.
 *
 * <p>Who the site sees: a peer site's token (a principal naming a system peer) makes every call a
 * {@link Caller#peerSite(String)} one, whatever User-Agent it sends, so the site confines it to
 * peer work on what an association with that system peer covers. {@code User-Agent: dcmanager/1.0}
 * (exactly) makes an admin's call a {@link Caller#PEER_SITE} one, as upstream treats its admin; for
 * any other role it changes nothing: the call is an operator's. A peer site's request may carry its
 * leader epoch in {@value #LEADER_EPOCH_HEADER} ({@link Caller#withLeaderEpoch(long)}); the header
 * from any other caller, or a value that is not a positive integer, is answered 400 ({@link
 * HttpMessages#LEADER_EPOCH_NOT_A_PEER}, {@link HttpMessages#LEADER_EPOCH_INVALID}). A refused call
 * (403) is logged with the principal's name, never the token. {@code bmc_password} in a subcloud's
 * {@code data_install} is answered only to the admin role and to peer sites; other roles see {@code
 * ****}. A refusal of the site ({@link GeoredException}) is answered with its kind's status and its
 * message; anything unexpected with 500 and a fixed text, the details going to the log only. No
 * answer ever holds a stack trace, a token or a password.
 *
 * <p>An operator's JSON body holding a key the call does not read is refused (400 {@link
 * io.geored.spi.api.Messages#unknownKey}); a peer site's request keeps dcmanager's tolerance and
 * the key is ignored (logged at debug), as newer StarlingX releases send fields geored does not
 * know.
 *
 * <p>Thread-safe: it holds no per-request state.
 */
public final class GeoredHttpHandler {

  private static final Logger LOG = EscapingLogger.of(GeoredHttpHandler.class);

  /** The User-Agent that marks a request as coming from another site. */
  public static final String PEER_USER_AGENT = "dcmanager/1.0";

  /** The header carrying the token. */
  public static final String AUTH_HEADER = "X-Auth-Token";

  /**
   * The header carrying a peer site's leader epoch: the counter of its witness lease for the group
   * a write is about (docs/adr/0027). Only peer sites send it; its value is a positive integer.
   */
  public static final String LEADER_EPOCH_HEADER = "X-Geored-Leader-Epoch";

  /** The default base path. */
  public static final String DEFAULT_BASE_PATH = "/v1.0";

  /**
   * Where a StarlingX peer asks the identity call, outside the base path: sysinv's client removes
   * the first {@code /v1} from the catalog's {@code platform} endpoint and appends this path.
   * Served with the same authentication, roles and answer as {@code <base>/isystems}.
   */
  public static final String PLATFORM_IDENTITY_PATH = "/v1/isystems";

  /** The default largest body, 1 MiB. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

  private static final String JSON_TYPE = "application/json";

  /** The last segment of the API description's path, {@code <base>/openapi.yaml}. */
  public static final String OPENAPI = "openapi.yaml";

  private static final String YAML_TYPE = "application/yaml";

  /** docs/openapi.yaml, copied beside this class by the build; read once. */
  private static final class OpenApiDocument {
    static final byte[] BYTES = read();

    private static byte[] read() {
      try (java.io.InputStream in = GeoredHttpHandler.class.getResourceAsStream(OPENAPI)) {
        if (in == null) {
          throw new IllegalStateException(OPENAPI + " is not on the classpath");
        }
        return in.readAllBytes();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  private static final Set<Role> READERS =
      EnumSet.of(Role.ADMIN, Role.CONFIGURATOR, Role.OPERATOR, Role.READER);
  private static final Set<Role> CONFIGURERS = EnumSet.of(Role.ADMIN, Role.CONFIGURATOR);
  private static final Set<Role> SUBCLOUD_WRITERS =
      EnumSet.of(Role.ADMIN, Role.CONFIGURATOR, Role.OPERATOR);
  private static final Set<Role> ADMINS = EnumSet.of(Role.ADMIN);

  private final SiteApi site;
  private final Authenticator authenticator;
  private final String basePath;
  private final int maxBodyBytes;

  /**
   * A request as the host's server received it.
   *
   * @param method the HTTP method, upper case
   * @param path the raw (still percent-encoded) path, without the query
   * @param headers header values by lower-case name (first value of each)
   * @param body the body, empty when there is none
   */
  public record Request(String method, String path, Map<String, String> headers, byte[] body) {

    /**
     * Normalises the header names and copies what it is given.
     *
     * @param method the HTTP method
     * @param path the raw path
     * @param headers header values by name, any case
     * @param body the body, or null for none
     */
    public Request {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(path, "path");
      Map<String, String> lower = new LinkedHashMap<>();
      if (headers != null) {
        headers.forEach(
            (k, v) -> {
              if (k != null && v != null) {
                lower.putIfAbsent(k.toLowerCase(Locale.ROOT), v);
              }
            });
      }
      headers = Map.copyOf(lower);
      body = body == null ? new byte[0] : body;
    }

    /**
     * A header's value.
     *
     * @param name the header name, any case
     * @return its value, or null
     */
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
      // Never the headers: one of them is the token.
      return "Request[" + method + " " + path + " bodyBytes=" + body.length + "]";
    }
  }

  /**
   * The answer to write back.
   *
   * @param status the HTTP status
   * @param contentType the body's type
   * @param body the body
   * @param headers further headers to write (e.g. {@code Allow} on a 405, {@code WWW-Authenticate}
   *     on a 401), by name
   */
  public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {

    /**
     * Copies the headers.
     *
     * @param status the HTTP status
     * @param contentType the body's type
     * @param body the body
     * @param headers further headers, or null for none
     */
    public Response {
      headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /**
     * An answer with no further headers.
     *
     * @param status the HTTP status
     * @param contentType the body's type
     * @param body the body
     */
    public Response(int status, String contentType, byte[] body) {
      this(status, contentType, body, Map.of());
    }

    /**
     * The body as text.
     *
     * @return the UTF-8 text
     */
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /**
   * A handler with the default base path and body limit.
   *
   * @param site what answers the calls
   * @param authenticator who may call
   */
  public GeoredHttpHandler(SiteApi site, Authenticator authenticator) {
    this(site, authenticator, DEFAULT_BASE_PATH, DEFAULT_MAX_BODY_BYTES);
  }

  /**
   * A handler.
   *
   * @param site what answers the calls
   * @param authenticator who may call
   * @param basePath the path prefix of every resource, e.g. {@code /v1.0}
   * @param maxBodyBytes the largest body accepted (413 above it)
   */
  public GeoredHttpHandler(
      SiteApi site, Authenticator authenticator, String basePath, int maxBodyBytes) {
    this.site = Objects.requireNonNull(site, "site");
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    String base = Objects.requireNonNull(basePath, "basePath");
    this.basePath = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be positive");
    }
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * The largest body this handler accepts; a server should stop reading beyond it.
   *
   * @return the limit in bytes
   */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  /**
   * Answers one request. Never throws.
   *
   * @param request the request
   * @return the answer
   */
  public Response handle(Request request) {
    try {
      return route(request);
    } catch (HttpError e) {
      return error(e.status(), e.getMessage(), e.headers());
    } catch (GeoredException e) {
      LOG.debug(
          "request refused method={} path={} kind={} message={}",
          request.method(),
          request.path(),
          e.kind(),
          e.getMessage());
      return error(e.kind().httpStatus(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn(
          "request failed unexpectedly method={} path={}", request.method(), request.path(), e);
      return error(500, HttpMessages.INTERNAL_ERROR);
    }
  }

  /**
   * An error answer in the shape upstream's servers give it; clients match the message by
   * substring.
   *
   * @param status the status
   * @param message the text
   * @return the answer
   */
  public static Response error(int status, String message) {
    return error(status, message, Map.of());
  }

  /**
   * An error answer that carries further headers, e.g. {@code Allow} on a 405.
   *
   * @param status the status
   * @param message the text
   * @param headers header values by name
   * @return the answer
   */
  public static Response error(int status, String message, Map<String, String> headers) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("faultcode", status >= 500 ? "Server" : "Client");
    body.put("faultstring", message);
    body.put("debuginfo", null);
    return new Response(status, JSON_TYPE, Json.write(body), headers);
  }

  private static Response ok(Object value) {
    return new Response(200, JSON_TYPE, Json.write(value));
  }

  // ------------------------------------------------------------------ routing

  private Response route(Request r) {
    List<String> segments =
        PLATFORM_IDENTITY_PATH.equals(r.path()) ? List.of("isystems") : segments(r.path());
    if (segments == null) {
      throw new HttpError(404, HttpMessages.NOT_FOUND);
    }
    if (r.body().length > maxBodyBytes) {
      throw new HttpError(413, HttpMessages.BODY_TOO_LARGE);
    }
    if (segments.equals(List.of(OPENAPI))) {
      // The API's description is public: a client reads it before it has a token.
      requireMethod(r.method().toUpperCase(Locale.ROOT), "GET");
      return new Response(200, YAML_TYPE, OpenApiDocument.BYTES);
    }
    Authenticator.Principal principal = authenticate(r);
    Caller caller = withLeaderEpoch(callerOf(principal, r.header("User-Agent")), r);
    String method = r.method().toUpperCase(Locale.ROOT);
    String resource = segments.isEmpty() ? "" : segments.get(0);
    try {
      return switch (resource) {
        case "isystems" -> isystems(r, principal, caller, method, segments);
        case "system-peers" -> systemPeers(r, principal, caller, method, segments);
        case "subcloud-peer-groups" -> peerGroups(r, principal, caller, method, segments);
        case "peer-group-associations" -> associations(r, principal, caller, method, segments);
        case "subclouds" -> subclouds(r, principal, caller, method, segments);
        default -> throw new HttpError(404, HttpMessages.NOT_FOUND);
      };
    } catch (HttpError e) {
      if (e.status() == 403) {
        logForbidden(r, principal, e.getMessage());
      }
      throw e;
    } catch (ForbiddenException e) {
      logForbidden(r, principal, e.getMessage());
      throw e;
    }
  }

  /**
   * Who sent the request: 401 when the authenticator does not know the token, 403 when it refuses
   * its holder, 503 when it cannot decide now.
   */
  private Authenticator.Principal authenticate(Request r) {
    Optional<Authenticator.Principal> principal;
    try {
      principal = authenticator.authenticate(r.header(AUTH_HEADER));
    } catch (AuthenticationException e) {
      if (e.isUnavailable()) {
        LOG.debug(
            "request not authenticated method={} path={} reason={}",
            r.method(),
            r.path(),
            e.getMessage());
        throw new HttpError(503, HttpMessages.AUTHENTICATION_UNAVAILABLE);
      }
      LOG.warn(
          "request forbidden principal={} method={} path={} message={}",
          e.principalName(),
          r.method(),
          r.path(),
          e.getMessage());
      throw new HttpError(403, HttpMessages.FORBIDDEN);
    }
    return principal.orElseThrow(
        () ->
            new HttpError(
                401,
                HttpMessages.AUTHENTICATION_REQUIRED,
                Map.of("WWW-Authenticate", HttpMessages.AUTHENTICATE_CHALLENGE)));
  }

  /**
   * A peer token is its system peer, whatever it sends; the peer User-Agent makes only an admin a
   * (not confined) peer site, as upstream's admin is; every other role stays an operator.
   */
  static Caller callerOf(Authenticator.Principal principal, String userAgent) {
    if (principal.isPeer()) {
      return Caller.peerSite(principal.systemPeerUuid().orElseThrow());
    }
    if (PEER_USER_AGENT.equals(userAgent) && principal.roles().contains(Role.ADMIN)) {
      return Caller.PEER_SITE;
    }
    return Caller.OPERATOR;
  }

  /**
   * The caller carrying the leader epoch of {@link #LEADER_EPOCH_HEADER}, when the request has one:
   * 400 when it is not a positive integer, or when the caller is not a peer site (only peer sites
   * write under a leader's epoch).
   */
  static Caller withLeaderEpoch(Caller caller, Request r) {
    String value = r.header(LEADER_EPOCH_HEADER);
    if (value == null) {
      return caller;
    }
    if (!caller.isPeerSite()) {
      throw HttpError.badRequest(HttpMessages.LEADER_EPOCH_NOT_A_PEER);
    }
    String digits = value.trim();
    long epoch;
    try {
      epoch = digits.matches("\\d{1,19}") ? Long.parseLong(digits) : 0;
    } catch (NumberFormatException tooLarge) {
      epoch = 0;
    }
    if (epoch <= 0) {
      throw HttpError.badRequest(HttpMessages.LEADER_EPOCH_INVALID);
    }
    return caller.withLeaderEpoch(epoch);
  }

  private static void logForbidden(Request r, Authenticator.Principal p, String message) {
    LOG.warn(
        "request forbidden principal={} system_peer_uuid={} method={} path={} message={}",
        p.name(),
        p.systemPeerUuid().orElse("none"),
        r.method(),
        r.path(),
        message);
  }

  /**
   * The segments after the base path, each percent-decoded exactly once (so a name holding {@code
   * %} sent as {@code %25} is read back as sent), or null when the path is not under the base, is
   * not valid percent-encoded UTF-8, or tries to leave it ({@code .}, {@code ..}, an encoded {@code
   * /}, a NUL).
   */
  private List<String> segments(String rawPath) {
    if (!rawPath.equals(basePath) && !rawPath.startsWith(basePath + "/")) {
      return null;
    }
    String rest = rawPath.substring(basePath.length());
    List<String> out = new ArrayList<>();
    for (String raw : rest.split("/", -1)) {
      if (raw.isEmpty()) {
        continue;
      }
      String s = decodeSegment(raw);
      if (s == null
          || s.equals(".")
          || s.equals("..")
          || s.indexOf('/') >= 0
          || s.indexOf('\0') >= 0) {
        return null;
      }
      out.add(s);
    }
    return out;
  }

  /** Percent-decodes one segment; {@code +} stays itself. Null for a bad escape or bad UTF-8. */
  static String decodeSegment(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(raw.length());
    int i = 0;
    while (i < raw.length()) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          return null;
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        bytes.write((hi << 4) | lo);
        i += 3;
      } else {
        int end = raw.indexOf('%', i);
        end = end < 0 ? raw.length() : end;
        bytes.writeBytes(raw.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end;
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return null;
    }
  }

  private static void allow(Authenticator.Principal p, Set<Role> roles, boolean peerCall) {
    if (p.hasAny(roles) || (peerCall && p.isPeer())) {
      return;
    }
    throw new HttpError(403, HttpMessages.FORBIDDEN);
  }

  /** 405, with the methods the resource does take in {@code Allow}. */
  private static HttpError methodNotAllowed(String allow) {
    return new HttpError(405, HttpMessages.METHOD_NOT_ALLOWED, Map.of("Allow", allow));
  }

  private static final String COLLECTION = "GET, POST";
  private static final String ITEM = "GET, PATCH, DELETE";

  private static HttpError invalidRequest() {
    return HttpError.badRequest(Messages.INVALID_REQUEST);
  }

  private Response isystems(
      Request r, Authenticator.Principal p, Caller caller, String method, List<String> s) {
    if (s.size() > 1) {
      throw new HttpError(404, HttpMessages.NOT_FOUND);
    }
    requireMethod(method, "GET");
    allow(p, READERS, true);
    return ok(Wire.isystems(site.identity(caller)));
  }

  private Response systemPeers(
      Request r, Authenticator.Principal p, Caller caller, String method, List<String> s) {
    if (s.size() == 1) {
      switch (method) {
        case "GET" -> {
          allow(p, READERS, false);
          return ok(Wire.list(Wire.SYSTEM_PEERS, site.listSystemPeers(caller), Wire::systemPeer));
        }
        case "POST" -> {
          allow(p, CONFIGURERS, false);
          requireJson(r);
          return ok(
              Wire.systemPeer(site.createSystemPeer(caller, systemPeerCreate(r.body(), caller))));
        }
        default -> throw methodNotAllowed(COLLECTION);
      }
    }
    String ref = s.get(1);
    if (s.size() == 2) {
      switch (method) {
        case "GET" -> {
          allow(p, READERS, true);
          return ok(Wire.systemPeer(site.getSystemPeer(caller, ref)));
        }
        case "PATCH" -> {
          allow(p, CONFIGURERS, false);
          requireJson(r);
          return withInfo(
              site.updateSystemPeer(caller, ref, systemPeerUpdate(r.body(), caller)),
              Wire::systemPeer);
        }
        case "DELETE" -> {
          allow(p, CONFIGURERS, false);
          site.deleteSystemPeer(caller, ref);
          return ok(null);
        }
        default -> throw methodNotAllowed(ITEM);
      }
    }
    if (s.size() == 3 && s.get(2).equals("subcloud-peer-groups")) {
      requireMethod(method, "GET");
      allow(p, READERS, false);
      return ok(
          Wire.list(Wire.PEER_GROUPS, site.peerGroupsOfSystemPeer(caller, ref), Wire::peerGroup));
    }
    throw invalidRequest();
  }

  private Response peerGroups(
      Request r, Authenticator.Principal p, Caller caller, String method, List<String> s) {
    if (s.size() == 1) {
      switch (method) {
        case "GET" -> {
          allow(p, READERS, true);
          return ok(Wire.list(Wire.PEER_GROUPS, site.listPeerGroups(caller), Wire::peerGroup));
        }
        case "POST" -> {
          allow(p, CONFIGURERS, true);
          requireJson(r);
          return ok(
              Wire.peerGroup(site.createPeerGroup(caller, peerGroupCreate(r.body(), caller))));
        }
        default -> throw methodNotAllowed(COLLECTION);
      }
    }
    String ref = s.get(1);
    if (s.size() == 2) {
      switch (method) {
        case "GET" -> {
          allow(p, READERS, true);
          return ok(Wire.peerGroup(site.getPeerGroup(caller, ref)));
        }
        case "PATCH" -> {
          allow(p, CONFIGURERS, true);
          PeerGroupUpdate update =
              afterLookup(
                  () -> site.getPeerGroup(caller, ref), r, () -> peerGroupUpdate(r.body(), caller));
          return ok(Wire.peerGroup(site.updatePeerGroup(caller, ref, update)));
        }
        case "DELETE" -> {
          allow(p, CONFIGURERS, true);
          site.deletePeerGroup(caller, ref);
          return ok(null);
        }
        default -> throw methodNotAllowed(ITEM);
      }
    }
    if (s.size() == 3) {
      switch (s.get(2)) {
        case "subclouds" -> {
          requireMethod(method, "GET");
          allow(p, READERS, true);
          return ok(
              Wire.list(Wire.SUBCLOUDS, site.subcloudsOfPeerGroup(caller, ref), subcloudView(p)));
        }
        case "status" -> {
          requireMethod(method, "GET");
          allow(p, READERS, false);
          return ok(Wire.status(site.peerGroupStatus(caller, ref)));
        }
        case "migration-progress" -> {
          requireMethod(method, "GET");
          allow(p, READERS, false);
          return ok(Wire.progress(site.migrationProgress(caller, ref), false));
        }
        case "migrate" -> {
          requireMethod(method, "PATCH");
          allow(p, CONFIGURERS, false);
          MigrateRequest migrate =
              afterLookup(
                  () -> site.getPeerGroup(caller, ref), r, () -> migrateRequest(r.body(), caller));
          return ok(
              Wire.list(
                  Wire.SUBCLOUDS, site.migratePeerGroup(caller, ref, migrate), subcloudView(p)));
        }
        case "hand-over" -> {
          // A peer (or an admin) asks this site to give up leading the group (docs/adr/0027).
          requireMethod(method, "PATCH");
          allow(p, ADMINS, true);
          return ok(Wire.peerGroup(site.handOverPeerGroup(caller, ref)));
        }
        case "audit" -> {
          requireMethod(method, "PATCH");
          allow(p, CONFIGURERS, true);
          AuditRequest audit =
              afterLookup(
                  () -> site.getPeerGroup(caller, ref), r, () -> auditRequest(r.body(), caller));
          AuditAnswer answer = site.auditPeerGroup(caller, ref, audit);
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("message", answer.message());
          return ok(body);
        }
        default -> throw invalidRequest();
      }
    }
    throw invalidRequest();
  }

  private Response associations(
      Request r, Authenticator.Principal p, Caller caller, String method, List<String> s) {
    if (s.size() == 1) {
      switch (method) {
        case "GET" -> {
          allow(p, READERS, true);
          return ok(
              Wire.list(
                  Wire.ASSOCIATIONS,
                  site.listAssociations(caller),
                  a -> Wire.association(a, false)));
        }
        case "POST" -> {
          allow(p, CONFIGURERS, true);
          requireJson(r);
          return ok(
              Wire.association(
                  site.createAssociation(caller, associationCreate(r.body(), caller)), true));
        }
        default -> throw methodNotAllowed(COLLECTION);
      }
    }
    if (s.size() > 3) {
      throw invalidRequest();
    }
    if (s.size() == 3 && s.get(2).equals("sync-progress")) {
      requireMethod(method, "GET");
      allow(p, READERS, false);
      return ok(Wire.progress(site.syncProgress(caller, associationId(s.get(1))), true));
    }
    if (s.size() == 3 && !s.get(2).equals("sync")) {
      throw invalidRequest();
    }
    long id = associationId(s.get(1));
    if (s.size() == 3) {
      requireMethod(method, "PATCH");
      allow(p, CONFIGURERS, false);
      return ok(Wire.association(site.syncAssociation(caller, id), true));
    }
    switch (method) {
      case "GET" -> {
        allow(p, READERS, false);
        return ok(Wire.association(site.getAssociation(caller, id), true));
      }
      case "PATCH" -> {
        allow(p, CONFIGURERS, true);
        AssociationUpdate update =
            afterLookup(
                () -> site.getAssociation(caller, id),
                r,
                () -> associationUpdate(r.body(), caller));
        return ok(Wire.association(site.updateAssociation(caller, id, update), true));
      }
      case "DELETE" -> {
        allow(p, CONFIGURERS, true);
        site.deleteAssociation(caller, id);
        return ok(null);
      }
      default -> throw methodNotAllowed(ITEM);
    }
  }

  private Response subclouds(
      Request r, Authenticator.Principal p, Caller caller, String method, List<String> s) {
    if (s.size() == 1) {
      switch (method) {
        case "GET" -> {
          allow(p, READERS, true);
          return ok(Wire.list(Wire.SUBCLOUDS, site.listSubclouds(caller), subcloudView(p)));
        }
        case "POST" -> {
          allow(p, SUBCLOUD_WRITERS, true);
          return ok(subcloudView(p).apply(site.createSubcloud(caller, subcloudCreate(r))));
        }
        default -> throw methodNotAllowed(COLLECTION);
      }
    }
    String ref = s.get(1);
    if (s.size() == 2) {
      switch (method) {
        case "GET" -> {
          allow(p, READERS, true);
          return ok(subcloudView(p).apply(site.getSubcloud(caller, ref)));
        }
        case "PATCH" -> {
          allow(p, SUBCLOUD_WRITERS, true);
          return withInfo(
              site.updateSubcloud(caller, ref, subcloudUpdate(r, caller)), subcloudView(p));
        }
        case "DELETE" -> {
          allow(p, SUBCLOUD_WRITERS, true);
          site.deleteSubcloud(caller, ref);
          return ok(null);
        }
        default -> throw methodNotAllowed(ITEM);
      }
    }
    if (s.size() == 3 && s.get(2).equals("detail")) {
      requireMethod(method, "GET");
      allow(p, READERS, true);
      return ok(subcloudView(p).apply(site.getSubcloud(caller, ref)));
    }
    throw invalidRequest();
  }

  /** The text answered instead of a secret the caller may not see. */
  static final String MASK = "****";

  /**
   * How a subcloud is answered to a principal: {@code bmc_password} of its install values in clear
   * for the admin role and for peer sites (a peer's sync carries it to the other site), masked for
   * every other role.
   */
  private static Function<Subcloud, Map<String, Object>> subcloudView(Authenticator.Principal p) {
    if (p.isPeer() || p.roles().contains(Role.ADMIN)) {
      return Wire::subcloud;
    }
    return s -> Wire.subcloud(masked(s));
  }

  private static Subcloud masked(Subcloud s) {
    Map<String, Object> install = s.installValues();
    if (install == null || !install.containsKey(BMC_PASSWORD)) {
      return s;
    }
    Map<String, Object> shown = new LinkedHashMap<>(install);
    shown.put(BMC_PASSWORD, MASK);
    return s.toBuilder().installValues(shown).build();
  }

  private static final String BMC_PASSWORD = "bmc_password";

  private static <T> Response withInfo(
      WithInfo<T> answer, java.util.function.Function<T, Map<String, Object>> mapper) {
    Map<String, Object> body = mapper.apply(answer.value());
    answer.info().ifPresent(info -> body.put(Wire.INFO_MESSAGE, info));
    return ok(body);
  }

  /**
   * Reads a request body for a change of an existing object, the way upstream orders its checks:
   * when the body is refused, the object is looked up first, so an unknown one answers its 404
   * whatever the body holds.
   */
  private static <T> T afterLookup(
      Runnable lookup, Request r, java.util.function.Supplier<T> read) {
    try {
      requireJson(r);
      return read.get();
    } catch (HttpError e) {
      lookup.run();
      throw e;
    }
  }

  private static void requireMethod(String method, String wanted) {
    if (!method.equals(wanted)) {
      throw methodNotAllowed(wanted);
    }
  }

  private static long associationId(String text) {
    if (!text.matches("\\d{1,18}")) {
      throw HttpError.badRequest(Messages.ASSOCIATION_ID_NOT_INTEGER);
    }
    return Long.parseLong(text);
  }

  /** JSON resources take a JSON body; a missing Content-Type is tolerated as upstream does. */
  private static void requireJson(Request r) {
    String type = r.header("Content-Type");
    if (type == null || type.isBlank()) {
      return;
    }
    String mime = type.split(";")[0].trim().toLowerCase(Locale.ROOT);
    if (!mime.equals(JSON_TYPE) && !mime.endsWith("+json")) {
      throw new HttpError(415, HttpMessages.UNSUPPORTED_CONTENT_TYPE);
    }
  }

  // ------------------------------------------------------------------ JSON requests

  // The keys each JSON body may hold (docs/openapi.yaml spells them too). An operator's other key
  // is
  // refused; a peer site's is ignored (Fields#knownKeys).
  private static final Set<String> SYSTEM_PEER_KEYS =
      Set.of(
          "peer_uuid",
          "peer_name",
          "manager_endpoint",
          "manager_username",
          "manager_password",
          "peer_controller_gateway_address",
          "administrative_state",
          "heartbeat_interval",
          "heartbeat_failure_threshold",
          "heartbeat_failure_policy",
          "heartbeat_maintenance_timeout");
  private static final Set<String> PEER_GROUP_CREATE_KEYS =
      Set.of(
          "peer-group-name",
          "group-priority",
          "group-state",
          "max-subcloud-rehoming",
          "system-leader-id",
          "system-leader-name");
  private static final Set<String> PEER_GROUP_UPDATE_KEYS =
      Set.of(
          "peer-group-name",
          "group-priority",
          "group-state",
          "max-subcloud-rehoming",
          "system-leader-id",
          "system-leader-name",
          "migration_status");
  private static final Set<String> MIGRATE_KEYS = Set.of("sysadmin_password");
  // A subcloud PATCH sent as JSON. The fields of a multipart form are not a JSON body and are not
  // checked.
  private static final Set<String> SUBCLOUD_UPDATE_KEYS =
      Set.of(
          "management-state",
          "force",
          "migrate",
          "peer_group",
          "bootstrap_values",
          "bootstrap_address",
          "description",
          "location",
          "group_id",
          "install_values",
          "release",
          "deploy_status");
  private static final Set<String> AUDIT_KEYS =
      Set.of(
          "peer_uuid",
          "peer_group_name",
          "group_priority",
          "group_state",
          "system_leader_id",
          "system_leader_name",
          "migration_status",
          "max_subcloud_rehoming");
  private static final Set<String> ASSOCIATION_CREATE_KEYS =
      Set.of("peer_group_id", "system_peer_id", "peer_group_priority");
  private static final Set<String> ASSOCIATION_UPDATE_KEYS =
      Set.of("peer_group_priority", "sync_status");

  private static SystemPeerCreate systemPeerCreate(byte[] body, Caller caller) {
    ObjectNode o = Fields.object(body, Messages.BODY_REQUIRED);
    Fields.knownKeys(o, SYSTEM_PEER_KEYS, caller.isPeerSite());
    return SystemPeerCreate.builder()
        .peerUuid(Fields.text(o, "peer_uuid", Messages.INVALID_PEER_UUID))
        .peerName(Fields.text(o, "peer_name", Messages.INVALID_PEER_NAME))
        .managerEndpoint(Fields.text(o, "manager_endpoint", Messages.INVALID_PEER_ENDPOINT))
        .managerUsername(Fields.text(o, "manager_username", Messages.INVALID_PEER_USERNAME))
        .managerPassword(Fields.text(o, "manager_password", Messages.INVALID_PEER_PASSWORD))
        .peerControllerGatewayAddress(
            Fields.text(o, "peer_controller_gateway_address", Messages.INVALID_PEER_GATEWAY))
        .administrativeState(
            Fields.text(o, "administrative_state", Messages.INVALID_PEER_ADMIN_STATE))
        .heartbeatInterval(
            Fields.integer(o, "heartbeat_interval", Messages.INVALID_PEER_HEARTBEAT_INTERVAL))
        .heartbeatFailureThreshold(
            Fields.integer(
                o, "heartbeat_failure_threshold", Messages.INVALID_PEER_FAILURE_THRESHOLD))
        .heartbeatFailurePolicy(
            Fields.text(o, "heartbeat_failure_policy", Messages.INVALID_PEER_FAILURE_POLICY))
        .heartbeatMaintenanceTimeout(
            Fields.integer(
                o, "heartbeat_maintenance_timeout", Messages.INVALID_PEER_MAINTENANCE_TIMEOUT))
        .build();
  }

  private static SystemPeerUpdate systemPeerUpdate(byte[] body, Caller caller) {
    SystemPeerCreate c = systemPeerCreate(body, caller);
    return SystemPeerUpdate.builder()
        .peerUuid(c.peerUuid())
        .peerName(c.peerName())
        .managerEndpoint(c.managerEndpoint())
        .managerUsername(c.managerUsername())
        .managerPassword(c.managerPassword())
        .peerControllerGatewayAddress(c.peerControllerGatewayAddress())
        .administrativeState(c.administrativeState())
        .heartbeatInterval(c.heartbeatInterval())
        .heartbeatFailureThreshold(c.heartbeatFailureThreshold())
        .heartbeatFailurePolicy(c.heartbeatFailurePolicy())
        .heartbeatMaintenanceTimeout(c.heartbeatMaintenanceTimeout())
        .build();
  }

  private static PeerGroupCreate peerGroupCreate(byte[] body, Caller caller) {
    ObjectNode o = Fields.object(body, Messages.BODY_REQUIRED);
    Fields.knownKeys(o, PEER_GROUP_CREATE_KEYS, caller.isPeerSite());
    JsonNode leader = o.get("system-leader-id");
    String leaderInvalid =
        Messages.invalidSystemLeaderIdOnCreate(
            leader == null || leader.isNull() ? null : leader.toString());
    return PeerGroupCreate.builder()
        .peerGroupName(Fields.text(o, "peer-group-name", Messages.INVALID_PEER_GROUP_NAME))
        .groupPriority(Fields.integer(o, "group-priority", Messages.INVALID_GROUP_PRIORITY))
        .groupState(Fields.text(o, "group-state", Messages.INVALID_GROUP_STATE))
        .maxSubcloudRehoming(
            Fields.integer(o, "max-subcloud-rehoming", Messages.INVALID_MAX_SUBCLOUD_REHOMING))
        .systemLeaderId(Fields.text(o, "system-leader-id", leaderInvalid))
        .systemLeaderName(Fields.text(o, "system-leader-name", Messages.INVALID_SYSTEM_LEADER_NAME))
        .build();
  }

  private static PeerGroupUpdate peerGroupUpdate(byte[] body, Caller caller) {
    ObjectNode o = Fields.object(body, Messages.BODY_REQUIRED);
    Fields.knownKeys(o, PEER_GROUP_UPDATE_KEYS, caller.isPeerSite());
    String migration = Fields.text(o, "migration_status", Messages.INVALID_MIGRATION_STATUS);
    if (migration == null && o.has("migration_status")) {
      // An explicit null clears the status (docs/dialect.md).
      migration = "none";
    }
    return PeerGroupUpdate.builder()
        .peerGroupName(Fields.text(o, "peer-group-name", Messages.INVALID_PEER_GROUP_NAME))
        .groupPriority(Fields.integer(o, "group-priority", Messages.INVALID_GROUP_PRIORITY))
        .groupState(Fields.text(o, "group-state", Messages.INVALID_GROUP_STATE))
        .maxSubcloudRehoming(
            Fields.integer(o, "max-subcloud-rehoming", Messages.INVALID_MAX_SUBCLOUD_REHOMING))
        .systemLeaderId(Fields.text(o, "system-leader-id", Messages.INVALID_SYSTEM_LEADER_ID))
        .systemLeaderName(Fields.text(o, "system-leader-name", Messages.INVALID_SYSTEM_LEADER_NAME))
        .migrationStatus(migration)
        .build();
  }

  private static MigrateRequest migrateRequest(byte[] body, Caller caller) {
    ObjectNode o = Fields.object(body, Messages.BODY_REQUIRED);
    Fields.knownKeys(o, MIGRATE_KEYS, caller.isPeerSite());
    String encoded = Fields.text(o, "sysadmin_password", HttpMessages.SYSADMIN_PASSWORD_NOT_BASE64);
    if (encoded == null) {
      return new MigrateRequest(null);
    }
    try {
      return new MigrateRequest(
          new String(Base64.getDecoder().decode(encoded.trim()), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest(HttpMessages.SYSADMIN_PASSWORD_NOT_BASE64);
    }
  }

  private static AuditRequest auditRequest(byte[] body, Caller caller) {
    // An empty object is read as it is: the site names the first key it lacks (peer_uuid).
    ObjectNode o = Fields.objectOrEmpty(body);
    Fields.knownKeys(o, AUDIT_KEYS, caller.isPeerSite());
    String migration = auditText(o, "migration_status");
    if (migration == null && o.has("migration_status")) {
      migration = "none";
    }
    return AuditRequest.builder()
        .peerUuid(auditText(o, "peer_uuid"))
        .peerGroupName(auditText(o, "peer_group_name"))
        .groupPriority(
            Fields.integer(o, "group_priority", HttpMessages.invalidField("group_priority")))
        .groupState(auditText(o, "group_state"))
        .systemLeaderId(auditText(o, "system_leader_id"))
        .systemLeaderName(auditText(o, "system_leader_name"))
        .migrationStatus(migration)
        .maxSubcloudRehoming(
            Fields.integer(
                o, "max_subcloud_rehoming", HttpMessages.invalidField("max_subcloud_rehoming")))
        .build();
  }

  private static String auditText(ObjectNode o, String key) {
    return Fields.text(o, key, HttpMessages.invalidField(key));
  }

  private static AssociationCreate associationCreate(byte[] body, Caller caller) {
    ObjectNode o = Fields.object(body, Messages.BODY_REQUIRED);
    Fields.knownKeys(o, ASSOCIATION_CREATE_KEYS, caller.isPeerSite());
    return AssociationCreate.builder()
        .peerGroupId(Fields.id(o, "peer_group_id", Messages.INVALID_PEER_GROUP_ID))
        .systemPeerId(Fields.id(o, "system_peer_id", Messages.INVALID_SYSTEM_PEER_ID))
        .peerGroupPriority(
            Fields.integer(o, "peer_group_priority", Messages.INVALID_PEER_GROUP_PRIORITY))
        .build();
  }

  private static AssociationUpdate associationUpdate(byte[] body, Caller caller) {
    ObjectNode o = Fields.object(body, Messages.BODY_REQUIRED);
    Fields.knownKeys(o, ASSOCIATION_UPDATE_KEYS, caller.isPeerSite());
    return AssociationUpdate.builder()
        .peerGroupPriority(
            Fields.integer(o, "peer_group_priority", Messages.INVALID_PEER_GROUP_PRIORITY))
        .syncStatus(Fields.text(o, "sync_status", Messages.INVALID_SYNC_STATUS))
        .build();
  }

  // ------------------------------------------------------------------ subcloud forms

  /** The fields of a subcloud form (multipart, or JSON for a PATCH): text values and YAML files. */
  private static final class Form {
    final Map<String, String> texts = new LinkedHashMap<>();
    final Map<String, byte[]> files = new LinkedHashMap<>();

    String text(String key) {
      return texts.get(key);
    }

    Map<String, Object> yaml(String key) {
      byte[] file = files.get(key);
      if (file == null && texts.containsKey(key)) {
        file = texts.get(key).getBytes(StandardCharsets.UTF_8);
      }
      return file == null ? null : Fields.yaml(file, key);
    }

    Long id(String key) {
      String v = text(key);
      return v == null ? null : Fields.longOf(v.trim(), HttpMessages.invalidField(key));
    }

    Boolean bool(String key, String invalid) {
      String v = text(key);
      return v == null ? null : Fields.booleanOf(v, invalid);
    }

    boolean isEmpty() {
      return texts.isEmpty() && files.isEmpty();
    }
  }

  /**
   * Reads a subcloud form. A JSON body is accepted when {@code jsonKeys} is given: an operator's
   * key outside it is refused, a peer site's is left out (Fields#knownKeys).
   */
  private static Form form(Request r, Set<String> jsonKeys, boolean peer) {
    String type = r.header("Content-Type");
    if (r.body().length == 0) {
      throw HttpError.badRequest(Messages.BODY_REQUIRED);
    }
    String boundary = Multipart.boundaryOf(type);
    Form form = new Form();
    if (boundary != null) {
      Map<String, Multipart.Part> parts;
      try {
        parts = Multipart.read(r.body(), boundary);
      } catch (Multipart.MalformedException e) {
        throw HttpError.badRequest(HttpMessages.MULTIPART_MALFORMED);
      }
      parts.forEach(
          (name, part) -> {
            if (part.isFile()) {
              form.files.put(name, part.content());
            } else {
              form.texts.put(name, part.text());
            }
          });
    } else if (jsonKeys != null && isJson(type)) {
      ObjectNode o = Fields.object(r.body(), Messages.BODY_REQUIRED);
      Fields.knownKeys(o, jsonKeys, peer);
      o.fields()
          .forEachRemaining(
              e -> {
                JsonNode v = e.getValue();
                if (v.isNull() || !jsonKeys.contains(e.getKey())) {
                  return;
                }
                if (v.isObject()) {
                  form.files.put(e.getKey(), Json.write(Json.toMap(v)));
                } else if (v.isValueNode()) {
                  form.texts.put(e.getKey(), v.asText());
                } else {
                  throw HttpError.badRequest(HttpMessages.invalidField(e.getKey()));
                }
              });
    } else if (type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
      throw HttpError.badRequest(HttpMessages.MULTIPART_MALFORMED);
    } else {
      throw new HttpError(415, HttpMessages.UNSUPPORTED_CONTENT_TYPE);
    }
    if (form.isEmpty()) {
      throw HttpError.badRequest(Messages.BODY_REQUIRED);
    }
    return form;
  }

  private static boolean isJson(String type) {
    if (type == null) {
      return false;
    }
    String mime = type.split(";")[0].trim().toLowerCase(Locale.ROOT);
    return mime.equals(JSON_TYPE) || mime.endsWith("+json");
  }

  private static SubcloudCreate subcloudCreate(Request r) {
    Form f = form(r, null, false);
    Map<String, Object> bootstrap = f.yaml("bootstrap_values");
    String name = f.text("name");
    if (name == null && bootstrap != null && bootstrap.get("name") instanceof String n) {
      // Upstream takes the name from the bootstrap values when the form does not carry one.
      name = n;
    }
    Boolean secondary = f.bool("secondary", HttpMessages.invalidField("secondary"));
    return SubcloudCreate.builder()
        .name(name)
        .regionName(f.text("region_name"))
        .description(f.text("description"))
        .location(f.text("location"))
        .bootstrapValues(bootstrap)
        .bootstrapAddress(f.text("bootstrap-address"))
        .installValues(f.yaml("install_values"))
        .release(f.text("release"))
        .secondary(Boolean.TRUE.equals(secondary))
        .groupId(f.id("group_id"))
        .build();
  }

  private static SubcloudUpdate subcloudUpdate(Request r, Caller caller) {
    Form f = form(r, SUBCLOUD_UPDATE_KEYS, caller.isPeerSite());
    return SubcloudUpdate.builder()
        .managementState(f.text("management-state"))
        .force(f.bool("force", Messages.INVALID_FORCE_OPTION))
        .migrate(f.bool("migrate", HttpMessages.invalidField("migrate")))
        .peerGroup(f.text("peer_group"))
        .bootstrapValues(f.yaml("bootstrap_values"))
        .bootstrapAddress(f.text("bootstrap_address"))
        .description(f.text("description"))
        .location(f.text("location"))
        .groupId(f.id("group_id"))
        .installValues(f.yaml("install_values"))
        .release(f.text("release"))
        .deployStatus(f.text("deploy_status"))
        .build();
  }
}
