package io.geored.spi.model;

import java.util.Objects;

/**
 * The identity of a site: the uuid and name its peers know it by.
 *
 * @param uuid the system uuid, not null
 * @param name the system name, not null
 */
public record LocalSystem(String uuid, String name) {
  /**
   * Checks that both parts are present.
   *
   * @param uuid the system uuid, not null
   * @param name the system name, not null
   */
  public LocalSystem {
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(name, "name");
  }
}
