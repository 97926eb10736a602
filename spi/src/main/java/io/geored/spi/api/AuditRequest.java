package io.geored.spi.api;

/**
 * A peer site's request to audit one peer group against its copy: the group as the peer holds it,
 * plus the peer's uuid. Null means the key was missing.
 *
 * @param peerUuid the asking peer's system uuid
 * @param peerGroupName the group's name
 * @param groupPriority the group's priority on the peer
 * @param groupState enabled or disabled
 * @param systemLeaderId the leader as the peer records it
 * @param systemLeaderName the leader's name
 * @param migrationStatus the peer's migration status, "none" when it has none
 * @param maxSubcloudRehoming the peer's rehoming limit
 */
public record AuditRequest(
    String peerUuid,
    String peerGroupName,
    Integer groupPriority,
    String groupState,
    String systemLeaderId,
    String systemLeaderName,
    String migrationStatus,
    Integer maxSubcloudRehoming) {

  /**
   * A builder holding this record's values, to change some of them.
   *
   * @return a new builder, never null
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.peerUuid = peerUuid;
    b.peerGroupName = peerGroupName;
    b.groupPriority = groupPriority;
    b.groupState = groupState;
    b.systemLeaderId = systemLeaderId;
    b.systemLeaderName = systemLeaderName;
    b.migrationStatus = migrationStatus;
    b.maxSubcloudRehoming = maxSubcloudRehoming;
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

  /** Builds a {@link AuditRequest}; not thread-safe. */
  public static final class Builder {
    private String peerUuid;
    private String peerGroupName;
    private Integer groupPriority;
    private String groupState;
    private String systemLeaderId;
    private String systemLeaderName;
    private String migrationStatus;
    private Integer maxSubcloudRehoming;

    private Builder() {}

    /**
     * Sets peerUuid.
     *
     * @param value the asking peer's system uuid
     * @return this builder
     */
    public Builder peerUuid(String value) {
      this.peerUuid = value;
      return this;
    }

    /**
     * Sets peerGroupName.
     *
     * @param value the group's name
     * @return this builder
     */
    public Builder peerGroupName(String value) {
      this.peerGroupName = value;
      return this;
    }

    /**
     * Sets groupPriority.
     *
     * @param value the group's priority on the peer
     * @return this builder
     */
    public Builder groupPriority(Integer value) {
      this.groupPriority = value;
      return this;
    }

    /**
     * Sets groupState.
     *
     * @param value enabled or disabled
     * @return this builder
     */
    public Builder groupState(String value) {
      this.groupState = value;
      return this;
    }

    /**
     * Sets systemLeaderId.
     *
     * @param value the leader as the peer records it
     * @return this builder
     */
    public Builder systemLeaderId(String value) {
      this.systemLeaderId = value;
      return this;
    }

    /**
     * Sets systemLeaderName.
     *
     * @param value the leader's name
     * @return this builder
     */
    public Builder systemLeaderName(String value) {
      this.systemLeaderName = value;
      return this;
    }

    /**
     * Sets migrationStatus.
     *
     * @param value the peer's migration status, "none" when it has none
     * @return this builder
     */
    public Builder migrationStatus(String value) {
      this.migrationStatus = value;
      return this;
    }

    /**
     * Sets maxSubcloudRehoming.
     *
     * @param value the peer's rehoming limit
     * @return this builder
     */
    public Builder maxSubcloudRehoming(Integer value) {
      this.maxSubcloudRehoming = value;
      return this;
    }

    /**
     * Builds the record.
     *
     * @return the record; the compact constructor's checks apply
     */
    public AuditRequest build() {
      return new AuditRequest(
          peerUuid,
          peerGroupName,
          groupPriority,
          groupState,
          systemLeaderId,
          systemLeaderName,
          migrationStatus,
          maxSubcloudRehoming);
    }
  }
}
