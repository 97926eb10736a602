package io.geored.adapters.http.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geored.adapters.http.HttpMessages;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;

/**
 * Reads request fields with their types checked. A value of the wrong type is answered 400 with the
 * field's own invalid-value text, the same one the site gives for a value out of range.
 */
public final class Fields {

  private static final Logger LOG = EscapingLogger.of(Fields.class);

  /** Compiled once ({@code String.matches} compiles its pattern on every call). */
  private static final Pattern SIGNED_DIGITS = Pattern.compile("-?\\d{1,18}");

  private Fields() {}

  /**
   * Checks that a body holds only keys the resource reads. An operator's unknown key is refused
   * (400 naming the first one, in body order, with the known key it most likely means); a peer
   * site's is ignored and logged at debug, as upstream tolerates the fields newer releases send.
   *
   * @param o the body
   * @param known the keys the resource reads, as spelled on the wire
   * @param tolerant true for a peer site's request
   */
  public static void knownKeys(ObjectNode o, Set<String> known, boolean tolerant) {
    for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
      String key = names.next();
      if (known.contains(key)) {
        continue;
      }
      if (tolerant) {
        LOG.debug("peer request key ignored key={}", key);
        continue;
      }
      throw HttpError.badRequest(
          io.geored.spi.api.Messages.unknownKey(key, suggestion(key, known)));
    }
  }

  /**
   * The known key an unknown one most likely means: one equal to it but for {@code -}/{@code _} and
   * case, else the nearest within two edits; null when none is that close or two are equally near.
   */
  static String suggestion(String key, Set<String> known) {
    String wanted = normal(key);
    String best = null;
    int bestDistance = 3;
    boolean tie = false;
    for (String k : known) {
      int d = distance(wanted, normal(k));
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
        tie = false;
      } else if (d == bestDistance) {
        tie = true;
      }
    }
    return tie || best == null ? null : best;
  }

  private static String normal(String key) {
    return key.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Levenshtein distance, for short keys only (the caller bounds the key count). */
  private static int distance(String a, String b) {
    if (Math.abs(a.length() - b.length()) > 2 || a.length() > 64 || b.length() > 64) {
      return Integer.MAX_VALUE;
    }
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

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
    if (text == null || !SIGNED_DIGITS.matcher(text).matches()) {
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
