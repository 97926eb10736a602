package io.geored.spi.store;

import io.geored.spi.model.PeerGroupAssociation;
import java.util.List;
import java.util.Optional;

/**
 * Stores peer-group associations. Thread-safe; may throw {@link
 * io.geored.spi.PersistenceException}.
 */
public interface AssociationStore {

  /** Uniqueness rule: one association per (peer group, system peer). */
  String UNIQUE_GROUP_AND_PEER = "peer_group_system_peer";

  /**
   * Inserts an association; id and version are assigned.
   *
   * @param association the association
   * @return Saved with id and version 1, or Duplicate
   */
  StoreResult<PeerGroupAssociation> insert(PeerGroupAssociation association);

  /**
   * Replaces an association if its version is the stored one.
   *
   * @param association the new values, carrying the version read
   * @return Saved, Stale, Missing or Duplicate
   */
  StoreResult<PeerGroupAssociation> update(PeerGroupAssociation association);

  /**
   * Deletes an association.
   *
   * @param id its id
   * @return true when it existed
   */
  boolean delete(long id);

  /**
   * Finds by id.
   *
   * @param id the id
   * @return the association or empty
   */
  Optional<PeerGroupAssociation> findById(long id);

  /**
   * Finds the association of a group with a peer.
   *
   * @param peerGroupId the group
   * @param systemPeerId the peer
   * @return the association or empty
   */
  Optional<PeerGroupAssociation> findByGroupAndPeer(long peerGroupId, long systemPeerId);

  /**
   * The associations of a group.
   *
   * @param peerGroupId the group
   * @return ordered by id
   */
  List<PeerGroupAssociation> findByPeerGroup(long peerGroupId);

  /**
   * The associations with a peer.
   *
   * @param systemPeerId the peer
   * @return ordered by id
   */
  List<PeerGroupAssociation> findBySystemPeer(long systemPeerId);

  /**
   * Every association.
   *
   * @return ordered by id
   */
  List<PeerGroupAssociation> findAll();
}
