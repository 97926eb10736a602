package io.geored.spi.model;

import java.util.Optional;

/** How well a peer-group association is in step with its peer. */
public enum SyncStatus implements WireValue {
  /** Wire value {@code syncing}. */
  SYNCING,
  /** Wire value {@code in-sync}. */
  IN_SYNC,
  /** Wire value {@code out-of-sync}. */
  OUT_OF_SYNC,
  /** Wire value {@code failed}. */
  FAILED,
  /** Wire value {@code unknown}. */
  UNKNOWN;

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
  public static Optional<SyncStatus> fromWire(String value) {
    return WireValue.parse(SyncStatus.class, value);
  }
}
