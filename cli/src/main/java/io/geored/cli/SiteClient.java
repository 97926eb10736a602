package io.geored.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The site's HTTP API as the command calls it: JSON in and out, the token in {@code X-Auth-Token},
 * and every failure turned into the command's exit code — a refusal (4xx) into 1 with the site's
 * {@code faultstring}, a failing or unreachable site into 3.
 */
final class SiteClient {

  static final ObjectMapper JSON = new ObjectMapper();

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final HttpClient http;
  private final String base;
  private final String token;

  SiteClient(String baseUrl, String token) {
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.token = token;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** One path segment, percent-encoded (a name may hold any character). */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  JsonNode get(String path) {
    return send("GET", path, HttpRequest.BodyPublishers.noBody(), null);
  }

  JsonNode delete(String path) {
    return send("DELETE", path, HttpRequest.BodyPublishers.noBody(), null);
  }

  JsonNode post(String path, Map<String, Object> body) {
    return send("POST", path, json(body), "application/json");
  }

  JsonNode patch(String path, Map<String, Object> body) {
    return send("PATCH", path, json(body), "application/json");
  }

  /**
   * A multipart/form-data PATCH, as the site reads a subcloud change.
   *
   * @param texts text fields by name
   * @param files file fields by name: the file's name and its content
   */
  JsonNode patchForm(String path, Map<String, String> texts, Map<String, NamedFile> files) {
    String boundary = "geored-" + UUID.randomUUID();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    texts.forEach(
        (name, value) ->
            part(out, boundary, "form-data; name=\"" + name + "\"", null, utf8(value)));
    files.forEach(
        (name, file) ->
            part(
                out,
                boundary,
                "form-data; name=\"" + name + "\"; filename=\"" + file.name() + "\"",
                "application/x-yaml",
                file.content()));
    out.writeBytes(utf8("--" + boundary + "--\r\n"));
    return send(
        "PATCH",
        path,
        HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()),
        "multipart/form-data; boundary=" + boundary);
  }

  /** A file to upload: the name the site sees and its bytes. */
  record NamedFile(String name, byte[] content) {}

  private static void part(
      ByteArrayOutputStream out, String boundary, String disposition, String type, byte[] body) {
    out.writeBytes(utf8("--" + boundary + "\r\n"));
    out.writeBytes(utf8("Content-Disposition: " + disposition + "\r\n"));
    if (type != null) {
      out.writeBytes(utf8("Content-Type: " + type + "\r\n"));
    }
    out.writeBytes(utf8("\r\n"));
    out.writeBytes(body);
    out.writeBytes(utf8("\r\n"));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static HttpRequest.BodyPublisher json(Map<String, Object> body) {
    try {
      return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a request body", e);
    }
  }

  private JsonNode send(
      String method, String path, HttpRequest.BodyPublisher body, String contentType) {
    URI uri;
    try {
      uri = URI.create(base + path);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("Invalid site URL: " + base);
    }
    HttpRequest.Builder request;
    try {
      request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).method(method, body);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("Invalid site URL: " + base);
    }
    request.header("X-Auth-Token", token).header("Accept", "application/json");
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new CliException(
          GeoredCli.EXIT_SITE_FAILED, "Cannot reach the site at " + base + ": " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(GeoredCli.EXIT_SITE_FAILED, "Interrupted");
    }
    int status = response.statusCode();
    JsonNode answer = parse(response.body());
    if (status >= 200 && status < 300) {
      return answer == null ? NullNode.getInstance() : answer;
    }
    String message = faultString(answer, response.body());
    if (status >= 400 && status < 500) {
      throw new CliException(GeoredCli.EXIT_REFUSED, message + " (HTTP " + status + ")");
    }
    throw new CliException(
        GeoredCli.EXIT_SITE_FAILED, "The site failed: " + message + " (HTTP " + status + ")");
  }

  private static String describe(IOException e) {
    String text = e.getMessage();
    if (text == null || text.isBlank()) {
      Throwable cause = e.getCause();
      text = cause != null && cause.getMessage() != null ? cause.getMessage() : "";
    }
    if (text.isBlank() && e instanceof java.net.ConnectException) {
      return "connection refused";
    }
    return text.isBlank() ? e.getClass().getSimpleName() : text;
  }

  private static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  private static String faultString(JsonNode answer, byte[] body) {
    if (answer != null && answer.hasNonNull("faultstring")) {
      return answer.get("faultstring").asText();
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    return text.isEmpty() ? "no message" : text;
  }

  static Map<String, Object> body() {
    return new LinkedHashMap<>();
  }
}
