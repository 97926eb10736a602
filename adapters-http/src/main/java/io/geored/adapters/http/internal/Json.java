package io.geored.adapters.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON and YAML mappers of the adapter. Configured once and never changed afterwards, so they
 * are safe to share between threads. Input is bounded: nesting depth, number length and string
 * length are limited so a hostile body cannot make a parse expensive.
 */
public final class Json {

  private static final StreamReadConstraints LIMITS =
      StreamReadConstraints.builder()
          .maxNestingDepth(64)
          .maxNumberLength(64)
          .maxStringLength(1 << 20)
          .build();

  private static final ObjectMapper JSON = jsonMapper();
  private static final ObjectMapper YAML = yamlMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private Json() {}

  private static ObjectMapper jsonMapper() {
    JsonMapper mapper =
        JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();
    mapper.getFactory().setStreamReadConstraints(LIMITS);
    return mapper;
  }

  private static ObjectMapper yamlMapper() {
    YAMLFactory factory =
        YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .streamReadConstraints(LIMITS)
            .build();
    return new YAMLMapper(factory);
  }

  /**
   * Parses a JSON document.
   *
   * @param body the bytes, UTF-8
   * @return the tree
   * @throws JsonProcessingException when it is not one well-formed JSON value
   */
  public static JsonNode parse(byte[] body) throws IOException {
    JsonNode node = JSON.readTree(body);
    if (node == null || node.isMissingNode()) {
      throw new JsonProcessingException("empty document") {};
    }
    return node;
  }

  /**
   * Writes a value (maps, lists, strings, numbers, booleans, null) as JSON.
   *
   * @param value the value
   * @return UTF-8 bytes
   */
  public static byte[] write(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes a value as a JSON string.
   *
   * @param value the value
   * @return the text
   */
  public static String writeString(Object value) {
    return new String(write(value), StandardCharsets.UTF_8);
  }

  /**
   * Turns a tree into plain Java values (maps keep their order).
   *
   * @param node an object node
   * @return the map
   */
  public static Map<String, Object> toMap(JsonNode node) {
    return JSON.convertValue(node, MAP);
  }

  /**
   * Parses a JSON object held in a string (e.g. {@code rehome_data}).
   *
   * @param text the JSON text
   * @return the map
   * @throws IOException when it is not a JSON object
   */
  public static Map<String, Object> parseObject(String text) throws IOException {
    JsonNode node = parse(text.getBytes(StandardCharsets.UTF_8));
    if (!node.isObject()) {
      throw new JsonProcessingException("not an object") {};
    }
    return toMap(node);
  }

  /**
   * Parses a YAML mapping (bootstrap or install values).
   *
   * @param yaml the YAML bytes
   * @return the mapping, never null
   * @throws IOException when it is not a YAML mapping
   */
  public static Map<String, Object> parseYaml(byte[] yaml) throws IOException {
    JsonNode node = YAML.readTree(yaml);
    if (node == null || !node.isObject()) {
      throw new JsonProcessingException("not a mapping") {};
    }
    return YAML.convertValue(node, MAP);
  }

  /**
   * Writes a mapping as YAML.
   *
   * @param values the mapping
   * @return UTF-8 YAML
   */
  public static byte[] writeYaml(Map<String, Object> values) {
    try {
      return YAML.writeValueAsBytes(values);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
