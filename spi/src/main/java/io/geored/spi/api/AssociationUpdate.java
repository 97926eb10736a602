package io.geored.spi.api;

/**
 * Asks a site to change an association: the priority (primary only) or the sync status (non-primary
 * only), not both.
 *
 * @param peerGroupPriority 1-65536
 * @param syncStatus syncing, in-sync, out-of-sync, failed or unknown
 */
public record AssociationUpdate(Integer peerGroupPriority, String syncStatus) {

  /**
   * A builder holding this record's values, to change some of them.
   *
   * @return a new builder, never null
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.peerGroupPriority = peerGroupPriority;
    b.syncStatus = syncStatus;
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

  /** Builds a {@link AssociationUpdate}; not thread-safe. */
  public static final class Builder {
    private Integer peerGroupPriority;
    private String syncStatus;

    private Builder() {}

    /**
     * Sets peerGroupPriority.
     *
     * @param value 1-65536
     * @return this builder
     */
    public Builder peerGroupPriority(Integer value) {
      this.peerGroupPriority = value;
      return this;
    }

    /**
     * Sets syncStatus.
     *
     * @param value syncing, in-sync, out-of-sync, failed or unknown
     * @return this builder
     */
    public Builder syncStatus(String value) {
      this.syncStatus = value;
      return this;
    }

    /**
     * Builds the record.
     *
     * @return the record; the compact constructor's checks apply
     */
    public AssociationUpdate build() {
      return new AssociationUpdate(peerGroupPriority, syncStatus);
    }
  }
}
