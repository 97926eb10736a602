package io.geored.spi.model;

import java.util.Optional;

/** Where a peer group's migration stands; {@link #NONE} when none ran or it was reset. */
public enum MigrationStatus implements WireValue {
  /** Wire value {@code none}. */
  NONE,
  /** Wire value {@code migrating}. */
  MIGRATING,
  /** Wire value {@code complete}. */
  COMPLETE;

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
  public static Optional<MigrationStatus> fromWire(String value) {
    return WireValue.parse(MigrationStatus.class, value);
  }
}
