package io.geored.adapters.http;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * What a call to one peer needs: the token to send, the peer's dcmanager base URL and, when the
 * peer's services were found in a Keystone catalog, its platform (sysinv) endpoint. {@link
 * #toString()} never shows the token.
 */
public final class PeerAccess {

  /** The path sysinv's client appends to the platform endpoint for the identity call. */
  public static final String PLATFORM_IDENTITY_PATH = "/v1/isystems";

  private final String token;
  private final URI dcmanagerUrl;
  private final URI platformUrl;

  /**
   * The access to a peer.
   *
   * @param token the {@code X-Auth-Token}, not empty
   * @param dcmanagerUrl the peer's dcmanager base URL, e.g. {@code http://host:8119/v1.0}
   * @param platformUrl the peer's platform endpoint, or null to ask the identity under the
   *     dcmanager base URL (static tokens)
   */
  public PeerAccess(String token, URI dcmanagerUrl, URI platformUrl) {
    this.token = Objects.requireNonNull(token, "token");
    if (token.isEmpty()) {
      throw new IllegalArgumentException("token must not be empty");
    }
    this.dcmanagerUrl = Objects.requireNonNull(dcmanagerUrl, "dcmanagerUrl");
    this.platformUrl = platformUrl;
  }

  /**
   * The token. Callers must not log it.
   *
   * @return the token
   */
  public String token() {
    return token;
  }

  /**
   * The dcmanager base URL.
   *
   * @return the URL
   */
  public URI dcmanagerUrl() {
    return dcmanagerUrl;
  }

  /**
   * The platform endpoint, when there is one.
   *
   * @return the endpoint, empty with static tokens
   */
  public Optional<URI> platformUrl() {
    return Optional.ofNullable(platformUrl);
  }

  /**
   * Where the identity call goes: with a platform endpoint, sysinv's client rule (the first {@code
   * /v1} removed, {@code /v1/isystems} appended, so {@code http://host:port} and {@code
   * http://host:port/v1} both give {@code http://host:port/v1/isystems}); without one, {@code
   * <dcmanager base>/isystems}.
   *
   * @return the URL
   */
  public URI identityUrl() {
    if (platformUrl == null) {
      return URI.create(withoutTrailingSlash(dcmanagerUrl.toString()) + "/isystems");
    }
    return identityUrlOf(platformUrl);
  }

  /**
   * The identity URL sysinv's client derives from a platform endpoint: the first {@code /v1}
   * removed, then {@code /v1/isystems} appended (a trailing slash dropped first).
   *
   * @param platformEndpoint the catalog's platform endpoint
   * @return the identity URL
   */
  public static URI identityUrlOf(URI platformEndpoint) {
    String endpoint = platformEndpoint.toString().replaceFirst("/v1", "");
    return URI.create(withoutTrailingSlash(endpoint) + PLATFORM_IDENTITY_PATH);
  }

  private static String withoutTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  @Override
  public String toString() {
    return "PeerAccess[dcmanager=" + dcmanagerUrl + ", platform=" + platformUrl + ", token=****]";
  }
}
