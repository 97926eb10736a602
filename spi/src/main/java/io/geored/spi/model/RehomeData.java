package io.geored.spi.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What another site needs to adopt a subcloud: the JSON object {@code {"saved_payload": {...}}},
 * held as parsed values. The saved payload holds the bootstrap values without passwords
 * (admin_password kept base64-encoded), among them {@code bootstrap-address} and {@code
 * systemcontroller_gateway_address}, which belongs to each site and is never copied between sites.
 * {@link #toString()} shows keys only.
 *
 * @param content the whole object; may lack {@code saved_payload} (a broken record that migration
 *     refuses)
 */
public record RehomeData(Map<String, Object> content) {

  /** The key holding the bootstrap values. */
  public static final String SAVED_PAYLOAD = "saved_payload";

  /** The subcloud's OAM address inside the saved payload. */
  public static final String BOOTSTRAP_ADDRESS = "bootstrap-address";

  /** The site-specific gateway inside the saved payload. */
  public static final String SYSTEMCONTROLLER_GATEWAY_ADDRESS = "systemcontroller_gateway_address";

  /**
   * Copies the content deeply.
   *
   * @param content the whole object; may lack {@code saved_payload} (a broken record that migration
   *     refuses)
   */
  public RehomeData {
    Objects.requireNonNull(content, "content");
    content = PayloadMaps.deepCopy(content);
  }

  /**
   * Rehome data holding the given saved payload.
   *
   * @param savedPayload the bootstrap values to keep, not null
   * @return the rehome data
   */
  public static RehomeData ofSavedPayload(Map<String, ?> savedPayload) {
    Map<String, Object> content = new LinkedHashMap<>();
    content.put(SAVED_PAYLOAD, savedPayload);
    return new RehomeData(content);
  }

  /**
   * The saved payload, when the content has one that is an object.
   *
   * @return the unmodifiable payload, or empty
   */
  @SuppressWarnings("unchecked")
  public Optional<Map<String, Object>> savedPayload() {
    Object payload = content.get(SAVED_PAYLOAD);
    return payload instanceof Map<?, ?> map
        ? Optional.of((Map<String, Object>) map)
        : Optional.empty();
  }

  /**
   * The subcloud's OAM address.
   *
   * @return the non-blank {@code bootstrap-address} of the saved payload, or empty
   */
  public Optional<String> bootstrapAddress() {
    return payloadText(BOOTSTRAP_ADDRESS);
  }

  /**
   * This site's gateway address as written into the payload.
   *
   * @return the non-blank {@code systemcontroller_gateway_address}, or empty
   */
  public Optional<String> systemControllerGatewayAddress() {
    return payloadText(SYSTEMCONTROLLER_GATEWAY_ADDRESS);
  }

  /**
   * A copy whose saved payload has one value replaced or added.
   *
   * @param key the payload key
   * @param value the new value
   * @return new rehome data; a missing saved payload is created
   */
  public RehomeData withPayloadValue(String key, Object value) {
    Map<String, Object> payload = new LinkedHashMap<>(savedPayload().orElse(Map.of()));
    payload.put(key, value);
    Map<String, Object> newContent = new LinkedHashMap<>(content);
    newContent.put(SAVED_PAYLOAD, payload);
    return new RehomeData(newContent);
  }

  private Optional<String> payloadText(String key) {
    return savedPayload()
        .map(p -> p.get(key))
        .map(String::valueOf)
        .map(String::trim)
        .filter(s -> !s.isEmpty());
  }

  @Override
  public String toString() {
    return "RehomeData[payloadKeys=" + savedPayload().map(Map::keySet).orElse(null) + "]";
  }
}
