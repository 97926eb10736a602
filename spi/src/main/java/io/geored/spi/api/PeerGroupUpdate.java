package io.geored.spi.api;

/**
 * Asks a site to change a subcloud peer group. Null means unchanged; {@code migrationStatus} "none"
 * (any case) clears it.
 *
 * @param peerGroupName a new name
 * @param groupPriority 0-65536
 * @param groupState enabled or disabled
 * @param maxSubcloudRehoming 1-250
 * @param systemLeaderId a uuid
 * @param systemLeaderName a name
 * @param migrationStatus migrating, complete or none (any case)
 */
public record PeerGroupUpdate(
    String peerGroupName,
    Integer groupPriority,
    String groupState,
    Integer maxSubcloudRehoming,
    String systemLeaderId,
    String systemLeaderName,
    String migrationStatus) {

  /**
   * A builder holding this record's values, to change some of them.
   *
   * @return a new builder, never null
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.peerGroupName = peerGroupName;
    b.groupPriority = groupPriority;
    b.groupState = groupState;
    b.maxSubcloudRehoming = maxSubcloudRehoming;
    b.systemLeaderId = systemLeaderId;
    b.systemLeaderName = systemLeaderName;
    b.migrationStatus = migrationStatus;
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

  /** Builds a {@link PeerGroupUpdate}; not thread-safe. */
  public static final class Builder {
    private String peerGroupName;
    private Integer groupPriority;
    private String groupState;
    private Integer maxSubcloudRehoming;
    private String systemLeaderId;
    private String systemLeaderName;
    private String migrationStatus;

    private Builder() {}

    /**
     * Sets peerGroupName.
     *
     * @param value a new name
     * @return this builder
     */
    public Builder peerGroupName(String value) {
      this.peerGroupName = value;
      return this;
    }

    /**
     * Sets groupPriority.
     *
     * @param value 0-65536
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
     * Sets maxSubcloudRehoming.
     *
     * @param value 1-250
     * @return this builder
     */
    public Builder maxSubcloudRehoming(Integer value) {
      this.maxSubcloudRehoming = value;
      return this;
    }

    /**
     * Sets systemLeaderId.
     *
     * @param value a uuid
     * @return this builder
     */
    public Builder systemLeaderId(String value) {
      this.systemLeaderId = value;
      return this;
    }

    /**
     * Sets systemLeaderName.
     *
     * @param value a name
     * @return this builder
     */
    public Builder systemLeaderName(String value) {
      this.systemLeaderName = value;
      return this;
    }

    /**
     * Sets migrationStatus.
     *
     * @param value migrating, complete or none (any case)
     * @return this builder
     */
    public Builder migrationStatus(String value) {
      this.migrationStatus = value;
      return this;
    }

    /**
     * Builds the record.
     *
     * @return the record; the compact constructor's checks apply
     */
    public PeerGroupUpdate build() {
      return new PeerGroupUpdate(
          peerGroupName,
          groupPriority,
          groupState,
          maxSubcloudRehoming,
          systemLeaderId,
          systemLeaderName,
          migrationStatus);
    }
  }
}
