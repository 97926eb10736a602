package io.geored.benchmarks;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A JDK HTTP client that notes the shape of every exchange it sends (method, path, content type,
 * request and answer sizes) and otherwise does what the client it wraps does. Used once, untimed,
 * to learn the sizes of a sync's calls, which the floor then replays as bare round trips.
 */
final class RecordingHttpClient extends HttpClient {

  /**
   * One exchange's shape.
   *
   * @param method the HTTP method
   * @param path the raw path, API base path included
   * @param contentType the request's content type, or null without a body
   * @param requestBytes the request body's size
   * @param answerBytes the answer body's size
   */
  record Call(String method, String path, String contentType, int requestBytes, int answerBytes) {}

  private final HttpClient delegate;
  private final List<Call> calls = new ArrayList<>();

  RecordingHttpClient(HttpClient delegate) {
    this.delegate = delegate;
  }

  /** The exchanges so far, in the order they ended. */
  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    HttpResponse<T> response = delegate.send(request, handler);
    long requestBytes = request.bodyPublisher().map(p -> p.contentLength()).orElse(0L);
    int answerBytes = response.body() instanceof byte[] bytes ? bytes.length : 0;
    synchronized (this) {
      calls.add(
          new Call(
              request.method(),
              request.uri().getRawPath(),
              request.headers().firstValue("Content-Type").orElse(null),
              (int) Math.max(0, requestBytes),
              answerBytes));
    }
    return response;
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    throw new UnsupportedOperationException("the site client sends synchronously");
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request,
      HttpResponse.BodyHandler<T> handler,
      HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
    throw new UnsupportedOperationException("the site client sends synchronously");
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }
}
