package io.geored.adapters.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed payloads (rehome data, install values) as JSON text. Reading gives back what a JSON parser
 * gives: whole numbers as Integer when they fit, else Long; fractions as Double; objects in their
 * order.
 */
final class Json {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private Json() {}

  static String write(Map<String, Object> value) throws SQLException {
    if (value == null) {
      return null;
    }
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      // Named after the JSON path only: values may be confidential.
      throw new SQLException("payload is not representable as JSON: " + e.getOriginalMessage(), e);
    }
  }

  static Map<String, Object> read(String text) throws SQLException {
    if (text == null) {
      return null;
    }
    try {
      return MAPPER.readValue(text, MAP);
    } catch (JsonProcessingException e) {
      throw new SQLException("stored payload is not JSON: " + e.getOriginalMessage(), e);
    }
  }
}
