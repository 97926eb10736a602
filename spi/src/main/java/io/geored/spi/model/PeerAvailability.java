package io.geored.spi.model;

import java.util.Optional;

/**
 * The monitor's view of a system peer. A new peer starts {@link #CREATED} (as upstream's dcmanager
 * answers it) until its first heartbeat decides; every rule that asks whether a peer is available
 * treats {@link #CREATED} as not available.
 */
public enum PeerAvailability implements WireValue {
  /** Wire value {@code available}. */
  AVAILABLE,
  /** Wire value {@code unavailable}. */
  UNAVAILABLE,
  /** Wire value {@code created}: not heartbeated yet. */
  CREATED;

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
  public static Optional<PeerAvailability> fromWire(String value) {
    return WireValue.parse(PeerAvailability.class, value);
  }
}
