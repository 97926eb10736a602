package io.geored.spi.model;

import java.util.Locale;
import java.util.Optional;

/**
 * An enum constant with the spelling the dcmanager dialect uses (lower case, hyphens), e.g. {@code
 * rehome-failed} or {@code non-primary}.
 */
public interface WireValue {

  /**
   * The spelling on the wire and in answers.
   *
   * @return never null
   */
  String wire();

  /**
   * The wire spelling of an enum constant name: lower case, underscores as hyphens.
   *
   * @param constantName an enum constant name such as {@code REHOME_FAILED}
   * @return e.g. {@code rehome-failed}
   */
  static String wireOf(String constantName) {
    return constantName.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Finds the constant whose wire value equals the text, ignoring case.
   *
   * @param type the enum type
   * @param value the text, may be null
   * @param <E> the enum type
   * @return the constant, or empty when none matches or the text is null
   */
  static <E extends Enum<E> & WireValue> Optional<E> parse(Class<E> type, String value) {
    if (value == null) {
      return Optional.empty();
    }
    for (E constant : type.getEnumConstants()) {
      if (constant.wire().equalsIgnoreCase(value.trim())) {
        return Optional.of(constant);
      }
    }
    return Optional.empty();
  }
}
