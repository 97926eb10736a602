package io.geored.spi.model;

import java.util.Objects;

/**
 * A secret value (a peer's manager password, in the form the cipher port produced). It never shows
 * itself: {@link #toString()} answers {@code ****}. Equality compares the values.
 */
public final class Secret {

  /** No secret: what API answers carry in place of a password. */
  public static final Secret NONE = new Secret("");

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /**
   * Wraps a value.
   *
   * @param value the secret text, not null
   * @return the secret; {@link #NONE} for an empty text
   */
  public static Secret of(String value) {
    Objects.requireNonNull(value, "value");
    return value.isEmpty() ? NONE : new Secret(value);
  }

  /**
   * The value itself. Callers must not log it.
   *
   * @return the text, empty for {@link #NONE}
   */
  public String reveal() {
    return value;
  }

  /**
   * Whether there is no value.
   *
   * @return true for {@link #NONE}
   */
  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && other.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return isEmpty() ? "" : "****";
  }
}
