package io.geored.adapters.http;

import io.geored.adapters.http.internal.EscapingLogger;
import io.geored.spi.api.SiteApi;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;

/**
 * A standalone HTTP server for a site: Jetty 12 (core Handler API, no servlets) around a {@link
 * GeoredHttpHandler}. Jetty rather than the JDK server because it bounds what a hostile client can
 * hold: request header size, idle (slow body) timeout, a bounded worker pool and a bounded queue,
 * all configurable; the JDK server has no header limit and an unbounded executor by default.
 *
 * <p>Every answer, Jetty's own refusals included (a bad URI, an encoded {@code /}, {@code %2e%2e},
 * {@code //}, an unknown HTTP version, a CONNECT), has the JSON fault body of {@link
 * GeoredHttpHandler#error(int, String)}; no HTML error page is ever sent. A {@code %25} in a path
 * is let through Jetty (its default refuses it as ambiguous) so that the handler, which decodes
 * each segment once, can reach every name the site accepts.
 *
 * <p>A host may serve a few paths of its own beside the API ({@link Builder#route}, e.g. a metrics
 * or health endpoint): they get the same limits and the same neutral request and answer types, and
 * no dependency of the host's (a metrics library) reaches this module.
 *
 * <p>{@link #start()} binds and starts the threads it owns ({@code geored-http-*}); {@link
 * #close()} stops them, bounded and idempotent.
 */
public final class GeoredHttpServer implements AutoCloseable {

  private static final Logger LOG = EscapingLogger.of(GeoredHttpServer.class);

  /** The methods the API takes somewhere: the {@code Allow} of a refused CONNECT. */
  private static final String SERVED_METHODS = "GET, POST, PATCH, DELETE";

  /**
   * Jetty's default URI rules, but a percent-encoded {@code %} is let through: the handler decodes
   * segments itself, exactly once, and still refuses {@code ..} and an encoded {@code /}.
   */
  private static final UriCompliance URI_COMPLIANCE =
      UriCompliance.DEFAULT.with("geored", UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING);

  private final GeoredHttpHandler handler;
  private final Server server;
  private final ServerConnector connector;
  private final boolean tls;
  private final String basePath;
  private boolean closed;

