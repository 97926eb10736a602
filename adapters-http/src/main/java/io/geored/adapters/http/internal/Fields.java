package io.geored.adapters.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geored.adapters.http.HttpMessages;
import java.io.IOException;
import java.util.Map;

/**
 * Reads request fields with their types checked. A value of the wrong type is answered 400 with the
 * field's own invalid-value text, the same one the site gives for a value out of range.
 */
public final class Fields {

  private Fields() {}

  /**
   * Reads a body that must be a non-empty JSON object. A missing (zero-length) or blank body is not
   * JSON: it is malformed, as upstream answers; only an empty object is "empty".
   *
   * @param body the bytes, possibly empty
   * @param emptyMessage the answer for an empty object
   * @return the object
   */
  public static ObjectNode object(byte[] body, String emptyMessage) {
    ObjectNode node = objectOrEmpty(body);
    if (node.isEmpty()) {
      throw HttpError.badRequest(emptyMessage);
    }
    return node;
  }

  /**
   * Reads a body that must be a JSON object, possibly empty.
   *
   * @param body the bytes, possibly empty
   * @return the object
   */
  public static ObjectNode objectOrEmpty(byte[] body) {
    if (body == null || body.length == 0 || isBlank(body)) {
      throw HttpError.badRequest(io.geored.spi.api.Messages.BODY_MALFORMED);
    }
    JsonNode node;
    try {
      node = Json.parse(body);
    } catch (IOException | RuntimeException e) {
      throw HttpError.badRequest(io.geored.spi.api.Messages.BODY_MALFORMED);
    }
    if (!node.isObject()) {
      throw HttpError.badRequest(io.geored.spi.api.Messages.BODY_FORMAT);
    }
    return (ObjectNode) node;
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  /**
   * A text field: absent or null gives null; a string its value; anything else is refused.
   *
   * @param o the object
   * @param key the key
   * @param invalid the answer for a wrong type
   * @return the text or null
   */
  public static String text(ObjectNode o, String key, String invalid) {
    JsonNode v = o.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw HttpError.badRequest(invalid);
    }
    return v.asText();
  }

  /**
   * An integer field: a JSON integer within int range, or a string of digits (upstream's clients
   * send both). Anything else, a fraction or a number too large, is refused.
   *
   * @param o the object
   * @param key the key
   * @param invalid the answer for a wrong type
   * @return the value or null
   */
  public static Integer integer(ObjectNode o, String key, String invalid) {
    JsonNode v = o.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    return integerOf(
        v.isTextual() ? v.asText().trim() : v.isIntegralNumber() ? v.asText() : null, invalid);
  }

  /**
   * An id field, as {@link #integer} but for longs.
   *
   * @param o the object
   * @param key the key
   * @param invalid the answer for a wrong type
   * @return the value or null
   */
  public static Long id(ObjectNode o, String key, String invalid) {
    JsonNode v = o.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    String text = v.isTextual() ? v.asText().trim() : v.isIntegralNumber() ? v.asText() : null;
    return longOf(text, invalid);
  }

  /**
   * Parses an integer in text form.
   *
   * @param text the text, or null for a wrong type
   * @param invalid the answer when it is not an int
   * @return the value
   */
  public static Integer integerOf(String text, String invalid) {
    Long value = longOf(text, invalid);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw HttpError.badRequest(invalid);
    }
    return value.intValue();
  }

  /**
   * Parses a long in text form.
   *
   * @param text the text, or null for a wrong type
   * @param invalid the answer when it is not a long
   * @return the value
   */
  public static Long longOf(String text, String invalid) {
    if (text == null || !text.matches("-?\\d{1,18}")) {
      throw HttpError.badRequest(invalid);
    }
    return Long.parseLong(text);
  }

  /**
   * Parses a boolean in the spellings upstream's form fields use.
   *
   * @param text the text
   * @param invalid the answer otherwise
   * @return the value
   */
  public static Boolean booleanOf(String text, String invalid) {
    return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes" -> Boolean.TRUE;
      case "false", "0", "no" -> Boolean.FALSE;
      default -> throw HttpError.badRequest(invalid);
    };
  }

  /**
   * Parses a YAML mapping sent as a file.
   *
   * @param yaml the bytes
   * @param field the field, named in the answer when it is not a mapping
   * @return the mapping
   */
  public static Map<String, Object> yaml(byte[] yaml, String field) {
    try {
      return Json.parseYaml(yaml);
    } catch (IOException | RuntimeException e) {
      throw HttpError.badRequest(HttpMessages.invalidField(field));
    }
  }
}
