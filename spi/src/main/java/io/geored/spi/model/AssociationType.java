package io.geored.spi.model;

import java.util.Optional;

/** Which side of a peer-group association this site holds. */
public enum AssociationType implements WireValue {
  /** Wire value {@code primary}. */
  PRIMARY,
  /** Wire value {@code non-primary}. */
  NON_PRIMARY;

  private final String wire = WireValue.wireOf(name());

  @Override
  public String wire() {
    return wire;
  }

  /**
   * Reads a wire value, ignoring case.
   *
   * @param value the text, may be null
   * @return the constant, or empty when the text names none
   */
  public static Optional<AssociationType> fromWire(String value) {
    return WireValue.parse(AssociationType.class, value);
  }
}
