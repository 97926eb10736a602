package io.geored.adapters.keystone;

import io.geored.adapters.http.AuthenticationException;
import io.geored.adapters.http.Authenticator;
import io.geored.adapters.http.Role;
import io.geored.spi.LogSafe;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Authenticator} that asks the site's own Keystone who holds an {@code X-Auth-Token}, the
 * way a StarlingX system controller's API does: {@code GET /v3/auth/tokens} with the caller's token
 * in {@code X-Subject-Token}, authenticated as a service user of its own (its token obtained by
 * password login and renewed before it expires, or at once when Keystone no longer accepts it).
 *
 * <p>Who the caller is:
 *
 * <ul>
 *   <li>a user mapped to a system peer ({@link Builder#peerUser}, by Keystone user id) is that peer
 *       site, whatever its roles: {@link Principal#peer}, confined by the site to what an
 *       association with that peer covers;
 *   <li>any other user is an operator with the geored roles named like its Keystone roles ({@code
 *       admin}, {@code configurator}, {@code operator}, {@code reader}; Keystone includes implied
 *       roles, so {@code admin} and {@code member} also hold {@code reader}), as upstream's
 *       policies grant them.
 * </ul>
 *
 * <p>Refusals: a token Keystone does not know (invalid, expired, revoked, from another Keystone) is
 * unknown (401). A valid token scoped to a project other than the configured ones (by name, {@code
 * admin} and {@code services} by default), or not scoped to a project, or holding none of geored's
 * roles, is a known caller that may do nothing here: 403 (upstream's policies refuse it the same
 * way, after keystonemiddleware accepted the token). Keystone unreachable, or refusing the service
 * user: {@link AuthenticationException#unavailable} (503), logged once per outage; the site's own
 * periodic work never goes through this class and goes on.
 *
 * <p>Validations are cached, by a digest of the token (never the token itself), for {@link
 * Builder#cacheTtl} (default 60 s) and never beyond the token's {@code expires_at}: a revoked token
 * stops working within the TTL. Unknown tokens are cached too (for the TTL), so a flood of bad
 * tokens does not become a flood of Keystone calls; the cache holds at most {@link
 * Builder#maxCacheEntries} entries, least recently used dropped first.
 *
 * <p>Never logs a token or a password. Thread-safe.
 */
public final class KeystoneAuthenticator implements Authenticator {

  private static final Logger LOG = LoggerFactory.getLogger(KeystoneAuthenticator.class);

  /** The projects whose tokens are served by default, as upstream's policies name them. */
  public static final Set<String> DEFAULT_PROJECTS = Set.of("admin", "services");

  /** The default time a validation is cached. */
  public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(60);

  /** The default largest number of cached validations. */
  public static final int DEFAULT_MAX_CACHE_ENTRIES = 10_000;

  /** The name of Keystone's bootstrap admin user, which may never be mapped to a peer. */
  public static final String ADMIN_USER = "admin";

  private static final Map<String, Role> ROLES =
      Map.of(
          "admin", Role.ADMIN,
          "configurator", Role.CONFIGURATOR,
          "operator", Role.OPERATOR,
          "reader", Role.READER);

  /** What a validation decided; cached until {@code until}. */
  private record Decision(Principal principal, String forbiddenName, String reason, Instant until) {
    Optional<Principal> answer() {
      if (forbiddenName != null) {
        throw AuthenticationException.forbidden(forbiddenName, reason);
      }
      return Optional.ofNullable(principal);
    }
  }

  private final KeystoneClient keystone;
  private final PasswordCredentials serviceUser;
  private final Set<String> projects;
  private final Duration cacheTtl;
  private final int maxCacheEntries;
  private final Map<String, String> peerUsers;
  private final Clock clock;
  private final Map<String, Decision> cache;

  private KeystoneToken serviceToken;
  private Instant serviceTokenRenewAt;
  private String serviceUserId;
  private List<String> adminUserIds;
  private boolean down;

  private KeystoneAuthenticator(Builder b) {
    this.keystone = b.keystone;
    this.serviceUser = b.serviceUser;
    this.projects = Set.copyOf(b.projects);
    this.cacheTtl = b.cacheTtl;
    this.maxCacheEntries = b.maxCacheEntries;
    this.peerUsers = Map.copyOf(b.peerUsers);
    this.clock = b.clock;
    this.cache =
        new LinkedHashMap<>(64, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Decision> eldest) {
            return size() > maxCacheEntries;
          }
        };
    LOG.info(
        "keystone authenticator configured auth_url={} service_user={} projects={}"
            + " cache_ttl_ms={} peer_users={}",
        LogSafe.of(keystone.authUrl()),
        LogSafe.of(serviceUser.userName()),
        LogSafe.of(String.join(",", new java.util.TreeSet<>(projects))),
        cacheTtl.toMillis(),
        peerUsers.size());
  }

  /**
   * Starts building an authenticator.
   *
   * @param keystone the site's own Keystone
   * @param serviceUser the user it validates tokens as (Keystone must let it validate tokens: the
   *     {@code service} or {@code admin} role)
   * @return the builder, with the default projects, cache TTL and no peer user
   */
  public static Builder builder(KeystoneClient keystone, PasswordCredentials serviceUser) {
    return new Builder(keystone, serviceUser);
  }

  /**
   * Checks the peer-user mapping against Keystone: logs the service user in, and refuses a mapping
   * that names it or the {@code admin} user of its domain (the admin user is looked up when
   * Keystone lets the service user list users; otherwise a mapped user named {@code admin} is
   * refused at each call instead). For a host's start: a wrong mapping must stop it.
   *
   * @throws IllegalStateException naming the user id when a mapping names the service user or the
   *     admin user
   * @throws KeystoneException when Keystone cannot be reached or refuses the service user's login
   */
  public void checkMappings() {
    KeystoneToken own;
    synchronized (this) {
      own = serviceToken(clock.instant(), false);
    }
    if (peerUsers.containsKey(own.userId())) {
      throw new IllegalStateException(
          "keystone peer user "
              + own.userId()
              + " is the service user "
              + serviceUser.userName()
              + "; map a user of the peer's own");
    }
    Optional<List<String>> admins = keystone.userIds(own.id(), ADMIN_USER, own.userDomainId());
    synchronized (this) {
      adminUserIds = admins.orElse(null);
    }
    for (String admin : admins.orElse(List.of())) {
      if (peerUsers.containsKey(admin)) {
        throw new IllegalStateException(
            "keystone peer user " + admin + " is the admin user; map a user of the peer's own");
      }
    }
    if (admins.isEmpty()) {
      LOG.info(
          "keystone service user may not list users: a peer user named {} is refused at each call",
          ADMIN_USER);
    }
  }

  @Override
  public Optional<Principal> authenticate(String token) {
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    String key = digest(token);
    Instant now = clock.instant();
    synchronized (cache) {
      Decision cached = cache.get(key);
      if (cached != null) {
        if (now.isBefore(cached.until())) {
          return cached.answer();
        }
        cache.remove(key);
      }
    }
    Decision decision = validate(token, now);
    synchronized (cache) {
      cache.put(key, decision);
    }
    return decision.answer();
  }

  @Override
  public String toString() {
    return "KeystoneAuthenticator[" + keystone.authUrl() + " as " + serviceUser.userName() + "]";
  }

  // ------------------------------------------------------------------ validation

  private Decision validate(String token, Instant now) {
    Optional<KeystoneToken> found;
    String own;
    synchronized (this) {
      own = serviceTokenOrUnavailable(now, false);
    }
    try {
      try {
        found = keystone.validate(own, token);
      } catch (KeystoneException e) {
        if (e.status() != 401) {
          throw e;
        }
        // Keystone no longer accepts our own token (expired early, revoked): log in again, once.
        synchronized (this) {
          own = serviceTokenOrUnavailable(now, true);
        }
        found = keystone.validate(own, token);
      }
    } catch (KeystoneException e) {
      throw unavailable(e);
    }
    reachable();
    Instant until = now.plus(cacheTtl);
    if (found.isEmpty()) {
      return new Decision(null, null, null, until);
    }
    KeystoneToken t = found.get();
    if (t.expiresAt().isBefore(until)) {
      until = t.expiresAt();
    }
    String name = "keystone:" + t.userName();
    String project = t.projectName().orElse(null);
    if (project == null || !projects.contains(project)) {
      return new Decision(
          null,
          name,
          project == null
              ? "the token is not scoped to a project"
              : "the token is scoped to project " + project + ", not one this site serves",
          until);
    }
    String systemPeer = peerUsers.get(t.userId());
    if (systemPeer != null) {
      if (isServiceOrAdmin(t)) {
        LOG.error(
            "keystone peer user {} ({}) is the service user or the admin user: refused; map a user"
                + " of the peer's own",
            LogSafe.of(t.userId()),
            LogSafe.of(t.userName()));
        return new Decision(
            null, name, "a peer user must not be the service user or the admin user", until);
      }
      return new Decision(Principal.peer(name, systemPeer), null, null, until);
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String role : t.roles()) {
      Role mapped = ROLES.get(role.toLowerCase(Locale.ROOT));
      if (mapped != null) {
        roles.add(mapped);
      }
    }
    if (roles.isEmpty()) {
      return new Decision(
          null,
          name,
          "the token holds none of the roles admin, configurator, operator, reader",
          until);
    }
    return new Decision(new Principal(name, roles), null, null, until);
  }

  private boolean isServiceOrAdmin(KeystoneToken t) {
    synchronized (this) {
      if (t.userId().equals(serviceUserId)) {
        return true;
      }
      if (adminUserIds != null) {
        return adminUserIds.contains(t.userId());
      }
    }
    return ADMIN_USER.equals(t.userName());
  }

  /** Our own token, logged in when absent, close to expiry, or {@code renew}; else 503. */
  private String serviceTokenOrUnavailable(Instant now, boolean renew) {
    try {
      return serviceToken(now, renew).id();
    } catch (KeystoneException e) {
      throw unavailable(e);
    }
  }

  private KeystoneToken serviceToken(Instant now, boolean renew) {
    if (renew || serviceToken == null || !now.isBefore(serviceTokenRenewAt)) {
      serviceToken = null;
      KeystoneToken fresh = keystone.login(serviceUser);
      Duration lifetime = Duration.between(now, fresh.expiresAt());
      Duration margin = lifetime.dividedBy(4);
      if (margin.compareTo(Duration.ofSeconds(60)) > 0) {
        margin = Duration.ofSeconds(60);
      }
      serviceToken = fresh;
      serviceTokenRenewAt = fresh.expiresAt().minus(margin);
      serviceUserId = fresh.userId();
      LOG.debug(
          "keystone service token obtained user={} expires_at={}",
          LogSafe.of(serviceUser.userName()),
          fresh.expiresAt());
    }
    return serviceToken;
  }

  private AuthenticationException unavailable(KeystoneException e) {
    synchronized (this) {
      if (!down) {
        down = true;
        if (e.status() == 401 || e.status() == 403) {
          LOG.error(
              "keystone refuses the service user: requests are answered 503 until it is fixed"
                  + " reason={}",
              LogSafe.of(e.getMessage()));
        } else {
          LOG.warn(
              "keystone unreachable: requests are answered 503 until it answers again reason={}",
              LogSafe.of(e.getMessage()));
        }
      }
    }
    return AuthenticationException.unavailable(e.getMessage());
  }

  private void reachable() {
    synchronized (this) {
      if (down) {
        down = false;
        LOG.info("keystone answers again auth_url={}", LogSafe.of(keystone.authUrl()));
      }
    }
  }

  private static String digest(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Collects the settings; not thread-safe. */
  public static final class Builder {
    private final KeystoneClient keystone;
    private final PasswordCredentials serviceUser;
    private Set<String> projects = DEFAULT_PROJECTS;
    private Duration cacheTtl = DEFAULT_CACHE_TTL;
    private int maxCacheEntries = DEFAULT_MAX_CACHE_ENTRIES;
    private final Map<String, String> peerUsers = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();

    private Builder(KeystoneClient keystone, PasswordCredentials serviceUser) {
      this.keystone = Objects.requireNonNull(keystone, "keystone");
      this.serviceUser = Objects.requireNonNull(serviceUser, "serviceUser");
    }

    /**
     * The projects (by name) whose tokens are served; a token scoped to another is answered 403.
     *
     * @param names not empty
     * @return this builder
     */
    public Builder projects(Set<String> names) {
      if (names.isEmpty() || names.stream().anyMatch(n -> n == null || n.isBlank())) {
        throw new IllegalArgumentException("projects must be names, at least one");
      }
      this.projects = Set.copyOf(names);
      return this;
    }

    /**
     * How long a validation is cached (never beyond the token's expiry): a revoked token stops
     * working within it.
     *
     * @param value from 1 ms to 1 hour
     * @return this builder
     */
    public Builder cacheTtl(Duration value) {
      if (value.toMillis() < 1 || value.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("cacheTtl must be from 1 ms to 1 h, was " + value);
      }
      this.cacheTtl = value;
      return this;
    }

    /**
     * The largest number of cached validations.
     *
     * @param value at least 1
     * @return this builder
     */
    public Builder maxCacheEntries(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxCacheEntries must be at least 1, was " + value);
      }
      this.maxCacheEntries = value;
      return this;
    }

    /**
     * Makes a Keystone user a peer site: its tokens are that system peer's, whatever its roles.
     *
     * @param keystoneUserId the user's id in this site's Keystone
     * @param systemPeerUuid the uuid of the system peer it is
     * @return this builder
     * @throws IllegalArgumentException when a value is blank or the user is already mapped
     */
    public Builder peerUser(String keystoneUserId, String systemPeerUuid) {
      if (keystoneUserId == null || keystoneUserId.isBlank()) {
        throw new IllegalArgumentException("a peer user's Keystone user id must not be blank");
      }
      if (systemPeerUuid == null || systemPeerUuid.isBlank()) {
        throw new IllegalArgumentException(
            "the system peer uuid of Keystone user " + keystoneUserId + " must not be blank");
      }
      if (peerUsers.putIfAbsent(keystoneUserId, systemPeerUuid) != null) {
        throw new IllegalArgumentException(
            "Keystone user " + keystoneUserId + " is mapped to a system peer twice");
      }
      return this;
    }

    /**
     * The clock deciding cache expiry and service-token renewal; default the system's.
     *
     * @param value the clock
     * @return this builder
     */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /**
     * The authenticator. It does not call Keystone yet; see {@link
     * KeystoneAuthenticator#checkMappings()} for a start-time check.
     *
     * @return it
     */
    public KeystoneAuthenticator build() {
      return new KeystoneAuthenticator(this);
    }
  }
}
