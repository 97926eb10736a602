package io.geored.spi.api;

/**
 * Asks a site to associate one of its peer groups with a system peer. A peer site sends no
 * priority: the association it creates is non-primary.
 *
 * @param peerGroupId required, the local peer group's id
 * @param systemPeerId required, the system peer's id
 * @param peerGroupPriority 1-65536; required when the group's priority is 0, refused otherwise
 */
public record AssociationCreate(Long peerGroupId, Long systemPeerId, Integer peerGroupPriority) {

  /**
   * A builder holding this record's values, to change some of them.
   *
   * @return a new builder, never null
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.peerGroupId = peerGroupId;
    b.systemPeerId = systemPeerId;
    b.peerGroupPriority = peerGroupPriority;
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

  /** Builds a {@link AssociationCreate}; not thread-safe. */
  public static final class Builder {
    private Long peerGroupId;
    private Long systemPeerId;
    private Integer peerGroupPriority;

    private Builder() {}

    /**
     * Sets peerGroupId.
     *
     * @param value required, the local peer group's id
     * @return this builder
     */
    public Builder peerGroupId(Long value) {
      this.peerGroupId = value;
      return this;
    }

    /**
     * Sets systemPeerId.
     *
     * @param value required, the system peer's id
     * @return this builder
     */
    public Builder systemPeerId(Long value) {
      this.systemPeerId = value;
      return this;
    }

    /**
     * Sets peerGroupPriority.
     *
     * @param value 1-65536; required when the group's priority is 0, refused otherwise
     * @return this builder
     */
    public Builder peerGroupPriority(Integer value) {
      this.peerGroupPriority = value;
      return this;
    }

    /**
     * Builds the record.
     *
     * @return the record; the compact constructor's checks apply
     */
    public AssociationCreate build() {
      return new AssociationCreate(peerGroupId, systemPeerId, peerGroupPriority);
    }
  }
}
