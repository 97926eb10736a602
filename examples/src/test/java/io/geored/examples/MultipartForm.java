package io.geored.examples;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;

/**
 * A subcloud form as an operator's client sends it (multipart/form-data: the fields, and the
 * bootstrap values as a file part), for the process tests that drive a site over HTTP.
 */
final class MultipartForm {

  private static final String BOUNDARY = "geored-test-boundary";

  private MultipartForm() {}

  /**
   * A request carrying the form.
   *
   * @param method {@code POST} or {@code PATCH}
   * @param uri where to send it
   * @param token the caller's {@code X-Auth-Token}
   * @param fields the form's fields, in the map's order
   * @param bootstrapValues the bootstrap values file, or null for none
   * @return the request
   */
  static HttpRequest request(
      String method, URI uri, String token, Map<String, String> fields, String bootstrapValues) {
    StringBuilder body = new StringBuilder();
    fields.forEach(
        (k, v) ->
            body.append("--" + BOUNDARY + "\r\n")
                .append("Content-Disposition: form-data; name=\"" + k + "\"\r\n\r\n")
                .append(v + "\r\n"));
    if (bootstrapValues != null) {
      body.append("--" + BOUNDARY + "\r\n")
          .append(
              "Content-Disposition: form-data; name=\"bootstrap_values\";"
                  + " filename=\"values.yml\"\r\n")
          .append("Content-Type: application/octet-stream\r\n\r\n")
          .append(bootstrapValues + "\r\n");
    }
    body.append("--" + BOUNDARY + "--\r\n");
    return HttpRequest.newBuilder(uri)
        .header("X-Auth-Token", token)
        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
        .method(method, HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
  }
}
