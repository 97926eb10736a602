package io.geored.core.rules;

import java.util.Locale;

/**
 * What a name may be: system peer names, peer group names and leader names follow one rule. A name
 * is not empty, not made of digits only (a ref made of digits is read as an id), not {@code none}
 * in any case (the API reads {@code none} as "no value"), holds none of the regular-expression
 * characters {@code .*+?|()[]{}^$}, and has at most {@value #MAX_LENGTH} characters.
 *
 * <p>geored also refuses, on purpose, what upstream accepts but what cannot be used safely in a URL
 * path or a log line: {@code /}, {@code \}, control characters, and a name that is blank once
 * trimmed.
 */
public final class NameRules {

  /** The longest name accepted, in characters (code points). */
  public static final int MAX_LENGTH = 255;

  private static final String FORBIDDEN_CHARACTERS = ".*+?|()[]{}^$/\\";

  private NameRules() {}

  /**
   * Whether a name may be used.
   *
   * @param name the name, may be null
   * @return false for null and every name the rule refuses
   */
  public static boolean isValid(String name) {
    if (name == null || name.isBlank()) {
      return false;
    }
    if (name.codePoints().allMatch(Character::isDigit)) {
      return false;
    }
    if (name.codePointCount(0, name.length()) > MAX_LENGTH) {
      return false;
    }
    if (name.chars()
        .anyMatch(c -> FORBIDDEN_CHARACTERS.indexOf(c) >= 0 || Character.isISOControl(c))) {
      return false;
    }
    return !name.toLowerCase(Locale.ROOT).equals("none");
  }
}
