package io.geored.spi.peer;

import io.geored.spi.model.LocalSystem;

/** Tells a site who it is. Must answer the same identity for the life of the engine. */
@FunctionalInterface
public interface LocalSystemIdentity {

  /**
   * This site's identity.
   *
   * @return uuid and name, never null
   */
  LocalSystem localSystem();

  /**
   * A fixed identity.
   *
   * @param system the identity
   * @return a port answering it
   */
  static LocalSystemIdentity of(LocalSystem system) {
    return () -> system;
  }
}
