package io.geored.core.subcloud;

import io.geored.spi.ValidationException;
import io.geored.spi.api.Messages;
import io.geored.spi.model.RehomeData;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Builds a subcloud's rehome data from bootstrap values and its bootstrap address. Pure: no store,
 * no clock.
 *
 * <p>The saved payload is what another site needs to adopt the subcloud, so it must never carry a
 * password that the adopting operator supplies at migration time (sysadmin_password and the two
 * ansible passwords are dropped), and admin_password is kept base64-encoded, as upstream's
 * migration decodes it once.
 *
 * <p>Encoding happens exactly once. Values an operator uploads hold admin_password in clear and are
 * encoded; values a peer site sends are a copy of its own saved payload, already encoded, and are
 * stored as they are. (Upstream encodes both, so a copy synced from a peer ends up encoded twice
 * and its migration would decode the wrong password; geored keeps the caller's word for which form
 * the values are in instead of guessing from the text, since a clear password can look like
 * base64.)
 */
public final class RehomeDataBuilder {

  /** Keys removed from bootstrap values before they are saved. */
  public static final Set<String> DROPPED_PASSWORDS =
      Set.of("sysadmin_password", "ansible_ssh_pass", "ansible_become_pass");

  /** The key whose value is saved base64-encoded. */
  public static final String ADMIN_PASSWORD = "admin_password";

  private RehomeDataBuilder() {}

  /**
   * Rehome data for a subcloud being registered.
   *
   * @param bootstrapValues the bootstrap values, may be null or empty (none given)
   * @param bootstrapAddress the OAM address, may be null or blank (none given)
   * @param encodeAdminPassword whether admin_password in the values is in clear and must be encoded
   * @return the rehome data, or null when no bootstrap values were given
   * @throws ValidationException when an address comes without values
   */
  public static RehomeData forCreate(
      Map<String, Object> bootstrapValues, String bootstrapAddress, boolean encodeAdminPassword) {
    return forUpdate(null, bootstrapValues, bootstrapAddress, encodeAdminPassword);
  }

  /**
   * Rehome data after an update that may carry new bootstrap values and a new address.
   *
   * <p>New values replace the whole saved payload (cleaned as on create) and keep the rest of the
   * rehome data. The address written into the new payload is, in this order: the address given with
   * the request, the {@code bootstrap-address} inside the new values, the one saved before. An
   * address given alone replaces the saved one and needs a saved payload to write it into.
   *
   * @param existing the rehome data stored now, may be null
   * @param bootstrapValues new bootstrap values, may be null or empty (none given)
   * @param bootstrapAddress a new OAM address, may be null or blank (none given)
   * @param encodeAdminPassword whether admin_password in the values is in clear and must be encoded
   * @return the new rehome data, or {@code existing} when neither values nor address were given
   * @throws ValidationException {@link Messages#BOOTSTRAP_ADDRESS_NEEDS_VALUES} when an address
   *     comes alone and there is no saved payload yet
   */
  public static RehomeData forUpdate(
      RehomeData existing,
      Map<String, Object> bootstrapValues,
      String bootstrapAddress,
      boolean encodeAdminPassword) {
    String address = blankToNull(bootstrapAddress);
    if (hasValues(bootstrapValues)) {
      Map<String, Object> payload = cleanPayload(bootstrapValues, encodeAdminPassword);
      if (address == null && !payload.containsKey(RehomeData.BOOTSTRAP_ADDRESS)) {
        address =
            existing == null
                ? null
                : existing
                    .savedPayload()
                    .map(p -> p.get(RehomeData.BOOTSTRAP_ADDRESS))
                    .map(String::valueOf)
                    .orElse(null);
      }
      if (address != null) {
        payload.put(RehomeData.BOOTSTRAP_ADDRESS, address);
      }
      Map<String, Object> content =
          existing == null ? new LinkedHashMap<>() : new LinkedHashMap<>(existing.content());
      content.put(RehomeData.SAVED_PAYLOAD, payload);
      return new RehomeData(content);
    }
    if (address != null) {
      if (existing == null || existing.savedPayload().isEmpty()) {
        throw new ValidationException(Messages.BOOTSTRAP_ADDRESS_NEEDS_VALUES);
      }
      return existing.withPayloadValue(RehomeData.BOOTSTRAP_ADDRESS, address);
    }
    return existing;
  }

  /**
   * Whether bootstrap values were given: a non-empty map.
   *
   * @param bootstrapValues the values, may be null
   * @return true when there is at least one key
   */
  public static boolean hasValues(Map<String, Object> bootstrapValues) {
    return bootstrapValues != null && !bootstrapValues.isEmpty();
  }

  /**
   * The bootstrap values as they may be saved: passwords dropped, admin_password encoded when
   * asked.
   *
   * @param bootstrapValues the values, not null
   * @param encodeAdminPassword whether to base64-encode admin_password
   * @return a new mutable map in the values' order
   */
  public static Map<String, Object> cleanPayload(
      Map<String, Object> bootstrapValues, boolean encodeAdminPassword) {
    Map<String, Object> payload = new LinkedHashMap<>();
    bootstrapValues.forEach(
        (key, value) -> {
          if (!DROPPED_PASSWORDS.contains(key)) {
            payload.put(key, value);
          }
        });
    Object admin = payload.get(ADMIN_PASSWORD);
    if (encodeAdminPassword && admin != null) {
      payload.put(ADMIN_PASSWORD, encode(String.valueOf(admin)));
    }
    return payload;
  }

  private static String encode(String clear) {
    return Base64.getEncoder().encodeToString(clear.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A text trimmed, or null when it is null or blank.
   *
   * @param value the text
   * @return the trimmed text or null
   */
  static String blankToNull(String value) {
    if (value == null) {
      return null;
    }
    String trimmed = value.trim();
    return trimmed.isEmpty() ? null : trimmed;
  }
}
