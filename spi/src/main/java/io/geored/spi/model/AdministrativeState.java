package io.geored.spi.model;

import java.util.Optional;

/**
 * A system peer's administrative state. A disabled peer is not heartbeaten, has no alarm 280.004
 * and counts as unavailable for every rule that asks whether the peer is available.
 */
public enum AdministrativeState implements WireValue {
  /** Wire value {@code enabled}. */
  ENABLED,
  /** Wire value {@code disabled}. */
  DISABLED;

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
  public static Optional<AdministrativeState> fromWire(String value) {
    return WireValue.parse(AdministrativeState.class, value);
  }
}
