package io.geored.spi.model;

import java.time.Instant;

/**
 * Links a local peer group to a system peer (a PGA) and records how well the two are in step. Every
 * stored record carries {@code version}: stores compare it on update and increment it
 * (compare-and-set). An unsaved record has id 0 and version 0.
 *
 * @param id store identity, 0 before insert
 * @param peerGroupId the local peer group
 * @param systemPeerId the system peer
 * @param peerGroupPriority the priority the group gets on the peer (primary only), else null
 * @param associationType primary on the owning site, non-primary on the peer
 * @param syncStatus where the sync stands
 * @param syncMessage why, when it failed; null otherwise
 * @param owedPeerStatus on a primary association, the final sync status a finished sync (or a
 *     restart that ended one) still owes the peer's copy of the association, because the call that
 *     should have told the peer was lost; null when nothing is owed. Kept by the store, never
 *     answered over the API
 * @param createdAt when it was created
 * @param updatedAt when it was last updated, null if never
 * @param version compare-and-set version
 */
public record PeerGroupAssociation(
    long id,
    long peerGroupId,
    long systemPeerId,
    Integer peerGroupPriority,
    AssociationType associationType,
    SyncStatus syncStatus,
    String syncMessage,
    SyncStatus owedPeerStatus,
    Instant createdAt,
    Instant updatedAt,
    long version) {

  /**
   * A builder holding this record's values, to change some of them.
   *
   * @return a new builder, never null
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.peerGroupId = peerGroupId;
    b.systemPeerId = systemPeerId;
    b.peerGroupPriority = peerGroupPriority;
    b.associationType = associationType;
    b.syncStatus = syncStatus;
    b.syncMessage = syncMessage;
    b.owedPeerStatus = owedPeerStatus;
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
   * Whether this is the owning site's side of the association.
   *
   * @return true for {@link AssociationType#PRIMARY}
   */
  public boolean isPrimary() {
    return associationType == AssociationType.PRIMARY;
  }

  /** Builds a {@link PeerGroupAssociation}; not thread-safe. */
  public static final class Builder {
    private long id;
    private long peerGroupId;
    private long systemPeerId;
    private Integer peerGroupPriority;
    private AssociationType associationType;
    private SyncStatus syncStatus;
    private String syncMessage;
    private SyncStatus owedPeerStatus;
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
     * Sets peerGroupId.
     *
     * @param value the local peer group
     * @return this builder
     */
    public Builder peerGroupId(long value) {
      this.peerGroupId = value;
      return this;
    }

    /**
     * Sets systemPeerId.
     *
     * @param value the system peer
     * @return this builder
     */
    public Builder systemPeerId(long value) {
      this.systemPeerId = value;
      return this;
    }

    /**
     * Sets peerGroupPriority.
     *
     * @param value the priority the group gets on the peer (primary only), else null
     * @return this builder
     */
    public Builder peerGroupPriority(Integer value) {
      this.peerGroupPriority = value;
      return this;
    }

    /**
     * Sets associationType.
     *
     * @param value primary on the owning site, non-primary on the peer
     * @return this builder
     */
    public Builder associationType(AssociationType value) {
      this.associationType = value;
      return this;
    }

    /**
     * Sets syncStatus.
     *
     * @param value where the sync stands
     * @return this builder
     */
    public Builder syncStatus(SyncStatus value) {
      this.syncStatus = value;
      return this;
    }

    /**
     * Sets syncMessage.
     *
     * @param value why, when it failed; null otherwise
     * @return this builder
     */
    public Builder syncMessage(String value) {
      this.syncMessage = value;
      return this;
    }

    /**
     * Sets owedPeerStatus.
     *
     * @param value the final status still owed to the peer's copy, null when nothing is owed
     * @return this builder
     */
    public Builder owedPeerStatus(SyncStatus value) {
      this.owedPeerStatus = value;
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
    public PeerGroupAssociation build() {
      return new PeerGroupAssociation(
          id,
          peerGroupId,
          systemPeerId,
          peerGroupPriority,
          associationType,
          syncStatus,
          syncMessage,
          owedPeerStatus,
          createdAt,
          updatedAt,
          version);
    }
  }
}
