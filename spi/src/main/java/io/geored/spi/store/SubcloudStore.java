package io.geored.spi.store;

import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.Subcloud;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Stores subclouds. Thread-safe; may throw {@link io.geored.spi.PersistenceException}. */
public interface SubcloudStore {

  /** Uniqueness rule on {@code name}. */
  String UNIQUE_NAME = "name";

  /** Uniqueness rule on {@code regionName}. */
  String UNIQUE_REGION = "region_name";

  /**
   * Inserts a subcloud; id and version are assigned.
   *
   * @param subcloud the subcloud
   * @return Saved with id and version 1, or Duplicate
   */
  StoreResult<Subcloud> insert(Subcloud subcloud);

  /**
   * Replaces a subcloud if its version is the stored one.
   *
   * @param subcloud the new values, carrying the version read
   * @return Saved, Stale, Missing or Duplicate
   */
  StoreResult<Subcloud> update(Subcloud subcloud);

  /**
   * Deletes a subcloud.
   *
   * @param id its id
   * @return true when it existed
   */
  boolean delete(long id);

  /**
   * Finds by id.
   *
   * @param id the id
   * @return the subcloud or empty
   */
  Optional<Subcloud> findById(long id);

  /**
   * Finds by name (exact).
   *
   * @param name the name
   * @return the subcloud or empty
   */
  Optional<Subcloud> findByName(String name);

  /**
   * Finds by region name (exact).
   *
   * @param regionName the region name
   * @return the subcloud or empty
   */
  Optional<Subcloud> findByRegionName(String regionName);

  /**
   * The members of a peer group, in one read.
   *
   * @param peerGroupId the group
   * @return ordered by id
   */
  List<Subcloud> findByPeerGroup(long peerGroupId);

  /**
   * The subclouds in some deploy states (restart recovery, audits).
   *
   * @param statuses the states
   * @return ordered by id
   */
  List<Subcloud> findByDeployStatus(Collection<DeployStatus> statuses);

  /**
   * Every subcloud.
   *
   * @return ordered by id
   */
  List<Subcloud> findAll();
}
