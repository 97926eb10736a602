package io.geored.spi.model;

import java.util.Optional;

/** A peer group's state (kept and answered, no behaviour in this version). */
public enum GroupState implements WireValue {
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
  public static Optional<GroupState> fromWire(String value) {
    return WireValue.parse(GroupState.class, value);
  }
}
