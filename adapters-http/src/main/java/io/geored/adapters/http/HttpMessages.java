package io.geored.adapters.http;

/**
 * The answers the HTTP layer itself gives, before a request reaches the site (the site's own texts
 * are those of {@link io.geored.spi.api.Messages}).
 */
public final class HttpMessages {

  /** 401: no token, or one the authenticator does not know. */
  public static final String AUTHENTICATION_REQUIRED = "Authentication required";

  /**
   * The {@code WWW-Authenticate} value of a 401: the scheme names the header a token goes in, as
   * the API has no Keystone address to point a client to.
   */
  public static final String AUTHENTICATE_CHALLENGE = "X-Auth-Token realm=\"geored\"";

  /**
   * 503: the authenticator cannot decide now (the identity service it asks cannot be reached); the
   * request changed nothing.
   */
  public static final String AUTHENTICATION_UNAVAILABLE =
      "The identity service is temporarily unavailable";

  /** 403: the caller's role may not make this call. */
  public static final String FORBIDDEN = "Forbidden: the caller's role may not make this request";

  /** 404: no such resource under the base path. */
  public static final String NOT_FOUND = "The resource could not be found.";

  /** 405: the resource does not take this method. */
  public static final String METHOD_NOT_ALLOWED = "Method not allowed";

  /** 413: the body is larger than the server accepts. */
  public static final String BODY_TOO_LARGE = "Request body is too large";

  /** 415: the content type is not one the resource reads. */
  public static final String UNSUPPORTED_CONTENT_TYPE = "Unsupported content type";

  /** 400: a multipart body that cannot be read. */
  public static final String MULTIPART_MALFORMED = "Request body is not valid multipart/form-data";

  /** 400: a migrate password that is not base64. */
  public static final String SYSADMIN_PASSWORD_NOT_BASE64 =
      "Failed to decode subcloud sysadmin_password, verify the password is base64 encoded";

  /**
   * 400: an {@code X-Geored-Leader-Epoch} header whose value is not a positive integer (at most
   * 2^63 - 1).
   */
  public static final String LEADER_EPOCH_INVALID =
      "Invalid X-Geored-Leader-Epoch header: a leader epoch is a positive integer";

  /** 400: an {@code X-Geored-Leader-Epoch} header sent by a caller that is not a peer site. */
  public static final String LEADER_EPOCH_NOT_A_PEER =
      "X-Geored-Leader-Epoch header is only accepted from a peer site";

  /** 500: anything the server did not expect; details are only in the server's log. */
  public static final String INTERNAL_ERROR = "Internal server error";

  private HttpMessages() {}

  /**
   * 400 for a field of the wrong type or shape (a multipart field, a YAML file, an audit key).
   *
   * @param field the field as spelled on the wire
   * @return {@code Invalid <field>}
   */
  public static String invalidField(String field) {
    return "Invalid " + field;
  }
}
