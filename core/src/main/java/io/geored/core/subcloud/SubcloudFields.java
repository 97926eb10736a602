package io.geored.core.subcloud;

import io.geored.spi.ValidationException;
import io.geored.spi.api.Messages;
import java.util.Set;

/**
 * Limits on a subcloud's free-text fields. The limits are upstream's column sizes, so a record
 * geored accepts is one every store adapter (and a StarlingX peer) can hold.
 */
public final class SubcloudFields {

  /** Most characters in a name, region name, description, location or release. */
  public static final int MAX_TEXT_LENGTH = 255;

  /** Names a subcloud may not take: the system controller's own regions. */
  public static final Set<String> RESERVED_NAMES = Set.of("RegionOne", "SystemController");

  private SubcloudFields() {}

  /**
   * Checks a name given at registration: present, not only digits (a ref made of digits is read as
   * an id, so such a subcloud could never be found by name), free of {@code /}, {@code \} and
   * control characters and neither {@code .} nor {@code ..} (it must be usable in a URL path and a
   * log line), not reserved, not too long.
   *
   * @param name the name
   * @return the name trimmed
   * @throws ValidationException naming the field and the limit
   */
  public static String requireName(String name) {
    String trimmed = RehomeDataBuilder.blankToNull(name);
    if (trimmed == null) {
      throw new ValidationException(Messages.SUBCLOUD_NAME_REQUIRED);
    }
    if (trimmed.chars().allMatch(Character::isDigit)) {
      throw new ValidationException(Messages.SUBCLOUD_NAME_NOT_ALPHABETIC);
    }
    if (trimmed.equals(".")
        || trimmed.equals("..")
        || trimmed.chars().anyMatch(c -> c == '/' || c == '\\' || Character.isISOControl(c))) {
      // Such a name could not be used safely in a URL path or a log line.
      throw new ValidationException(Messages.SUBCLOUD_NAME_UNSAFE);
    }
    if (RESERVED_NAMES.contains(trimmed)) {
      throw new ValidationException(Messages.SUBCLOUD_NAME_RESERVED);
    }
    checkLength("name", trimmed);
    return trimmed;
  }

  /**
   * Checks a region name given at registration: present and not too long.
   *
   * @param regionName the region name
   * @return the region name trimmed
   * @throws ValidationException naming the field and the limit
   */
  public static String requireRegionName(String regionName) {
    String trimmed = RehomeDataBuilder.blankToNull(regionName);
    if (trimmed == null) {
      throw new ValidationException(Messages.SUBCLOUD_REGION_REQUIRED);
    }
    checkLength("region_name", trimmed);
    return trimmed;
  }

  /**
   * Checks an optional free-text field.
   *
   * @param field the field as the API spells it, for the message
   * @param value the value, may be null
   * @return the value unchanged
   * @throws ValidationException when it is longer than {@link #MAX_TEXT_LENGTH}
   */
  public static String optionalText(String field, String value) {
    if (value != null) {
      checkLength(field, value);
    }
    return value;
  }

  private static void checkLength(String field, String value) {
    if (value.length() > MAX_TEXT_LENGTH) {
      throw new ValidationException(Messages.fieldTooLong(field, MAX_TEXT_LENGTH));
    }
  }
}
