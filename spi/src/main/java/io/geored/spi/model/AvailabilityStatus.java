package io.geored.spi.model;

import java.util.Optional;

/** Whether a subcloud answers its probe. */
public enum AvailabilityStatus implements WireValue {
  /** Wire value {@code online}. */
  ONLINE,
  /** Wire value {@code offline}. */
  OFFLINE;

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
  public static Optional<AvailabilityStatus> fromWire(String value) {
    return WireValue.parse(AvailabilityStatus.class, value);
  }
}
