package io.geored.spi.model;

import java.time.Instant;

/**
 * A set of subclouds that fail over together (an SPG).
 *
 * <p>Priority 0 marks the site that owns the group (primary); other sites hold it with 1-65536, a
 * lower number meaning a higher priority. Every stored record carries {@code version}: stores
 * compare it on update and increment it (compare-and-set). An unsaved record has id 0 and version
 * 0.
 *
 * @param id store identity, 0 before insert
 * @param peerGroupName a unique name
 * @param groupPriority 0 on the primary site, 1-65536 elsewhere
 * @param groupState enabled or disabled (kept, no behaviour)
 * @param maxSubcloudRehoming subclouds rehomed at once during a migration, 1-250
 * @param systemLeaderId uuid of the site that currently manages the group
 * @param systemLeaderName name of that site
 * @param migrationStatus never null: {@link MigrationStatus#NONE} when none
 * @param createdAt when it was created
 * @param updatedAt when it was last updated, null if never
 * @param version compare-and-set version
 */
public record SubcloudPeerGroup(
    long id,
    String peerGroupName,
    int groupPriority,
    GroupState groupState,
    int maxSubcloudRehoming,
    String systemLeaderId,
    String systemLeaderName,
    MigrationStatus migrationStatus,
    Instant createdAt,
    Instant updatedAt,
    long version) {

  /**
   * Validates the components and copies collections.
   *
   * @param id store identity, 0 before insert
   * @param peerGroupName a unique name
   * @param groupPriority 0 on the primary site, 1-65536 elsewhere
   * @param groupState enabled or disabled (kept, no behaviour)
   * @param maxSubcloudRehoming subclouds rehomed at once during a migration, 1-250
   * @param systemLeaderId uuid of the site that currently manages the group
   * @param systemLeaderName name of that site
   * @param migrationStatus never null: {@link MigrationStatus#NONE} when none
   * @param createdAt when it was created
   * @param updatedAt when it was last updated, null if never
   * @param version compare-and-set version
   */
  public SubcloudPeerGroup {
    if (migrationStatus == null) {
      migrationStatus = MigrationStatus.NONE;
    }
  }

  /**
   * A builder holding this record's values, to change some of them.
   *
   * @return a new builder, never null
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.peerGroupName = peerGroupName;
    b.groupPriority = groupPriority;
    b.groupState = groupState;
    b.maxSubcloudRehoming = maxSubcloudRehoming;
    b.systemLeaderId = systemLeaderId;
    b.systemLeaderName = systemLeaderName;
    b.migrationStatus = migrationStatus;
    b.createdAt = createdAt;
    b.updatedAt = updatedAt;
    b.version = version;
    return b;
  }

  /**
   * An empty builder.
   *
   * @return a new builder with every value unset (null, zero or false)
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether this site owns the group.
   *
   * @return true when the priority is 0
   */
  public boolean isPrimary() {
    return groupPriority == 0;
  }

  /** Builds a {@link SubcloudPeerGroup}; not thread-safe. */
  public static final class Builder {
    private long id;
    private String peerGroupName;
    private int groupPriority;
    private GroupState groupState;
    private int maxSubcloudRehoming;
    private String systemLeaderId;
    private String systemLeaderName;
    private MigrationStatus migrationStatus;
    private Instant createdAt;
    private Instant updatedAt;
    private long version;

    private Builder() {}

    /**
     * Sets id.
     *
     * @param value store identity, 0 before insert
     * @return this builder
     */
    public Builder id(long value) {
      this.id = value;
      return this;
    }

    /**
     * Sets peerGroupName.
     *
     * @param value a unique name
     * @return this builder
     */
    public Builder peerGroupName(String value) {
      this.peerGroupName = value;
      return this;
    }

    /**
     * Sets groupPriority.
     *
     * @param value 0 on the primary site, 1-65536 elsewhere
     * @return this builder
     */
    public Builder groupPriority(int value) {
      this.groupPriority = value;
      return this;
    }

    /**
     * Sets groupState.
     *
     * @param value enabled or disabled (kept, no behaviour)
     * @return this builder
     */
    public Builder groupState(GroupState value) {
      this.groupState = value;
      return this;
    }

    /**
     * Sets maxSubcloudRehoming.
     *
     * @param value subclouds rehomed at once during a migration, 1-250
     * @return this builder
     */
    public Builder maxSubcloudRehoming(int value) {
      this.maxSubcloudRehoming = value;
      return this;
    }

    /**
     * Sets systemLeaderId.
     *
     * @param value uuid of the site that currently manages the group
     * @return this builder
     */
    public Builder systemLeaderId(String value) {
      this.systemLeaderId = value;
      return this;
    }

    /**
     * Sets systemLeaderName.
     *
     * @param value name of that site
     * @return this builder
     */
    public Builder systemLeaderName(String value) {
      this.systemLeaderName = value;
      return this;
    }

    /**
     * Sets migrationStatus.
     *
     * @param value never null: {@link MigrationStatus#NONE} when none
     * @return this builder
     */
    public Builder migrationStatus(MigrationStatus value) {
      this.migrationStatus = value;
      return this;
    }

    /**
     * Sets createdAt.
     *
     * @param value when it was created
     * @return this builder
     */
    public Builder createdAt(Instant value) {
      this.createdAt = value;
      return this;
    }

    /**
     * Sets updatedAt.
     *
     * @param value when it was last updated, null if never
     * @return this builder
     */
    public Builder updatedAt(Instant value) {
      this.updatedAt = value;
      return this;
    }

    /**
     * Sets version.
     *
     * @param value compare-and-set version
     * @return this builder
     */
    public Builder version(long value) {
      this.version = value;
      return this;
    }

    /**
     * Builds the record.
     *
     * @return the record; the compact constructor's checks apply
     */
    public SubcloudPeerGroup build() {
      return new SubcloudPeerGroup(
          id,
          peerGroupName,
          groupPriority,
          groupState,
          maxSubcloudRehoming,
          systemLeaderId,
          systemLeaderName,
          migrationStatus,
          createdAt,
          updatedAt,
          version);
    }
  }
}
