package io.geored.adapters.http;

import io.geored.adapters.http.internal.EscapingLogger;
import io.geored.spi.api.SiteApi;
import io.geored.spi.model.Secret;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.peer.PeerSites;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;

/**
 * The {@link PeerSites} port over HTTP: one {@link HttpSiteClient} per system peer. With a {@link
 * TokenProvider} (static tokens, the default) its base URL is the peer's manager endpoint and its
 * token the provider's; with a {@link PeerAccessProvider} (e.g. a Keystone login) the provider
 * resolves the token and both URLs on every call, and a call the peer answers 401 is retried once
 * after the provider renewed its access. Clients are cached by peer, endpoint and credentials; a
 * peer whose endpoint, user name or password changes gets a new client. Thread-safe.
 *
 * <p>An {@code https} endpoint is verified as the JDK client does it: the peer's certificate chain
 * must lead to a certificate of the trust store ({@link Builder#sslContext}, e.g. {@link
 * TlsContexts#trusting}; the JDK's list by default) and the certificate must name the endpoint's
 * host. A peer that fails either check gets no request at all, so never a token: the call is a
 * {@link PeerTransportException} naming the TLS failure, which the monitor counts as a missed
 * heartbeat.
 *
 * <p>The JDK client's own small tasks (reading an answer off the socket, completing the call) run
 * by default on the client's selector thread ({@link #INLINE}), not handed to a thread pool: each
 * answer then wakes one thread (the caller's) instead of two, about a third of a round trip's CPU
 * on loopback (docs/adr/0029). This is safe because nothing the client runs there blocks: answers
 * are read into byte arrays and the caller's own work continues on the caller's thread. {@link
 * Builder#executor} sets another executor.
 */
public final class HttpPeerSites implements PeerSites {

  private static final Logger LOG = EscapingLogger.of(HttpPeerSites.class);

  /** Default connect timeout, short enough for heartbeats. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** Default time one call may take. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The default executor of the JDK client: runs each of the client's tasks on the thread that
   * hands it over (the client's selector thread, or the caller's while it sends).
   */
  public static final Executor INLINE = new Inline();

  private record Key(long id, String uuid, String endpoint, String username, Secret password) {}

  private final HttpClient http;
  private final TokenProvider tokens;
  private final PeerAccessProvider access;
  private final Duration requestTimeout;
  private final Map<Key, HttpSiteClient> clients = new ConcurrentHashMap<>();

  private HttpPeerSites(Builder b) {
    HttpClient.Builder http =
        HttpClient.newBuilder()
            .connectTimeout(b.connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1);
    if (b.sslContext != null) {
      http.sslContext(b.sslContext);
    }
    if (b.executor != null) {
      http.executor(b.executor);
    }
    this.http = http.build();
    this.tokens = b.tokens;
    this.access = b.access;
    this.requestTimeout = b.requestTimeout;
    LOG.info(
        "http peer sites configured connect_timeout_ms={} request_timeout_ms={} tls_context={}"
            + " executor={}",
        b.connectTimeout.toMillis(),
        b.requestTimeout.toMillis(),
        b.sslContext != null ? "host" : "default",
        b.executor == INLINE ? "inline" : b.executor == null ? "jdk" : "host");
  }

  /** The JDK client every peer's calls go through (package-private: for tests). */
  HttpClient http() {
    return http;
  }

  /** Runs a task on the calling thread. */
  private static final class Inline implements Executor {
    @Override
    public void execute(Runnable task) {
      task.run();
    }

    @Override
    public String toString() {
      return "HttpPeerSites.INLINE";
    }
  }

  /**
   * Starts building the port.
   *
   * @param tokens where each peer's token comes from
   * @return the builder, with the default timeouts
   */
  public static Builder builder(TokenProvider tokens) {
    return new Builder(Objects.requireNonNull(tokens, "tokens"), null);
  }

  /**
   * Starts building the port on a resolver of each peer's token and URLs.
   *
   * @param access resolves, per system peer, the token, the dcmanager URL and the platform endpoint
   * @return the builder, with the default timeouts
   */
  public static Builder builder(PeerAccessProvider access) {
    return new Builder(null, Objects.requireNonNull(access, "access"));
  }

  @Override
  public SiteApi clientFor(SystemPeer peer) {
    Objects.requireNonNull(peer, "peer");
    URI uri = PeerAccessProvider.managerEndpointOf(peer);
    if (tokens != null) {
      Key key = new Key(peer.id(), peer.peerUuid(), peer.managerEndpoint(), null, null);
      return clients.computeIfAbsent(
          key, k -> new HttpSiteClient(http, uri, () -> tokens.tokenFor(peer), requestTimeout));
    }
    Key key =
        new Key(
            peer.id(),
            peer.peerUuid(),
            peer.managerEndpoint(),
            peer.managerUsername(),
            peer.managerPassword());
    HttpSiteClient client = clients.get(key);
    if (client == null) {
      // The peer's credentials or endpoint changed: its older clients hold what it no longer is.
      clients.keySet().removeIf(k -> k.id() == peer.id() && !k.equals(key));
      client =
          clients.computeIfAbsent(key, k -> new HttpSiteClient(http, peer, access, requestTimeout));
    }
    return client;
  }

  /** Configures {@link HttpPeerSites}; not thread-safe. */
  public static final class Builder {
    private final TokenProvider tokens;
    private final PeerAccessProvider access;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private SSLContext sslContext;
    private Executor executor = INLINE;

    private Builder(TokenProvider tokens, PeerAccessProvider access) {
      this.tokens = tokens;
      this.access = access;
    }

    /**
     * How long to wait for a connection; default 5 s.
     *
     * @param value the timeout
     * @return this builder
     */
    public Builder connectTimeout(Duration value) {
      this.connectTimeout = Objects.requireNonNull(value, "connectTimeout");
      return this;
    }

    /**
     * How long one call may take; default 30 s.
     *
     * @param value the timeout
     * @return this builder
     */
    public Builder requestTimeout(Duration value) {
      this.requestTimeout = Objects.requireNonNull(value, "requestTimeout");
      return this;
    }

    /**
     * The TLS context for https endpoints (trust store, client keys); default the JDK's, which
     * trusts the JDK's list of public CAs. {@link TlsContexts#trusting} builds one from a PKCS#12
     * trust store. Hostname verification stays on whatever the context.
     *
     * @param value the host's context, or null for the default
     * @return this builder
     */
    public Builder sslContext(SSLContext value) {
      this.sslContext = value;
      return this;
    }

    /**
     * Where the JDK client runs its own small asynchronous tasks (reading answers, completing
     * calls); default {@link #INLINE}, on the client's selector thread. Null gives the JDK's
     * default, a cached thread pool of the client's, which costs a hand-off to one of its threads
     * per answer. Whatever the executor, it must run every task it is given.
     *
     * @param value the executor, or null for the JDK's default
     * @return this builder
     */
    public Builder executor(Executor value) {
      this.executor = value;
      return this;
    }

    /**
     * The port.
     *
     * @return it
     */
    public HttpPeerSites build() {
      return new HttpPeerSites(this);
    }
  }
}