  private GeoredHttpServer(Builder b) {
    this.handler = new GeoredHttpHandler(b.site, b.authenticator, b.basePath, b.maxBodyBytes);
    this.basePath = b.basePath;
    QueuedThreadPool threads =
        new QueuedThreadPool(
            b.maxThreads,
            Math.min(4, b.maxThreads),
            60_000,
            new BlockingArrayQueue<>(b.maxQueuedRequests, b.maxQueuedRequests));
    threads.setName("geored-http");
    this.server = new Server(threads);
    server.setStopTimeout(b.stopTimeout.toMillis());
    HttpConfiguration config = new HttpConfiguration();
    config.setRequestHeaderSize(b.maxHeaderBytes);
    config.setSendServerVersion(false);
    config.setSendDateHeader(false);
    config.setUriCompliance(URI_COMPLIANCE);
    HttpConnectionFactory http = new HttpConnectionFactory(config);
    this.tls = b.sslContext != null;
    if (tls) {
      config.addCustomizer(new SecureRequestCustomizer(false));
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setSslContext(b.sslContext);
      this.connector =
          new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, "http/1.1"), http);
    } else {
      this.connector = new ServerConnector(server, 1, 1, http);
    }
    connector.setHost(b.host);
    connector.setPort(b.port);
    connector.setIdleTimeout(b.idleTimeout.toMillis());
    server.addConnector(connector);
    server.setHandler(new JettyMount(handler, Map.copyOf(b.routes)));
    server.setErrorHandler(new JsonErrors());
    LOG.info(
        "http server configured host={} port={} tls={} base_path={} max_body_bytes={}"
            + " max_header_bytes={} idle_timeout_ms={} max_threads={}",
        b.host,
        b.port,
        tls,
        b.basePath,
        b.maxBodyBytes,
        b.maxHeaderBytes,
        b.idleTimeout.toMillis(),
        b.maxThreads);
  }

  /**
   * Starts building a server for a site.
   *
   * @param site what answers the calls
   * @param authenticator who may call
   * @return the builder, with the defaults
   */
  public static Builder builder(SiteApi site, Authenticator authenticator) {
    return new Builder(site, authenticator);
  }

  /**
   * Binds the port and starts serving.
   *
   * @return this server
   * @throws IllegalStateException when it cannot start (port in use, ...)
   */
  public synchronized GeoredHttpServer start() {
    if (closed) {
      throw new IllegalStateException("the server is closed");
    }
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("http server did not start: " + e.getMessage(), e);
    }
    LOG.info("http server started uri={}", baseUri());
    return this;
  }

  /**
   * The port it listens on (the bound one when configured with 0).
   *
   * @return the port
   */
  public int port() {
    return connector.getLocalPort();
  }

  /**
   * The base URL peers and clients use, e.g. {@code http://127.0.0.1:8119/v1.0}.
   *
   * @return the URL
   */
  public URI baseUri() {
    String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return URI.create((tls ? "https" : "http") + "://" + host + ":" + port() + basePath);
  }

  /**
   * The framework-neutral handler it serves.
   *
   * @return the handler
   */
  public GeoredHttpHandler handler() {
    return handler;
  }

  /** Stops serving and the threads it owns, waiting at most the stop timeout. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.stop();
    } catch (java.util.concurrent.TimeoutException e) {
      // Expected when a peer still holds a pooled keep-alive connection: Jetty has closed the
      // connector and every connection anyway, so a stack trace would only alarm the host.
      LOG.info(
          "http server stop timeout reached, open connections closed stop_timeout_ms={}",
          server.getStopTimeout());
    } catch (Exception e) {
      LOG.warn("http server did not stop cleanly", e);
    }
    LOG.info("http server stopped");
  }

  /** Reads a Jetty request into the neutral form and writes the answer back. */
  private static final class JettyMount extends Handler.Abstract {
    private final GeoredHttpHandler handler;
    private final Map<String, Function<GeoredHttpHandler.Request, GeoredHttpHandler.Response>>
        routes;

    JettyMount(
        GeoredHttpHandler handler,
        Map<String, Function<GeoredHttpHandler.Request, GeoredHttpHandler.Response>> routes) {
      super(InvocationType.BLOCKING);
      this.handler = handler;
      this.routes = routes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      GeoredHttpHandler.Response answer;
      long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
      if ("CONNECT".equalsIgnoreCase(request.getMethod())) {
        // A tunnel request has no body to read and no resource here: refused before anything.
        answer =
            GeoredHttpHandler.error(
                405, HttpMessages.METHOD_NOT_ALLOWED, Map.of("Allow", SERVED_METHODS));
      } else if (declared > handler.maxBodyBytes()) {
        answer = GeoredHttpHandler.error(413, HttpMessages.BODY_TOO_LARGE);
      } else {
        byte[] body = read(request, handler.maxBodyBytes());
        if (body == null) {
          answer = GeoredHttpHandler.error(413, HttpMessages.BODY_TOO_LARGE);
        } else {
          Map<String, String> headers = new LinkedHashMap<>();
          for (HttpField field : request.getHeaders()) {
            headers.putIfAbsent(field.getName(), field.getValue());
          }
          GeoredHttpHandler.Request neutral =
              new GeoredHttpHandler.Request(
                  request.getMethod(), request.getHttpURI().getPath(), headers, body);
          var route = routes.get(neutral.path());
          answer = route == null ? handler.handle(neutral) : routed(route, neutral);
        }
      }
      response.setStatus(answer.status());
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.body().length);
      answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
      if (answer.status() == 413
          || answer.status() == 405 && "CONNECT".equalsIgnoreCase(request.getMethod())) {
        // The rest of an oversize body is not read: the connection cannot be reused.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
      }
      response.write(true, ByteBuffer.wrap(answer.body()), callback);
      return true;
    }

    /** A host route's answer; a throw is a 500 fault, logged, as the API's own. */
    private static GeoredHttpHandler.Response routed(
        Function<GeoredHttpHandler.Request, GeoredHttpHandler.Response> route,
        GeoredHttpHandler.Request request) {
      try {
        return Objects.requireNonNull(route.apply(request), "route answer");
      } catch (RuntimeException e) {
        LOG.error("route failed path={}", request.path(), e);
        return GeoredHttpHandler.error(500, HttpMessages.INTERNAL_ERROR);
      }
    }

    /** The body, or null when it is longer than the limit. */
    private static byte[] read(Request request, int limit) {
      try (InputStream in = Content.Source.asInputStream(request)) {
        byte[] bytes = in.readNBytes(limit + 1);
        return bytes.length > limit ? null : bytes;
      } catch (IOException e) {
        // A client that stops sending (idle timeout) or breaks the body: treated as no body.
        return new byte[0];
      }
    }
  }

  /**
   * Answers what Jetty refuses before the handler sees it (a bad URI, an ambiguous path, a bad
   * version, a failure) with the JSON fault body instead of Jetty's HTML page. A 4xx keeps Jetty's
   * reason, control characters escaped; a 500 says only {@link HttpMessages#INTERNAL_ERROR}.
   */
  private static final class JsonErrors extends ErrorHandler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      int status = response.getStatus();
      String reason = request.getAttribute(ERROR_MESSAGE) instanceof String text ? text : null;
      if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException failure) {
        status = failure.getCode();
        reason = failure.getReason();
      }
      if (status < 400 || status > 599) {
        status = 500;
      }
      GeoredHttpHandler.Response answer = GeoredHttpHandler.error(status, message(status, reason));
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.body().length);
      response.write(true, ByteBuffer.wrap(answer.body()), callback);
      return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
      GeoredHttpHandler.Response answer = GeoredHttpHandler.error(status, message(status, reason));
      fields.put(HttpHeader.CONTENT_TYPE, answer.contentType());
      return ByteBuffer.wrap(answer.body());
    }

    private static String message(int status, String reason) {
      if (status == 500) {
        return HttpMessages.INTERNAL_ERROR;
      }
      if (reason == null || reason.isBlank()) {
        String standard = HttpStatus.getMessage(status);
        return standard == null ? "Error " + status : standard;
      }
      String safe = io.geored.spi.LogSafe.escape(reason);
      return safe.length() > 200 ? safe.substring(0, 200) : safe;
    }
  }

  /** Configures a {@link GeoredHttpServer}; not thread-safe. */
  public static final class Builder {
    private final SiteApi site;
    private final Authenticator authenticator;
    private String host = "127.0.0.1";
    private int port = 8119;
    private String basePath = GeoredHttpHandler.DEFAULT_BASE_PATH;
    private int maxBodyBytes = GeoredHttpHandler.DEFAULT_MAX_BODY_BYTES;
    private int maxHeaderBytes = 8 * 1024;
    private Duration idleTimeout = Duration.ofSeconds(30);
    private Duration stopTimeout = Duration.ofSeconds(1);
    private int maxThreads = 32;
    private int maxQueuedRequests = 256;
    private SSLContext sslContext;
    private final Map<String, Function<GeoredHttpHandler.Request, GeoredHttpHandler.Response>>
        routes = new LinkedHashMap<>();

    private Builder(SiteApi site, Authenticator authenticator) {
      this.site = Objects.requireNonNull(site, "site");
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    }

    /**
     * The address to bind; default 127.0.0.1.
     *
     * @param value a host name or address
     * @return this builder
     */
    public Builder host(String value) {
      this.host = Objects.requireNonNull(value, "host");
      return this;
    }

    /**
     * The port; default 8119 (dcmanager's), 0 for any free port.
     *
     * @param value the port
     * @return this builder
     */
    public Builder port(int value) {
      this.port = value;
      return this;
    }

    /**
     * The path prefix; default {@code /v1.0}.
     *
     * @param value the prefix
     * @return this builder
     */
    public Builder basePath(String value) {
      this.basePath = Objects.requireNonNull(value, "basePath");
      return this;
    }

    /**
     * The largest request body; default 1 MiB.
     *
     * @param value bytes
     * @return this builder
     */
    public Builder maxBodyBytes(int value) {
      this.maxBodyBytes = value;
      return this;
    }

    /**
     * The largest request header block; default 8 KiB (431 above it).
     *
     * @param value bytes
     * @return this builder
     */
    public Builder maxHeaderBytes(int value) {
      this.maxHeaderBytes = value;
      return this;
    }

    /**
     * How long a connection may stay silent, e.g. mid-body; default 30 s.
     *
     * @param value the timeout
     * @return this builder
     */
    public Builder idleTimeout(Duration value) {
      this.idleTimeout = Objects.requireNonNull(value, "idleTimeout");
      return this;
    }

    /**
     * How long {@link GeoredHttpServer#close()} waits for requests in flight; default 1 s.
     *
     * @param value the timeout
     * @return this builder
     */
    public Builder stopTimeout(Duration value) {
      this.stopTimeout = Objects.requireNonNull(value, "stopTimeout");
      return this;
    }

    /**
     * The most worker threads (acceptor and selector included); default 32.
     *
     * @param value threads, at least 8
     * @return this builder
     */
    public Builder maxThreads(int value) {
      this.maxThreads = value;
      return this;
    }

    /**
     * The most requests waiting for a worker; default 256.
     *
     * @param value the queue capacity
     * @return this builder
     */
    public Builder maxQueuedRequests(int value) {
      this.maxQueuedRequests = value;
      return this;
    }

    /**
     * Serves HTTPS with a host-supplied context; default plain HTTP.
     *
     * @param value the context with the server's key, or null for HTTP
     * @return this builder
     */
    public Builder sslContext(SSLContext value) {
      this.sslContext = value;
      return this;
    }

    /**
     * Serves one exact path outside the API with a handler of the host's (e.g. {@code /metrics}):
     * every method on that path goes to it, with the same body and header limits as the API; it
     * answers the method it does not take itself. An answer it throws becomes a 500 fault.
     *
     * @param path the exact raw path, starting with {@code /} and not under the base path
     * @param answer what answers a request on that path
     * @return this builder
     * @throws IllegalArgumentException when the path is not absolute, has a route already or is
     *     {@link GeoredHttpHandler#PLATFORM_IDENTITY_PATH} (one under the base path is refused by
     *     {@link #build()})
     */
    public Builder route(
        String path, Function<GeoredHttpHandler.Request, GeoredHttpHandler.Response> answer) {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(answer, "answer");
      if (!path.startsWith("/")
          || routes.containsKey(path)
          || path.equals(GeoredHttpHandler.PLATFORM_IDENTITY_PATH)) {
        throw new IllegalArgumentException(
            "route path must start with / and have no route yet, was " + path);
      }
      routes.put(path, answer);
      return this;
    }

    /**
     * The server, not started.
     *
     * @return the server
     * @throws IllegalArgumentException when a limit is out of range or a route is under the base
     *     path
     */
    public GeoredHttpServer build() {
      if (maxThreads < 8) {
        throw new IllegalArgumentException("maxThreads must be at least 8");
      }
      if (maxBodyBytes < 1 || maxHeaderBytes < 1024 || maxQueuedRequests < 1) {
        throw new IllegalArgumentException("limits must be positive (headers at least 1 KiB)");
      }
      for (String path : routes.keySet()) {
        if (path.equals(basePath) || path.startsWith(basePath + "/")) {
          throw new IllegalArgumentException(
              "route path must be outside the API's " + basePath + ", was " + path);
        }
      }
      return new GeoredHttpServer(this);
    }
  }
}
