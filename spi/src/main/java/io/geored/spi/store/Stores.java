package io.geored.spi.store;

import java.util.Objects;

/**
 * The stores of one site and their transaction boundary, handed to the engine together.
 *
 * @param systemPeers system peers
 * @param peerGroups peer groups
 * @param associations peer-group associations
 * @param subclouds subclouds
 * @param transactions the boundary spanning all four
 */
public record Stores(
    SystemPeerStore systemPeers,
    PeerGroupStore peerGroups,
    AssociationStore associations,
    SubcloudStore subclouds,
    Transactions transactions) {

  /**
   * Checks every part is present.
   *
   * @param systemPeers system peers
   * @param peerGroups peer groups
   * @param associations peer-group associations
   * @param subclouds subclouds
   * @param transactions the boundary spanning all four
   */
  public Stores {
    Objects.requireNonNull(systemPeers, "systemPeers");
    Objects.requireNonNull(peerGroups, "peerGroups");
    Objects.requireNonNull(associations, "associations");
    Objects.requireNonNull(subclouds, "subclouds");
    Objects.requireNonNull(transactions, "transactions");
  }
}
