package io.geored.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.geored.adapters.http.internal.Multipart;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * docs/openapi.yaml as the server answers it (the copy the build puts beside {@link
 * GeoredHttpHandler}), and checks of real requests and answers against it: the path and method must
 * be described, the status declared (or covered by {@code default}), and the bodies valid against
 * the schemas (JSON Schema 2020-12, as OpenAPI 3.1 uses). Test support only.
 */
final class OpenApi {

  static final String BASE = GeoredHttpHandler.DEFAULT_BASE_PATH;

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  final String text;
  final JsonNode tree;
  final SwaggerParseResult parsed;
  private final SchemaRegistry registry =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

  private static OpenApi instance;

  static synchronized OpenApi get() {
    if (instance == null) {
      instance = new OpenApi();
    }
    return instance;
  }

  private OpenApi() {
    try (InputStream in = GeoredHttpHandler.class.getResourceAsStream(GeoredHttpHandler.OPENAPI)) {
      if (in == null) {
        throw new IllegalStateException("openapi.yaml is not on the classpath");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      tree = YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    parsed = new OpenAPIV3Parser().readContents(text, null, null);
  }

  /** The path templates, e.g. {@code /subclouds/{ref}}. */
  List<String> paths() {
    List<String> out = new ArrayList<>();
    tree.path("paths").fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** The methods a template takes, upper case. */
  List<String> methods(String template) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = tree.path("paths").path(template).fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (List.of("get", "post", "put", "patch", "delete").contains(key)) {
        out.add(key.toUpperCase(Locale.ROOT));
      }
    }
    return out;
  }

  /**
   * The raw paths an operation is also served at outside the base, from the operation's own {@code
   * servers} (each server's path followed by the template), with their methods.
   */
  Map<String, List<String>> outsideBase() {
    Map<String, List<String>> out = new java.util.TreeMap<>();
    for (String template : paths()) {
      for (String method : methods(template)) {
        JsonNode servers =
            tree.path("paths").path(template).path(method.toLowerCase(Locale.ROOT)).path("servers");
        for (JsonNode server : servers) {
          String path = java.net.URI.create(server.path("url").asText()).getPath();
          if (!path.equals(BASE)) {
            out.computeIfAbsent(path + template, k -> new ArrayList<>()).add(method);
          }
        }
      }
    }
    return out;
  }

  /** The template a raw path (with the base) falls under, the one with most literal segments. */
  String template(String rawPath) {
    if (!rawPath.startsWith(BASE + "/")) {
      return null;
    }
    String[] segments = rawPath.substring(BASE.length() + 1).split("/", -1);
    String best = null;
    int bestLiterals = -1;
    for (String template : paths()) {
      String[] parts = template.substring(1).split("/", -1);
      if (parts.length != segments.length) {
        continue;
      }
      int literals = 0;
      boolean match = true;
      for (int i = 0; i < parts.length && match; i++) {
        if (parts[i].equals("{id}")) {
          // The association id parameter's pattern.
          match = segments[i].matches("\\d{1,18}");
        } else if (parts[i].startsWith("{")) {
          match = !segments[i].isEmpty();
        } else {
          match = parts[i].equals(segments[i]);
          literals++;
        }
      }
      if (match && literals > bestLiterals) {
        best = template;
        bestLiterals = literals;
      }
    }
    return best;
  }

  private JsonNode resolve(JsonNode node) {
    JsonNode ref = node.get("$ref");
    if (ref == null) {
      return node;
    }
    return resolve(tree.at(ref.asText().substring(1)));
  }

  /**
   * What is wrong with one exchange, empty when it is described.
   *
   * @param method the request method
   * @param rawPath the request path with the base
   * @param requestType the request's Content-Type or null
   * @param requestBody the request body
   * @param status the answer's status
   * @param answerType the answer's Content-Type
   * @param answerBody the answer body
   */
  List<String> check(
      String method,
      String rawPath,
      String requestType,
      byte[] requestBody,
      int status,
      String answerType,
      byte[] answerBody) {
    String call = method + " " + rawPath + " -> " + status;
    List<String> problems = new ArrayList<>();
    String template = template(rawPath);
    if (template == null) {
      problems.add(call + ": no path of the document matches");
      return problems;
    }
    JsonNode operation = tree.path("paths").path(template).path(method.toLowerCase(Locale.ROOT));
    if (operation.isMissingNode()) {
      problems.add(call + ": " + template + " has no " + method);
      return problems;
    }
    if (status / 100 == 2 && requestBody.length > 0) {
      JsonNode content = resolve(operation.path("requestBody")).path("content");
      String mime = mime(requestType);
      JsonNode schema = content.path(mime).path("schema");
      if (schema.isMissingNode()) {
        problems.add(call + ": request type " + mime + " is not described");
      } else {
        problems.addAll(
            prefixed(
                call + " request", validate(schema, requestJson(mime, requestType, requestBody))));
      }
    }
    JsonNode responses = operation.path("responses");
    JsonNode answer = responses.path(String.valueOf(status));
    if (answer.isMissingNode()) {
      answer = responses.path("default");
    }
    if (answer.isMissingNode()) {
      problems.add(call + ": status not described");
      return problems;
    }
    JsonNode content = resolve(answer).path("content");
    String mime = mime(answerType);
    JsonNode schema = content.path(mime).path("schema");
    if (schema.isMissingNode()) {
      problems.add(call + ": answer type " + mime + " is not described");
      return problems;
    }
    if (mime.equals("application/json")) {
      problems.addAll(
          prefixed(
              call + " answer", validate(schema, new String(answerBody, StandardCharsets.UTF_8))));
    }
    return problems;
  }

  /** What is wrong with an error answer's body against the Fault schema. */
  List<String> checkFault(String body) {
    return validate(tree.at("/components/schemas/Fault"), body);
  }

  private static List<String> prefixed(String prefix, List<String> problems) {
    return problems.stream().map(p -> prefix + ": " + p).toList();
  }

  private static String mime(String type) {
    return type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
  }

  /** A multipart form as the JSON object of its fields (a file's content as text). */
  private static String requestJson(String mime, String type, byte[] body) {
    if (!mime.startsWith("multipart/")) {
      return new String(body, StandardCharsets.UTF_8);
    }
    ObjectNode form = JSON.createObjectNode();
    try {
      Multipart.read(body, Multipart.boundaryOf(type)).forEach((k, v) -> form.put(k, v.text()));
    } catch (Multipart.MalformedException e) {
      form.put("malformed multipart", e.getMessage());
    }
    return form.toString();
  }

  List<String> validate(JsonNode schemaNode, String json) {
    Schema schema =
        schemas.computeIfAbsent(
            schemaNode.toString(),
            key -> {
              ObjectNode wrapper = JSON.createObjectNode();
              wrapper.put("$schema", "https://json-schema.org/draft/2020-12/schema");
              wrapper.set("components", tree.path("components"));
              wrapper.putArray("allOf").add(schemaNode);
              return registry.getSchema(wrapper.toString(), InputFormat.JSON);
            });
    return schema.validate(json, InputFormat.JSON).stream().map(Object::toString).toList();
  }
}
