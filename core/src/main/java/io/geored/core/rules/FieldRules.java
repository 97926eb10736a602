package io.geored.core.rules;

import com.google.common.net.InetAddresses;

/**
 * Checks of single request fields: lengths, URLs, addresses and number ranges, without any network
 * lookup.
 */
public final class FieldRules {

  private FieldRules() {}

  /**
   * Whether a text is present and at most {@code max} characters (code points) long.
   *
   * @param value the text, may be null
   * @param max the longest accepted length
   * @return false for null, empty or too long
   */
  public static boolean isPresentAndAtMost(String value, int max) {
    return value != null && !value.isEmpty() && value.codePointCount(0, value.length()) <= max;
  }

  /**
   * Whether a text is an http or https URL of at most {@code max} characters. Only the scheme is
   * checked: the peer client finds out whether the rest answers.
   *
   * @param value the text, may be null
   * @param max the longest accepted length
   * @return true when it starts with {@code http://} or {@code https://} and is not too long
   */
  public static boolean isHttpUrl(String value, int max) {
    return isPresentAndAtMost(value, max)
        && (value.startsWith("http://") || value.startsWith("https://"));
  }

  /**
   * Whether a text is a literal IPv4 or IPv6 address of at most {@code max} characters. Host names
   * are refused: resolving them would make validation depend on DNS.
   *
   * @param value the text, may be null
   * @param max the longest accepted length
   * @return true for an address literal
   */
  public static boolean isIpAddress(String value, int max) {
    return isPresentAndAtMost(value, max) && InetAddresses.isInetAddress(value);
  }

  /**
   * Whether a number is given and within bounds.
   *
   * @param value the number, may be null
   * @param min the smallest accepted value
   * @param max the largest accepted value
   * @return false for null or out of bounds
   */
  public static boolean isWithin(Integer value, int min, int max) {
    return value != null && value >= min && value <= max;
  }
}
