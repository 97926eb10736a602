package io.geored.spi.model;

import java.util.Optional;

/** What a lost system peer triggers (only {@link #ALARM} acts in this version). */
public enum HeartbeatFailurePolicy implements WireValue {
  /** Wire value {@code alarm}. */
  ALARM,
  /** Wire value {@code rehome}. */
  REHOME,
  /** Wire value {@code delegate}. */
  DELEGATE;

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
  public static Optional<HeartbeatFailurePolicy> fromWire(String value) {
    return WireValue.parse(HeartbeatFailurePolicy.class, value);
  }
}
