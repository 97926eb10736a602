package io.geored.spi.model;

import java.util.Optional;

/** Whether the site manages a subcloud. */
public enum ManagementState implements WireValue {
  /** Wire value {@code managed}. */
  MANAGED,
  /** Wire value {@code unmanaged}. */
  UNMANAGED;

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
  public static Optional<ManagementState> fromWire(String value) {
    return WireValue.parse(ManagementState.class, value);
  }
}
