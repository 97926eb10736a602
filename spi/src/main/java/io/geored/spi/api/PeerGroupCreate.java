package io.geored.spi.api;

/**
 * Asks a site to create a subcloud peer group. Null means not given.
 *
 * @param peerGroupName required
 * @param groupPriority 0-65536, default 0
 * @param groupState enabled (default) or disabled
 * @param maxSubcloudRehoming 1-250, default 10
 * @param systemLeaderId a uuid, default this site's
 * @param systemLeaderName a name, default this site's
 */
public record PeerGroupCreate(
    String peerGroupName,
    Integer groupPriority,
    String groupState,
    Integer maxSubcloudRehoming,
    String systemLeaderId,
    String systemLeaderName) {

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

  /** Builds a {@link PeerGroupCreate}; not thread-safe. */
  public static final class Builder {
    private String peerGroupName;
    private Integer groupPriority;
    private String groupState;
    private Integer maxSubcloudRehoming;
    private String systemLeaderId;
    private String systemLeaderName;

    private Builder() {}

    /**
     * Sets peerGroupName.
     *
     * @param value required
     * @return this builder
     */
    public Builder peerGroupName(String value) {
      this.peerGroupName = value;
      return this;
    }

    /**
     * Sets groupPriority.
     *
     * @param value 0-65536, default 0
     * @return this builder
     */
    public Builder groupPriority(Integer value) {
      this.groupPriority = value;
      return this;
    }

    /**
     * Sets groupState.
     *
     * @param value enabled (default) or disabled
     * @return this builder
     */
    public Builder groupState(String value) {
      this.groupState = value;
      return this;
    }

    /**
     * Sets maxSubcloudRehoming.
     *
     * @param value 1-250, default 10
     * @return this builder
     */
    public Builder maxSubcloudRehoming(Integer value) {
      this.maxSubcloudRehoming = value;
      return this;
    }

    /**
     * Sets systemLeaderId.
     *
     * @param value a uuid, default this site's
     * @return this builder
     */
    public Builder systemLeaderId(String value) {
      this.systemLeaderId = value;
      return this;
    }

    /**
     * Sets systemLeaderName.
     *
     * @param value a name, default this site's
     * @return this builder
     */
    public Builder systemLeaderName(String value) {
      this.systemLeaderName = value;
      return this;
    }

    /**
     * Builds the record.
     *
     * @return the record; the compact constructor's checks apply
     */
    public PeerGroupCreate build() {
      return new PeerGroupCreate(
          peerGroupName,
          groupPriority,
          groupState,
          maxSubcloudRehoming,
          systemLeaderId,
          systemLeaderName);
    }
  }
}
