package io.geored.spi;

/**
 * A value from outside (a name, an endpoint, a region name, a message a peer sent) made safe to put
 * in one log line: every control character, the Unicode line and paragraph separators and the
 * backslash are escaped ({@code \n}, {@code \r}, {@code \t}, {@code \\}, otherwise {@code \}{@code
 * uXXXX}), so no value can start a second, forged log line or pass for an escape it is not.
 *
 * <p>Use {@link #of(Object)} as a log argument: it escapes only when the line is written. Use
 * {@link #escape(String)} where text is needed at once. Immutable and thread-safe.
 */
public final class LogSafe {

  private final Object value;

  private LogSafe(Object value) {
    this.value = value;
  }

  /**
   * Wraps a value for a log argument; its {@link #toString()} is the escaped text.
   *
   * @param value the value, may be null
   * @return the wrapper (never null)
   */
  public static LogSafe of(Object value) {
    return new LogSafe(value);
  }

  /**
   * The text with every character that could break or forge a log line escaped.
   *
   * @param text the text, may be null
   * @return the escaped text, {@code null} for null
   */
  public static String escape(String text) {
    if (text == null) {
      return null;
    }
    int i = 0;
    while (i < text.length() && !needsEscape(text.charAt(i))) {
      i++;
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        default -> {
          if (needsEscape(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static boolean needsEscape(char c) {
    return c == '\\' || Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
  }

  /**
   * The escaped text of the value.
   *
   * @return the value's text with control characters escaped, {@code "null"} for null
   */
  @Override
  public String toString() {
    return value == null ? "null" : escape(String.valueOf(value));
  }
}
