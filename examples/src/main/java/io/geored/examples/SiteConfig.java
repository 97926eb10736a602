package io.geored.examples;

import io.geored.adapters.http.Role;
import io.geored.spi.witness.WitnessSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What a standalone site needs to run, read from a properties file:
 *
 * <pre>
 * # required: this site's system uuid and name (the name follows the API's name rule)
 * site.uuid=6c5b1a5e-7d0e-4c1e-9f49-3f0a7d1f0c11
 * site.name=site-a
 * # H2 files (default: geored-data) ...
 * database.folder=data/site-a
 * # ... or a JDBC URL instead of the folder, with its user and password (default: empty)
 * database.url=jdbc:postgresql://db:5432/geored
 * database.user=geored
 * database.password=secret
 * # listen address (default: 127.0.0.1) and port, 0 = any free (default: 8119)
 * http.host=127.0.0.1
 * http.port=8119
 * # a token named "ops" and its roles (admin, configurator, operator, reader)
 * auth.token.ops=s3cret
 * auth.roles.ops=admin
 * # the token that peer site presents here (confined to peer work)
 * auth.peer.bbbbbbbb-0000-4000-8000-000000000002=t2
 * # the token to send to that peer site
 * peer.token.bbbbbbbb-0000-4000-8000-000000000002=t
 * # or, instead of peer.token keys: log in to each peer's Keystone as its system peer's user
 * # (default: token); the catalog regions of its dcmanager and platform endpoints (defaults
 * # SystemController, RegionOne) and how long before expiry a token is renewed (default 5m)
 * peer.login=keystone
 * peer.keystone.dcmanager-region=SystemController
 * peer.keystone.platform-region=RegionOne
 * peer.keystone.refresh-margin=5m
 * # base64 of 16, 24 or 32 bytes: encrypts stored peer passwords (optional)
 * cipher.key=...
 * # the bearer token GET /metrics, /health and /ready require (optional on a loopback http.host,
 * # required on any other)
 * observability.token=...
 * # serve https with this PKCS#12 key store (one private key and its certificate chain); its
 * # password is in a file only the site's user can read (chmod 600); default: plain http
 * tls.key-store=/etc/geored/site-a.p12
 * tls.key-store.password-file=/etc/geored/site-a.p12.pass
 * # call peers (and a Keystone) trusting the certificates of this PKCS#12 trust store only;
 * # default: the JDK's list of public CAs
 * tls.trust-store=/etc/geored/geored-ca.p12
 * tls.trust-store.password-file=/etc/geored/geored-ca.p12.pass
 * # instead of auth.token/auth.peer: callers' tokens validated by this site's Keystone
 * # (docs/keystone.md); the service user's password is in a file only its owner may read
 * keystone.auth-url=http://127.0.0.1:5000/v3
 * keystone.user=geored
 * keystone.password-file=/etc/geored/keystone-password
 * # the service user's project (default services), the projects whose tokens are served
 * # (default admin,services) and how long a validation is cached (default 60s, at most 1h)
 * keystone.project=services
 * keystone.projects=admin,services
 * keystone.cache-ttl=60s
 * # a Keystone user (by id) that is a peer site: that system peer, confined to peer work
 * keystone.peer-user.8f2c6f0a9b1e4c55a1e0c3d5b7a9e1f2=bbbbbbbb-0000-4000-8000-000000000002
 * # the command that rehomes one subcloud, its timeout (default 1h) and how many run at once (10)
 * rehome.command=ansible-playbook /opt/rehome.yml -e @{file}
 * rehome.timeout=1h
 * rehome.max-concurrent=10
 * # the command that probes one subcloud (exit 0: online), its timeout (30s), how many run at once
 * # (8) and how often each subcloud is probed (20s)
 * probe.command=/opt/check-subcloud {name}
 * probe.timeout=30s
 * probe.max-concurrent=8
 * probe.interval=20s
 * # automatic failover (docs/OPERATIONS.md, "Witness"): none (default), jdbc or etcd
 * witness=jdbc
 * # witness=jdbc: a database every site reaches, in a failure domain of its own; its user, and
 * # a file holding the password, readable by its owner only (both optional)
 * witness.jdbc.url=jdbc:postgresql://witness.example.net:5432/geored_witness
 * witness.jdbc.user=geored
 * witness.jdbc.password-file=/etc/geored/witness-password
 * # witness=etcd: the etcd cluster's client URLs, separated by commas
 * witness.etcd.endpoints=http://10.0.0.5:2379,http://10.0.0.6:2379
 * # the witness timing (defaults 60s, 10s, 15s; every site of a group uses the same)
 * witness.ttl=60s
 * witness.renew-every=10s
 * witness.fence-margin=15s
 * # the sysadmin password automatic migrations use, in a file readable by its owner only;
 * # without it no migration starts by itself (the alarm stays raised)
 * failover.sysadmin-password-file=/etc/geored/sysadmin-password
 * </pre>
 *
 * A properties file has comments on lines of their own only: a {@code #} after a value is part of
 * the value, so a value of a plain key holding a space followed by {@code #} is refused.
 *
 * <p>Unknown keys are refused so a typo never silently falls back to a default. {@link #toString()}
 * never shows tokens or passwords.
 *
 * @param uuid this site's system uuid
 * @param name this site's system name
 * @param databaseFolder where the embedded H2 database lives, when no URL is given
 * @param databaseUrl a JDBC URL, or empty for the embedded database
 * @param databaseUser the JDBC user (with a URL)
 * @param databasePassword the JDBC password (with a URL)
 * @param host the listen address
 * @param port the listen port, 0 for any free one
 * @param tokens the operators' tokens this site accepts, by name
 * @param peerAuth the token each peer site presents to this site, by the peer's system uuid; its
 *     holder is that system peer, confined to peer work on what an association with it covers
 * @param peerTokens the token sent to each peer site, by the peer's uuid
 * @param cipherKey the AES key for stored peer passwords, or empty for the key file in the database
 *     folder (required with a database URL)
 * @param observabilityToken the bearer token {@code GET /metrics}, {@code /health} and {@code
 *     /ready} require, or empty to serve them to anyone, which {@link #parse} allows only when
 *     {@code host} is a loopback address
 * @param commands the operator's rehome and probe commands
 * @param tls the key store the site serves https with and the trust store it calls peers with
 * @param keystone how callers' tokens are validated by this site's Keystone, or empty for the
 *     static tokens of {@code tokens} and {@code peerAuth}
 * @param peerLogin how this site authenticates to its peers: static tokens or their Keystone
 * @param failover the witness of automatic failover and the sysadmin password of automatic
 *     migrations, or {@link Failover#NONE}
 */
public record SiteConfig(
    String uuid,
    String name,
    Path databaseFolder,
    Optional<String> databaseUrl,
    String databaseUser,
    String databasePassword,
    String host,
    int port,
    Map<String, Token> tokens,
    Map<String, String> peerAuth,
    Map<String, String> peerTokens,
    Optional<byte[]> cipherKey,
    Optional<String> observabilityToken,
    Commands commands,
    Tls tls,
    Optional<KeystoneServer> keystone,
    PeerLogin peerLogin,
    Failover failover) {

  /** The listen port when none is configured: dcmanager's own. */
  public static final int DEFAULT_PORT = 8119;

  /** The listen address when none is configured: loopback only, the safe choice. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** The embedded database folder when none is configured, relative to the working directory. */
  public static final Path DEFAULT_FOLDER = Path.of("geored-data");

  /**
   * A token this site accepts.
   *
   * @param value the token itself
   * @param roles what its holder may do, at least one
   */
  public record Token(String value, Set<Role> roles) {
    /**
     * Checks both parts.
     *
     * @param value the token itself
     * @param roles what its holder may do, at least one
     */
    public Token {
      Objects.requireNonNull(value, "value");
      roles = Set.copyOf(roles);
    }

    @Override
    public String toString() {
      return "Token[value=****, roles=" + new TreeSet<>(roles) + "]";
    }
  }

  /**
   * The operator's commands that rehome and probe subclouds (see {@link CommandRehomer} and {@link
   * CommandProbe}). Without a rehome command rehoming fails with "no SubcloudRehomer configured";
   * without a probe command availability stays as stored.
   *
   * @param rehome the words of {@code rehome.command}, or empty
   * @param rehomeTimeout the longest one rehome may run ({@code rehome.timeout}, 1 h)
   * @param rehomeMaxConcurrent rehome commands running at once ({@code rehome.max-concurrent}, 10)
   * @param probe the words of {@code probe.command}, or empty
   * @param probeTimeout the longest one probe may run ({@code probe.timeout}, 30 s)
   * @param probeMaxConcurrent probe commands running at once ({@code probe.max-concurrent}, 8)
   * @param probeInterval how often each subcloud is probed, and how often a rehomed subcloud is
   *     checked for coming online ({@code probe.interval}, 20 s)
   */
  public record Commands(
      Optional<List<String>> rehome,
      Duration rehomeTimeout,
      int rehomeMaxConcurrent,
      Optional<List<String>> probe,
      Duration probeTimeout,
      int probeMaxConcurrent,
      Duration probeInterval) {

    /** No commands: the defaults of every other key. */
    public static final Commands NONE =
        new Commands(
            Optional.empty(),
            Duration.ofHours(1),
            10,
            Optional.empty(),
            Duration.ofSeconds(30),
            8,
            Duration.ofSeconds(20));

    /**
     * Copies the word lists.
     *
     * @param rehome the words of {@code rehome.command}, or empty
     * @param rehomeTimeout the longest one rehome may run
     * @param rehomeMaxConcurrent rehome commands running at once
     * @param probe the words of {@code probe.command}, or empty
     * @param probeTimeout the longest one probe may run
     * @param probeMaxConcurrent probe commands running at once
     * @param probeInterval how often each subcloud is probed
     */
    public Commands {
      rehome = rehome.map(List::copyOf);
      probe = probe.map(List::copyOf);
      Objects.requireNonNull(rehomeTimeout, "rehomeTimeout");
      Objects.requireNonNull(probeTimeout, "probeTimeout");
      Objects.requireNonNull(probeInterval, "probeInterval");
    }
  }

  /**
   * A PKCS#12 store and the file holding its password.
   *
   * @param file the store ({@code keytool -storetype PKCS12}, the default)
   * @param passwordFile the file holding its password, readable by its owner only
   */
  public record Store(Path file, Path passwordFile) {
    /**
     * Checks both parts.
     *
     * @param file the store
     * @param passwordFile the file holding its password
     */
    public Store {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(passwordFile, "passwordFile");
    }
  }

  /**
   * The site's TLS (see {@link SiteTls}, which loads the files at start).
   *
   * @param keyStore {@code tls.key-store}: serve https with its key; empty for plain http
   * @param trustStore {@code tls.trust-store}: trust only its certificates when calling peers and a
   *     Keystone; empty for the JDK's list of public CAs
   */
  public record Tls(Optional<Store> keyStore, Optional<Store> trustStore) {

    /** Plain http, the JDK's trust: no key store, no trust store. */
    public static final Tls NONE = new Tls(Optional.empty(), Optional.empty());

    /**
     * Checks both parts.
     *
     * @param keyStore the key store, or empty
     * @param trustStore the trust store, or empty
     */
    public Tls {
      Objects.requireNonNull(keyStore, "keyStore");
      Objects.requireNonNull(trustStore, "trustStore");
    }
  }

  /**
   * How a site authenticates to its peers ({@code peer.login}).
   *
   * @param keystone false: the static token of {@code peer.token.<uuid>} (the default); true: a
   *     login to each peer's Keystone (its system peer's {@code manager_endpoint}) as the system
   *     peer's user, the peer's endpoints from the token's catalog
   * @param dcmanagerRegion the catalog region of a peer's dcmanager endpoint
   * @param platformRegion the catalog region of a peer's platform endpoint
   * @param refreshMargin how long before its expiry a peer token is renewed
   */
  public record PeerLogin(
      boolean keystone, String dcmanagerRegion, String platformRegion, Duration refreshMargin) {

    /** Static tokens, the default. */
    public static final PeerLogin TOKENS =
        new PeerLogin(false, "SystemController", "RegionOne", Duration.ofMinutes(5));

    /**
     * Checks the values.
     *
     * @param keystone whether to log in to the peers' Keystone
     * @param dcmanagerRegion the dcmanager endpoint's region
     * @param platformRegion the platform endpoint's region
     * @param refreshMargin the refresh margin
     */
    public PeerLogin {
      Objects.requireNonNull(dcmanagerRegion, "dcmanagerRegion");
      Objects.requireNonNull(platformRegion, "platformRegion");
      Objects.requireNonNull(refreshMargin, "refreshMargin");
    }

    @Override
    public String toString() {
      return keystone
          ? "keystone(dcmanager_region="
              + dcmanagerRegion
              + " platform_region="
              + platformRegion
              + " refresh_margin="
              + format(refreshMargin)
              + ")"
          : "token";
    }
  }

  /**
   * Automatic failover ({@code witness} keys and {@code failover.sysadmin-password-file}): the
   * witness that arbitrates which site leads each peer group (docs/adr/0027) and where automatic
   * migrations get the sysadmin password. The password files are read at start ({@link
   * PasswordFile}), where a missing file or one others may read stops the site.
   *
   * @param witness {@code none}, {@code jdbc} or {@code etcd} ({@code witness})
   * @param jdbcUrl the witness database's JDBC URL ({@code witness.jdbc.url}), with {@code jdbc}
   * @param jdbcUser its user ({@code witness.jdbc.user}, default empty)
   * @param jdbcPasswordFile the file holding its password ({@code witness.jdbc.password-file}), or
   *     empty for no password
   * @param etcdEndpoints the etcd cluster's client URLs ({@code witness.etcd.endpoints}), with
   *     {@code etcd}
   * @param settings TTL, renewal interval and fence margin ({@code witness.ttl}, {@code
   *     witness.renew-every}, {@code witness.fence-margin})
   * @param sysadminPasswordFile the file holding the sysadmin password of automatic migrations
   *     ({@code failover.sysadmin-password-file}), or empty for none
   */
  public record Failover(
      String witness,
      Optional<String> jdbcUrl,
      String jdbcUser,
      Optional<Path> jdbcPasswordFile,
      List<String> etcdEndpoints,
      WitnessSettings settings,
      Optional<Path> sysadminPasswordFile) {

    /** No witness: the site fails over only when an operator migrates. */
    public static final Failover NONE =
        new Failover(
            "none",
            Optional.empty(),
            "",
            Optional.empty(),
            List.of(),
            WitnessSettings.DEFAULTS,
            Optional.empty());

    /**
     * Checks the parts and copies the endpoints.
     *
     * @param witness none, jdbc or etcd
     * @param jdbcUrl the witness database's URL
     * @param jdbcUser its user
     * @param jdbcPasswordFile its password's file
     * @param etcdEndpoints etcd's client URLs
     * @param settings the witness timing
     * @param sysadminPasswordFile the sysadmin password's file
     */
    public Failover {
      if (!List.of("none", "jdbc", "etcd").contains(witness)) {
        throw new IllegalArgumentException("witness must be none, jdbc or etcd, was " + witness);
      }
      Objects.requireNonNull(jdbcUrl, "jdbcUrl");
      Objects.requireNonNull(jdbcUser, "jdbcUser");
      Objects.requireNonNull(jdbcPasswordFile, "jdbcPasswordFile");
      etcdEndpoints = List.copyOf(etcdEndpoints);
      Objects.requireNonNull(settings, "settings");
      Objects.requireNonNull(sysadminPasswordFile, "sysadminPasswordFile");
    }

    /**
     * Whether a witness is configured.
     *
     * @return false for {@code witness=none}
     */
    public boolean hasWitness() {
      return !witness.equals("none");
    }

    @Override
    public String toString() {
      String where =
          switch (witness) {
            case "jdbc" -> "jdbc(" + safeUrl(jdbcUrl.orElse("")) + ")";
            case "etcd" -> "etcd(" + String.join(",", etcdEndpoints) + ")";
            default -> "none";
          };
      return hasWitness()
          ? where
              + " ttl="
              + format(settings.ttl())
              + " renew_every="
              + format(settings.renewEvery())
              + " fence_margin="
              + format(settings.fenceMargin())
              + " sysadmin_password="
              + (sysadminPasswordFile.isPresent() ? "file" : "none")
          : where;
    }
  }

  /** A JDBC URL without its parameters, where a driver may take a password. */
  static String safeUrl(String url) {
    int cut = url.length();
    for (char c : new char[] {'?', ';'}) {
      int at = url.indexOf(c);
      if (at >= 0) {
        cut = Math.min(cut, at);
      }
    }
    return url.substring(0, cut);
  }

  /** Copies the maps so the configuration cannot change under a running site. */
  public SiteConfig {
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(name, "name");
    tokens = Map.copyOf(tokens);
    peerAuth = Map.copyOf(peerAuth);
    peerTokens = Map.copyOf(peerTokens);
    Objects.requireNonNull(observabilityToken, "observabilityToken");
    Objects.requireNonNull(commands, "commands");
    Objects.requireNonNull(peerLogin, "peerLogin");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(keystone, "keystone");
    Objects.requireNonNull(failover, "failover");
  }

  /**
   * The server side of Keystone: callers' tokens are validated by this site's Keystone
   * (docs/keystone.md).
   *
   * @param authUrl the site's Keystone, its v3 API ({@code keystone.auth-url})
   * @param user the service user the site validates tokens as ({@code keystone.user})
   * @param passwordFile the file holding that user's password, readable by its owner only ({@code
   *     keystone.password-file}); read at start
   * @param project the service user's project ({@code keystone.project}, default {@code services})
   * @param projects the projects whose tokens are served ({@code keystone.projects}, default {@code
   *     admin,services})
   * @param cacheTtl how long a validation is cached ({@code keystone.cache-ttl}, default 60 s)
   * @param peerUsers the system peer uuid of each Keystone user that is a peer site, by Keystone
   *     user id ({@code keystone.peer-user.<user id>})
   */
  public record KeystoneServer(
      String authUrl,
      String user,
      Path passwordFile,
      String project,
      Set<String> projects,
      Duration cacheTtl,
      Map<String, String> peerUsers) {

    /** Copies the collections. */
    public KeystoneServer {
      Objects.requireNonNull(authUrl, "authUrl");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(passwordFile, "passwordFile");
      Objects.requireNonNull(project, "project");
      projects = Set.copyOf(projects);
      Objects.requireNonNull(cacheTtl, "cacheTtl");
      peerUsers = Map.copyOf(peerUsers);
    }
  }

  /**
   * A configuration without an observability token ({@code /metrics}, {@code /health} and {@code
   * /ready} answer anyone, meant for a loopback {@code host}), without rehome or probe commands, on
   * plain http with the JDK's trust.
   *
   * @param uuid this site's system uuid
   * @param name this site's system name
   * @param databaseFolder where the embedded H2 database lives, when no URL is given
   * @param databaseUrl a JDBC URL, or empty for the embedded database
   * @param databaseUser the JDBC user (with a URL)
   * @param databasePassword the JDBC password (with a URL)
   * @param host the listen address
   * @param port the listen port, 0 for any free one
   * @param tokens the operators' tokens this site accepts, by name
   * @param peerAuth the token each peer site presents to this site, by the peer's system uuid
   * @param peerTokens the token sent to each peer site, by the peer's uuid
   * @param cipherKey the AES key for stored peer passwords, or empty for the key file
   */
  public SiteConfig(
      String uuid,
      String name,
      Path databaseFolder,
      Optional<String> databaseUrl,
      String databaseUser,
      String databasePassword,
      String host,
      int port,
      Map<String, Token> tokens,
      Map<String, String> peerAuth,
      Map<String, String> peerTokens,
      Optional<byte[]> cipherKey) {
    this(
        uuid,
        name,
        databaseFolder,
        databaseUrl,
        databaseUser,
        databasePassword,
        host,
        port,
        tokens,
        peerAuth,
        peerTokens,
        cipherKey,
        Optional.empty(),
        Commands.NONE,
        Tls.NONE,
        Optional.empty(),
        PeerLogin.TOKENS,
        Failover.NONE);
  }

  /**
   * This configuration with other rehome and probe commands.
   *
   * @param value the commands
   * @return a new configuration
   */
  public SiteConfig withCommands(Commands value) {
    return new SiteConfig(
        uuid,
        name,
        databaseFolder,
        databaseUrl,
        databaseUser,
        databasePassword,
        host,
        port,
        tokens,
        peerAuth,
        peerTokens,
        cipherKey,
        observabilityToken,
        value,
        tls,
        keystone,
        peerLogin,
        failover);
  }

  /**
   * This configuration with another TLS setup.
   *
   * @param value the key store and trust store
   * @return a new configuration
   */
  public SiteConfig withTls(Tls value) {
    return new SiteConfig(
        uuid,
        name,
        databaseFolder,
        databaseUrl,
        databaseUser,
        databasePassword,
        host,
        port,
        tokens,
        peerAuth,
        peerTokens,
        cipherKey,
        observabilityToken,
        commands,
        value,
        keystone,
        peerLogin,
        failover);
  }

  /**
   * This configuration with another witness and sysadmin password file.
   *
   * @param value the failover settings
   * @return a new configuration
   */
  public SiteConfig withFailover(Failover value) {
    return new SiteConfig(
        uuid,
        name,
        databaseFolder,
        databaseUrl,
        databaseUser,
        databasePassword,
        host,
        port,
        tokens,
        peerAuth,
        peerTokens,
        cipherKey,
        observabilityToken,
        commands,
        tls,
        keystone,
        peerLogin,
        value);
  }

  /**
   * Reads a configuration file.
   *
   * @param file a properties file, UTF-8
   * @return the configuration
   * @throws IllegalArgumentException naming the first key that is missing, unknown or wrong
   * @throws IOException when the file cannot be read
   */
  public static SiteConfig load(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    return parse(p);
  }

  /**
   * Reads a configuration from properties.
   *
   * @param p the keys and values described on this class
   * @return the configuration
   * @throws IllegalArgumentException naming the first key that is missing, unknown or wrong
   */
  public static SiteConfig parse(Properties p) {
    List<String> keys = new ArrayList<>(p.stringPropertyNames());
    keys.sort(null);
    for (String key : keys) {
      if (!known(key)) {
        throw new IllegalArgumentException("unknown configuration key " + key);
      }
    }
    for (String key : PLAIN_KEYS) {
      String value = p.getProperty(key);
      if (value != null && TRAILING_COMMENT.matcher(value).find()) {
        throw new IllegalArgumentException(
            key
                + " ends with what looks like a comment (a space, then #): a properties file has"
                + " no end-of-line comments, put the comment on a line of its own");
      }
    }
    String uuid = uuid(required(p, "site.uuid"));
    String name = name(required(p, "site.name"));
    Optional<String> url = optional(p, "database.url");
    Optional<String> folder = optional(p, "database.folder");
    if (url.isPresent() && folder.isPresent()) {
      throw new IllegalArgumentException("give database.folder or database.url, not both");
    }
    if (url.isEmpty() && (p.containsKey("database.user") || p.containsKey("database.password"))) {
      throw new IllegalArgumentException("database.user and database.password need database.url");
    }
    int port = port(optional(p, "http.port").orElse(String.valueOf(DEFAULT_PORT)));
    Map<String, Token> tokens = new LinkedHashMap<>();
    for (String key : keys) {
      if (key.startsWith("auth.token.")) {
        String tokenName = key.substring("auth.token.".length());
        String value = required(p, key);
        String roles = required(p, "auth.roles." + tokenName);
        tokens.put(tokenName, new Token(value, roles(roles, "auth.roles." + tokenName)));
      } else if (key.startsWith("auth.roles.")
          && !p.containsKey("auth.token." + key.substring("auth.roles.".length()))) {
        throw new IllegalArgumentException(key + " has no matching auth.token key");
      }
    }
    Optional<KeystoneServer> keystone = keystone(p, keys);
    if (keystone.isPresent()) {
      for (String key : keys) {
        if (key.startsWith("auth.")) {
          throw new IllegalArgumentException(
              key
                  + " cannot be used with keystone.auth-url: callers' tokens are validated by"
                  + " Keystone (a peer site is a keystone.peer-user)");
        }
      }
    } else if (tokens.isEmpty()) {
      throw new IllegalArgumentException(
          "at least one auth.token.<name> is required (or keystone.auth-url)");
    }
    Map<String, String> peerAuth = new LinkedHashMap<>();
    for (String key : keys) {
      if (key.startsWith("auth.peer.")) {
        String peerUuid = key.substring("auth.peer.".length());
        if (!isUuid(peerUuid)) {
          throw new IllegalArgumentException(
              key + " must name a system peer uuid (auth.peer.<peer uuid>=<token>)");
        }
        peerAuth.put(peerUuid.toLowerCase(Locale.ROOT), required(p, key));
      }
    }
    Map<String, String> peerTokens = new LinkedHashMap<>();
    for (String key : keys) {
      if (key.startsWith("peer.token.")) {
        peerTokens.put(key.substring("peer.token.".length()), required(p, key));
      }
    }
    Optional<byte[]> cipherKey = optional(p, "cipher.key").map(SiteConfig::cipherKey);
    if (url.isPresent() && cipherKey.isEmpty()) {
      // A key file in a local folder would differ per host; the database's key must travel with
      // it (docs/adr/0015-standalone-key-file.md).
      throw new IllegalArgumentException(
          "cipher.key is required with database.url (peer passwords are stored encrypted)");
    }
    String host = optional(p, "http.host").orElse(DEFAULT_HOST);
    Optional<String> observabilityToken = optional(p, "observability.token");
    if (observabilityToken.isEmpty() && !isLoopback(host)) {
      // Metrics name the peers and groups: only the host itself may read them without a token.
      throw new IllegalArgumentException(
          "observability.token is required when http.host ("
              + printable(host)
              + ") is not a loopback address (it guards GET /metrics, /health and /ready)");
    }
    return new SiteConfig(
        uuid,
        name,
        folder.map(Path::of).orElse(DEFAULT_FOLDER),
        url,
        p.getProperty("database.user", "").trim(),
        p.getProperty("database.password", ""),
        host,
        port,
        tokens,
        peerAuth,
        peerTokens,
        cipherKey,
        observabilityToken,
        commands(p),
        new Tls(store(p, "tls.key-store"), store(p, "tls.trust-store")),
        keystone,
        peerLogin(p, peerTokens),
        failover(p));
  }

  /** The witness keys, valid only with {@code witness=jdbc} or {@code witness=etcd}. */
  private static final List<String> WITNESS_KEYS =
      List.of(
          "witness.jdbc.url",
          "witness.jdbc.user",
          "witness.jdbc.password-file",
          "witness.etcd.endpoints",
          "witness.ttl",
          "witness.renew-every",
          "witness.fence-margin",
          "failover.sysadmin-password-file");

  /** etcd's shortest lease TTL. */
  public static final Duration MIN_ETCD_TTL = Duration.ofSeconds(2);

  private static Failover failover(Properties p) {
    String witness = optional(p, "witness").orElse("none");
    if (!List.of("none", "jdbc", "etcd").contains(witness)) {
      throw new IllegalArgumentException(
          "witness must be none, jdbc or etcd, was " + printable(witness));
    }
    if (witness.equals("none")) {
      for (String key : WITNESS_KEYS) {
        if (p.containsKey(key)) {
          throw new IllegalArgumentException(key + " needs witness=jdbc or witness=etcd");
        }
      }
      return Failover.NONE;
    }
    Optional<String> url = Optional.empty();
    List<String> endpoints = List.of();
    if (witness.equals("jdbc")) {
      if (p.containsKey("witness.etcd.endpoints")) {
        throw new IllegalArgumentException("witness.etcd.endpoints needs witness=etcd");
      }
      url = Optional.of(required(p, "witness.jdbc.url"));
      if (!url.get().toLowerCase(Locale.ROOT).startsWith("jdbc:")) {
        throw new IllegalArgumentException(
            "witness.jdbc.url must be a JDBC URL such as"
                + " jdbc:postgresql://witness.example.net:5432/geored_witness, was "
                + printable(safeUrl(url.get())));
      }
    } else {
      for (String key :
          List.of("witness.jdbc.url", "witness.jdbc.user", "witness.jdbc.password-file")) {
        if (p.containsKey(key)) {
          throw new IllegalArgumentException(key + " needs witness=jdbc");
        }
      }
      endpoints = etcdEndpoints(required(p, "witness.etcd.endpoints"));
    }
    WitnessSettings d = WitnessSettings.DEFAULTS;
    Duration ttl = optional(p, "witness.ttl").map(v -> duration("witness.ttl", v)).orElse(d.ttl());
    Duration renew =
        optional(p, "witness.renew-every")
            .map(v -> duration("witness.renew-every", v))
            .orElse(d.renewEvery());
    Duration margin =
        optional(p, "witness.fence-margin")
            .map(v -> duration("witness.fence-margin", v))
            .orElse(d.fenceMargin());
    if (witness.equals("etcd") && (ttl.compareTo(MIN_ETCD_TTL) < 0 || ttl.toMillis() % 1000 != 0)) {
      throw new IllegalArgumentException(
          "witness.ttl must be whole seconds, at least 2s, with witness=etcd (etcd's leases), was "
              + printable(p.getProperty("witness.ttl")));
    }
    if (margin.compareTo(ttl) >= 0) {
      throw new IllegalArgumentException(
          "witness.fence-margin ("
              + format(margin)
              + ") must be shorter than witness.ttl ("
              + format(ttl)
              + ")");
    }
    if (renew.compareTo(ttl.minus(margin)) >= 0) {
      throw new IllegalArgumentException(
          "witness.renew-every ("
              + format(renew)
              + ") must be shorter than witness.ttl minus witness.fence-margin ("
              + format(ttl.minus(margin))
              + ")");
    }
    return new Failover(
        witness,
        url,
        optional(p, "witness.jdbc.user").orElse(""),
        optional(p, "witness.jdbc.password-file").map(Path::of),
        endpoints,
        new WitnessSettings(ttl, renew, margin),
        optional(p, "failover.sysadmin-password-file").map(Path::of));
  }

  private static List<String> etcdEndpoints(String value) {
    List<String> endpoints = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      String endpoint = part.trim();
      java.net.URI uri;
      try {
        uri = java.net.URI.create(endpoint);
      } catch (IllegalArgumentException e) {
        uri = null;
      }
      if (uri == null
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null
          || uri.getPort() < 0) {
        throw new IllegalArgumentException(
            "witness.etcd.endpoints must be etcd client URLs with a port, separated by commas,"
                + " such as http://10.0.0.5:2379,http://10.0.0.6:2379, was "
                + printable(value));
      }
      endpoints.add(endpoint);
    }
    return endpoints;
  }

  /** The keys of a Keystone login to the peers, valid only with {@code peer.login=keystone}. */
  private static final List<String> PEER_KEYSTONE_KEYS =
      List.of(
          "peer.keystone.dcmanager-region",
          "peer.keystone.platform-region",
          "peer.keystone.refresh-margin");

  private static PeerLogin peerLogin(Properties p, Map<String, String> peerTokens) {
    String login = optional(p, "peer.login").orElse("token");
    PeerLogin d = PeerLogin.TOKENS;
    if (login.equals("token")) {
      for (String key : PEER_KEYSTONE_KEYS) {
        if (p.containsKey(key)) {
          throw new IllegalArgumentException(key + " needs peer.login=keystone");
        }
      }
      return d;
    }
    if (!login.equals("keystone")) {
      throw new IllegalArgumentException(
          "peer.login must be token or keystone, was " + printable(login));
    }
    if (!peerTokens.isEmpty()) {
      throw new IllegalArgumentException(
          "peer.token."
              + new TreeSet<>(peerTokens.keySet()).first()
              + " is not used with peer.login=keystone (each peer's Keystone issues its token)");
    }
    return new PeerLogin(
        true,
        optional(p, "peer.keystone.dcmanager-region")
            .map(v -> region("peer.keystone.dcmanager-region", v))
            .orElse(d.dcmanagerRegion()),
        optional(p, "peer.keystone.platform-region")
            .map(v -> region("peer.keystone.platform-region", v))
            .orElse(d.platformRegion()),
        optional(p, "peer.keystone.refresh-margin")
            .map(v -> duration("peer.keystone.refresh-margin", v))
            .orElse(d.refreshMargin()));
  }

  /** The longest Keystone region id. */
  public static final int MAX_REGION_LENGTH = 255;

  private static String region(String key, String value) {
    if (value.length() > MAX_REGION_LENGTH || !value.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException(
          key
              + " must be a Keystone region id of at most "
              + MAX_REGION_LENGTH
              + " letters, digits, '_', '.' or '-', was "
              + printable(value));
    }
    return value;
  }

  /**
   * A store key and its {@code .password-file}: both or neither. The files are read at start
   * ({@link SiteTls}), where a missing file, a wrong password or a password file others can read
   * stops the site.
   */
  private static Optional<Store> store(Properties p, String key) {
    Optional<String> file = optional(p, key);
    Optional<String> password = optional(p, key + ".password-file");
    if (file.isPresent() && password.isEmpty()) {
      throw new IllegalArgumentException(
          key
              + ".password-file is required with "
              + key
              + " (a file holding the store's password, readable by the site's user only)");
    }
    if (file.isEmpty() && password.isPresent()) {
      throw new IllegalArgumentException(key + ".password-file needs " + key);
    }
    return file.map(f -> new Store(Path.of(f), Path.of(password.get())));
  }

  /** The longest time a Keystone validation may be cached. */
  public static final Duration MAX_KEYSTONE_CACHE_TTL = Duration.ofHours(1);

  private static final String PEER_USER = "keystone.peer-user.";

  private static Optional<KeystoneServer> keystone(Properties p, List<String> keys) {
    Optional<String> authUrl = optional(p, "keystone.auth-url");
    if (authUrl.isEmpty()) {
      for (String key : keys) {
        if (key.startsWith("keystone.") && isServerKeystoneKey(key)) {
          throw new IllegalArgumentException(key + " needs keystone.auth-url");
        }
      }
      return Optional.empty();
    }
    java.net.URI uri;
    try {
      uri = java.net.URI.create(authUrl.get());
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "keystone.auth-url must be an http or https URL such as http://127.0.0.1:5000/v3, was "
              + printable(authUrl.get()));
    }
    String user = required(p, "keystone.user");
    Path passwordFile = Path.of(required(p, "keystone.password-file"));
    String project = optional(p, "keystone.project").orElse("services");
    Set<String> projects = new TreeSet<>();
    for (String part : optional(p, "keystone.projects").orElse("admin,services").split(",")) {
      if (part.isBlank()) {
        throw new IllegalArgumentException(
            "keystone.projects must be project names separated by commas, was "
                + printable(p.getProperty("keystone.projects")));
      }
      projects.add(part.trim());
    }
    Duration ttl =
        optional(p, "keystone.cache-ttl")
            .map(v -> duration("keystone.cache-ttl", v))
            .orElse(Duration.ofSeconds(60));
    if (ttl.compareTo(MAX_KEYSTONE_CACHE_TTL) > 0) {
      throw new IllegalArgumentException(
          "keystone.cache-ttl must be at most 1h (a revoked token works until it ends), was "
              + printable(p.getProperty("keystone.cache-ttl")));
    }
    Map<String, String> peerUsers = new LinkedHashMap<>();
    for (String key : keys) {
      if (key.startsWith(PEER_USER)) {
        String peerUuid = required(p, key);
        if (!isUuid(peerUuid)) {
          throw new IllegalArgumentException(
              key
                  + " must be a system peer uuid (keystone.peer-user.<keystone user id>=<peer"
                  + " uuid>), was "
                  + printable(peerUuid));
        }
        peerUsers.put(key.substring(PEER_USER.length()), peerUuid.toLowerCase(Locale.ROOT));
      }
    }
    return Optional.of(
        new KeystoneServer(authUrl.get(), user, passwordFile, project, projects, ttl, peerUsers));
  }

  private static boolean isServerKeystoneKey(String key) {
    return SERVER_KEYSTONE_KEYS.contains(key)
        || (key.startsWith(PEER_USER) && key.length() > PEER_USER.length());
  }

  private static final Set<String> SERVER_KEYSTONE_KEYS =
      Set.of(
          "keystone.auth-url",
          "keystone.user",
          "keystone.password-file",
          "keystone.project",
          "keystone.projects",
          "keystone.cache-ttl");

  /**
   * Whether a listen address is loopback only: {@code localhost}, or an address literal in
   * 127.0.0.0/8 or {@code ::1}. A host name other than {@code localhost} is never resolved here and
   * counts as not loopback.
   *
   * @param host the listen address
   * @return true when only this host can connect
   */
  static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    String literal =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!literal.matches("[0-9.]+") && !literal.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
      return false;
    }
    try {
      return java.net.InetAddress.getByName(literal).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static Commands commands(Properties p) {
    Commands d = Commands.NONE;
    Optional<List<String>> rehome =
        optional(p, "rehome.command").map(v -> CommandLine.split("rehome.command", v));
    Optional<List<String>> probe =
        optional(p, "probe.command").map(v -> CommandLine.split("probe.command", v));
    for (String key : List.of("rehome.timeout", "rehome.max-concurrent")) {
      if (rehome.isEmpty() && p.containsKey(key)) {
        throw new IllegalArgumentException(key + " needs rehome.command");
      }
    }
    for (String key : List.of("probe.timeout", "probe.max-concurrent", "probe.interval")) {
      if (probe.isEmpty() && p.containsKey(key)) {
        throw new IllegalArgumentException(key + " needs probe.command");
      }
    }
    return new Commands(
        rehome,
        optional(p, "rehome.timeout")
            .map(v -> duration("rehome.timeout", v))
            .orElse(d.rehomeTimeout()),
        optional(p, "rehome.max-concurrent")
            .map(v -> count("rehome.max-concurrent", v))
            .orElse(d.rehomeMaxConcurrent()),
        probe,
        optional(p, "probe.timeout")
            .map(v -> duration("probe.timeout", v))
            .orElse(d.probeTimeout()),
        optional(p, "probe.max-concurrent")
            .map(v -> count("probe.max-concurrent", v))
            .orElse(d.probeMaxConcurrent()),
        optional(p, "probe.interval")
            .map(v -> duration("probe.interval", v))
            .orElse(d.probeInterval()));
  }

  /** The most commands of one kind a site runs at once. */
  public static final int MAX_CONCURRENT = 256;

  /** The longest timeout or interval, so a typo of units cannot park a rehome for years. */
  public static final Duration MAX_DURATION = Duration.ofDays(7);

  private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");

  /** A duration written as a whole number and a unit: ms, s, m or h (90s, 15m, 1h). */
  private static Duration duration(String key, String value) {
    var m = DURATION.matcher(value);
    Duration d = null;
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
          };
    }
    if (d == null || d.isZero() || d.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(
          key
              + " must be a duration from 1ms to 7 days written as a number and a unit"
              + " (ms, s, m, h), such as 90s, 15m or 1h, was "
              + printable(value));
    }
    return d;
  }

  /**
   * A duration as the configuration writes it: the largest unit that divides it.
   *
   * @param d a duration
   * @return e.g. {@code 1h}, {@code 90s}, {@code 250ms}
   */
  static String format(Duration d) {
    if (d.toMillis() % 3_600_000 == 0) {
      return d.toHours() + "h";
    }
    if (d.toMillis() % 60_000 == 0) {
      return d.toMinutes() + "m";
    }
    if (d.toMillis() % 1000 == 0) {
      return d.toSeconds() + "s";
    }
    return d.toMillis() + "ms";
  }

  private static int count(String key, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= MAX_CONCURRENT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new IllegalArgumentException(
        key + " must be a number from 1 to " + MAX_CONCURRENT + ", was " + printable(value));
  }

  /** Keys whose values are never secrets, checked for a comment typed after the value. */
  private static final List<String> PLAIN_KEYS =
      List.of(
          "site.uuid",
          "site.name",
          "database.folder",
          "database.url",
          "database.user",
          "http.host",
          "http.port",
          "cipher.key",
          "tls.key-store",
          "tls.key-store.password-file",
          "tls.trust-store",
          "tls.trust-store.password-file",
          "rehome.command",
          "rehome.timeout",
          "rehome.max-concurrent",
          "probe.command",
          "probe.timeout",
          "probe.max-concurrent",
          "probe.interval",
          "keystone.auth-url",
          "keystone.user",
          "keystone.password-file",
          "keystone.project",
          "keystone.projects",
          "keystone.cache-ttl",
          "peer.login",
          "peer.keystone.dcmanager-region",
          "peer.keystone.platform-region",
          "peer.keystone.refresh-margin",
          "witness",
          "witness.jdbc.url",
          "witness.jdbc.user",
          "witness.jdbc.password-file",
          "witness.etcd.endpoints",
          "witness.ttl",
          "witness.renew-every",
          "witness.fence-margin",
          "failover.sysadmin-password-file");

  private static final Pattern TRAILING_COMMENT = Pattern.compile("\\s#");

  /** The longest site name, in characters, as for every other name. */
  public static final int MAX_NAME_LENGTH = 255;

  private static final String NAME_FORBIDDEN = ".*+?|()[]{}^$/\\";

  private static String uuid(String value) {
    boolean canonical = false;
    if (value.length() == 36) {
      try {
        canonical = UUID.fromString(value).toString().equalsIgnoreCase(value);
      } catch (IllegalArgumentException e) {
        canonical = false;
      }
    }
    if (!canonical) {
      throw new IllegalArgumentException(
          "site.uuid must be a uuid (8-4-4-4-12 hexadecimal digits), was " + printable(value));
    }
    return value;
  }

  /**
   * A site name follows the rule of every name the API takes: not blank, not only digits, not
   * {@code none}, none of {@code .*+?|()[]{}^$/\}, no control characters, at most {@value
   * #MAX_NAME_LENGTH} characters.
   */
  private static String name(String value) {
    String refusal = null;
    if (value.codePointCount(0, value.length()) > MAX_NAME_LENGTH) {
      refusal = "must be at most " + MAX_NAME_LENGTH + " characters";
    } else if (value.codePoints().allMatch(Character::isDigit)) {
      refusal = "must not be only digits";
    } else if (value.equalsIgnoreCase("none")) {
      refusal = "must not be none";
    } else if (value.codePoints().anyMatch(Character::isISOControl)) {
      refusal = "must not contain control characters";
    } else {
      for (char c : NAME_FORBIDDEN.toCharArray()) {
        if (value.indexOf(c) >= 0) {
          refusal = "must not contain any of " + NAME_FORBIDDEN;
          break;
        }
      }
    }
    if (refusal != null) {
      throw new IllegalArgumentException("site.name " + refusal + ", was " + printable(value));
    }
    return value;
  }

  /** A value as one line: control characters escaped, long values cut. */
  private static String printable(String value) {
    StringBuilder b = new StringBuilder();
    value
        .codePoints()
        .limit(80)
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                b.append(String.format(Locale.ROOT, "\\u%04x", c));
              } else {
                b.appendCodePoint(c);
              }
            });
    return value.codePointCount(0, value.length()) > 80 ? b + "..." : b.toString();
  }

  private static boolean known(String key) {
    return Set.of(
                "site.uuid",
                "site.name",
                "database.folder",
                "database.url",
                "database.user",
                "database.password",
                "http.host",
                "http.port",
                "cipher.key",
                "observability.token",
                "tls.key-store",
                "tls.key-store.password-file",
                "tls.trust-store",
                "tls.trust-store.password-file",
                "rehome.command",
                "rehome.timeout",
                "rehome.max-concurrent",
                "probe.command",
                "probe.timeout",
                "probe.max-concurrent",
                "probe.interval",
                "peer.login",
                "peer.keystone.dcmanager-region",
                "peer.keystone.platform-region",
                "peer.keystone.refresh-margin",
                "witness")
            .contains(key)
        || WITNESS_KEYS.contains(key)
        || (key.startsWith("auth.token.") && key.length() > "auth.token.".length())
        || (key.startsWith("auth.roles.") && key.length() > "auth.roles.".length())
        || (key.startsWith("auth.peer.") && key.length() > "auth.peer.".length())
        || (key.startsWith("peer.token.") && key.length() > "peer.token.".length())
        || isServerKeystoneKey(key);
  }

  private static String required(Properties p, String key) {
    return optional(p, key)
        .orElseThrow(
            () -> new IllegalArgumentException("configuration key " + key + " is required"));
  }

  private static Optional<String> optional(Properties p, String key) {
    String value = p.getProperty(key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  private static int port(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // falls through to the message below
    }
    throw new IllegalArgumentException("http.port must be a number from 0 to 65535, was " + value);
  }

  private static Set<Role> roles(String value, String key) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String part : value.split(",")) {
      String role = part.trim().toUpperCase(Locale.ROOT);
      try {
        roles.add(Role.valueOf(role));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            key
                + " has an unknown role "
                + part.trim()
                + " (admin, configurator, operator, reader; a peer site's token is"
                + " auth.peer.<peer uuid>)");
      }
    }
    return roles;
  }

  private static boolean isUuid(String value) {
    try {
      return java.util.UUID.fromString(value).toString().equalsIgnoreCase(value);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static byte[] cipherKey(String value) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cipher.key must be base64");
    }
    if (key.length != 16 && key.length != 24 && key.length != 32) {
      throw new IllegalArgumentException("cipher.key must decode to 16, 24 or 32 bytes");
    }
    return key;
  }

  /** Never shows tokens, the database password or the cipher key. */
  @Override
  public String toString() {
    return "SiteConfig[uuid="
        + uuid
        + ", name="
        + name
        + ", database="
        + databaseUrl
            .map(u -> u.replaceAll("(?i)password=[^;&]*", "password=****"))
            .orElse("h2:" + databaseFolder)
        + ", host="
        + host
        + ", port="
        + port
        + ", tokens="
        + new TreeSet<>(tokens.keySet())
        + ", peer_auth="
        + new TreeSet<>(peerAuth.keySet())
        + ", peers="
        + new TreeSet<>(peerTokens.keySet())
        + ", peer_login="
        + peerLogin
        + ", cipher="
        + (cipherKey.isPresent() ? "aes-gcm" : "none")
        + ", observability="
        + (observabilityToken.isPresent() ? "token" : "open")
        + ", tls_key_store="
        + tls.keyStore().map(k -> k.file().toString()).orElse("none")
        + ", tls_trust_store="
        + tls.trustStore().map(k -> k.file().toString()).orElse("jdk")
        + ", rehome="
        + commands.rehome().map(c -> c.get(0)).orElse("none")
        + ", probe="
        + commands.probe().map(c -> c.get(0)).orElse("none")
        + (failover.hasWitness() ? ", witness=" + failover : "")
        + keystone
            .map(
                k ->
                    ", keystone="
                        + k.authUrl()
                        + " as "
                        + k.user()
                        + " projects="
                        + new TreeSet<>(k.projects())
                        + " peer_users="
                        + new TreeSet<>(k.peerUsers().keySet()))
            .orElse("")
        + "]";
  }
}
