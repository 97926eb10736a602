package io.geored.spi.store;

import io.geored.spi.model.SystemPeer;
import java.util.List;
import java.util.Optional;

/**
 * Stores system peers. Thread-safe. Every method may throw {@link
 * io.geored.spi.PersistenceException}; inside {@link Transactions#inTransaction} its writes are
 * rolled back with the rest.
 */
public interface SystemPeerStore {

  /** Uniqueness rule on {@code peerUuid}. */
  String UNIQUE_UUID = "peer_uuid";

  /** Uniqueness rule on {@code peerName}. */
  String UNIQUE_NAME = "peer_name";

  /**
   * Inserts a peer; its id and version are ignored and assigned.
   *
   * @param peer the peer
   * @return Saved with id and version 1, or Duplicate naming the rule
   */
  StoreResult<SystemPeer> insert(SystemPeer peer);

  /**
   * Replaces a peer if its version is the stored one.
   *
   * @param peer the new values, carrying the version read
   * @return Saved with the version incremented, Stale, Missing or Duplicate
   */
  StoreResult<SystemPeer> update(SystemPeer peer);

  /**
   * Deletes a peer.
   *
   * @param id the peer's id
   * @return true when it existed
   */
  boolean delete(long id);

  /**
   * Finds by id.
   *
   * @param id the id
   * @return the peer or empty
   */
  Optional<SystemPeer> findById(long id);

  /**
   * Finds by uuid (exact).
   *
   * @param peerUuid the uuid
   * @return the peer or empty
   */
  Optional<SystemPeer> findByUuid(String peerUuid);

  /**
   * Finds by name (exact).
   *
   * @param peerName the name
   * @return the peer or empty
   */
  Optional<SystemPeer> findByName(String peerName);

  /**
   * Every peer.
   *
   * @return ordered by id
   */
  List<SystemPeer> findAll();
}
