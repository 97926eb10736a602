package io.geored.spi.store;

import io.geored.spi.model.SubcloudPeerGroup;
import java.util.List;
import java.util.Optional;

/**
 * Stores subcloud peer groups. Thread-safe; may throw {@link io.geored.spi.PersistenceException}.
 */
public interface PeerGroupStore {

  /** Uniqueness rule on {@code peerGroupName}. */
  String UNIQUE_NAME = "peer_group_name";

  /**
   * Inserts a group; id and version are assigned.
   *
   * @param group the group
   * @return Saved with id and version 1, or Duplicate
   */
  StoreResult<SubcloudPeerGroup> insert(SubcloudPeerGroup group);

  /**
   * Replaces a group if its version is the stored one.
   *
   * @param group the new values, carrying the version read
   * @return Saved, Stale, Missing or Duplicate
   */
  StoreResult<SubcloudPeerGroup> update(SubcloudPeerGroup group);

  /**
   * Deletes a group.
   *
   * @param id the group's id
   * @return true when it existed
   */
  boolean delete(long id);

  /**
   * Finds by id.
   *
   * @param id the id
   * @return the group or empty
   */
  Optional<SubcloudPeerGroup> findById(long id);

  /**
   * Finds by name (exact).
   *
   * @param name the name
   * @return the group or empty
   */
  Optional<SubcloudPeerGroup> findByName(String name);

  /**
   * Every group.
   *
   * @return ordered by id
   */
  List<SubcloudPeerGroup> findAll();
}
