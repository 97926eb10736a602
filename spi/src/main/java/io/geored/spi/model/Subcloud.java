package io.geored.spi.model;

import java.time.Instant;

/**
 * An edge cloud managed by a site. {@code regionName} is its identity across sites. Every stored
 * record carries {@code version}: stores compare it on update and increment it (compare-and-set).
 * An unsaved record has id 0 and version 0.
 *
 * @param id store identity, 0 before insert
 * @param name a unique name
 * @param regionName a unique region name, the same on every site
 * @param description free text, may be null
 * @param location free text, may be null
 * @param softwareVersion the release it runs, may be null
 * @param managementState managed or unmanaged
 * @param availabilityStatus online or offline
 * @param deployStatus where its deployment or rehoming stands
 * @param errorDescription the last error, may be null
 * @param groupId the subcloud group (not the peer group), stored as given; may be null
 * @param peerGroupId the peer group it belongs to, or null
 * @param rehomeData what another site needs to adopt it, or null
 * @param installValues install values as given, or null
 * @param rehomed whether it was adopted from another site
 * @param handedOverTo while the subcloud is rehome-pending: the uuid of the site whose migration it
 *     was handed over to, when that site identified itself; null otherwise (any other deploy status
 *     clears it)
 * @param createdAt when it was created
 * @param updatedAt when it was last updated, null if never
 * @param version compare-and-set version
 */
public record Subcloud(
    long id,
    String name,
    String regionName,
    String description,
    String location,
    String softwareVersion,
    ManagementState managementState,
    AvailabilityStatus availabilityStatus,
    DeployStatus deployStatus,
    String errorDescription,
    Long groupId,
    Long peerGroupId,
    RehomeData rehomeData,
    java.util.Map<String, Object> installValues,
    boolean rehomed,
    String handedOverTo,
    Instant createdAt,
    Instant updatedAt,
    long version) {

  /**
   * Validates the components and copies collections.
   *
   * @param id store identity, 0 before insert
   * @param name a unique name
   * @param regionName a unique region name, the same on every site
   * @param description free text, may be null
   * @param location free text, may be null
   * @param softwareVersion the release it runs, may be null
   * @param managementState managed or unmanaged
   * @param availabilityStatus online or offline
   * @param deployStatus where its deployment or rehoming stands
   * @param errorDescription the last error, may be null
   * @param groupId the subcloud group (not the peer group), stored as given; may be null
   * @param peerGroupId the peer group it belongs to, or null
   * @param rehomeData what another site needs to adopt it, or null
   * @param installValues install values as given, or null
   * @param rehomed whether it was adopted from another site
   * @param handedOverTo while the subcloud is rehome-pending: the uuid of the site whose migration
   *     it was handed over to, when that site identified itself; null otherwise (any other deploy
   *     status clears it)
   * @param createdAt when it was created
   * @param updatedAt when it was last updated, null if never
   * @param version compare-and-set version
   */
  public Subcloud {
    // A hand-over names its target only while it lasts: leaving rehome-pending ends it.
    handedOverTo =
        deployStatus != DeployStatus.REHOME_PENDING || handedOverTo == null
            ? null
            : handedOverTo.strip().toLowerCase(java.util.Locale.ROOT);
    installValues = installValues == null ? null : PayloadMaps.deepCopy(installValues);
  }

  /**
   * Equal when every component is equal, as a record's own equality: written out so the cheap
   * components (version, id, states) are compared first and a changed record is told apart without
   * comparing its maps. The record's generated equality, a chain of method handles over 18
   * components, was a seventh of an audit's time, which compares each member before writing it.
   *
   * @param o the other object
   * @return whether {@code o} is a subcloud with equal components
   */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof Subcloud s
        && version == s.version
        && id == s.id
        && rehomed == s.rehomed
        && managementState == s.managementState
        && availabilityStatus == s.availabilityStatus
        && deployStatus == s.deployStatus
        && java.util.Objects.equals(name, s.name)
        && java.util.Objects.equals(regionName, s.regionName)
        && java.util.Objects.equals(peerGroupId, s.peerGroupId)
        && java.util.Objects.equals(groupId, s.groupId)
        && java.util.Objects.equals(updatedAt, s.updatedAt)
        && java.util.Objects.equals(createdAt, s.createdAt)
        && java.util.Objects.equals(description, s.description)
        && java.util.Objects.equals(location, s.location)
        && java.util.Objects.equals(softwareVersion, s.softwareVersion)
        && java.util.Objects.equals(errorDescription, s.errorDescription)
        && java.util.Objects.equals(handedOverTo, s.handedOverTo)
        && java.util.Objects.equals(rehomeData, s.rehomeData)
        && java.util.Objects.equals(installValues, s.installValues);
  }

  /**
   * A hash of every component, consistent with {@link #equals(Object)}.
   *
   * @return the hash
   */
  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        id,
        name,
        regionName,
        description,
        location,
        softwareVersion,
        managementState,
        availabilityStatus,
        deployStatus,
        errorDescription,
        groupId,
        peerGroupId,
        rehomeData,
        installValues,
        rehomed,
        handedOverTo,
        createdAt,
        updatedAt,
        version);
  }

  /**
   * A builder holding this record's values, to change some of them.
   *
   * @return a new builder, never null
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.name = name;
    b.regionName = regionName;
    b.description = description;
    b.location = location;
    b.softwareVersion = softwareVersion;
    b.managementState = managementState;
    b.availabilityStatus = availabilityStatus;
    b.deployStatus = deployStatus;
    b.errorDescription = errorDescription;
    b.groupId = groupId;
    b.peerGroupId = peerGroupId;
    b.rehomeData = rehomeData;
    b.installValues = installValues;
    b.rehomed = rehomed;
    b.handedOverTo = handedOverTo;
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

  /** Builds a {@link Subcloud}; not thread-safe. */
  public static final class Builder {
    private long id;
    private String name;
    private String regionName;
    private String description;
    private String location;
    private String softwareVersion;
    private ManagementState managementState;
    private AvailabilityStatus availabilityStatus;
    private DeployStatus deployStatus;
    private String errorDescription;
    private Long groupId;
    private Long peerGroupId;
    private RehomeData rehomeData;
    private java.util.Map<String, Object> installValues;
    private boolean rehomed;
    private String handedOverTo;
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
     * Sets name.
     *
     * @param value a unique name
     * @return this builder
     */
    public Builder name(String value) {
      this.name = value;
      return this;
    }

    /**
     * Sets regionName.
     *
     * @param value a unique region name, the same on every site
     * @return this builder
     */
    public Builder regionName(String value) {
      this.regionName = value;
      return this;
    }

    /**
     * Sets description.
     *
     * @param value free text, may be null
     * @return this builder
     */
    public Builder description(String value) {
      this.description = value;
      return this;
    }

    /**
     * Sets location.
     *
     * @param value free text, may be null
     * @return this builder
     */
    public Builder location(String value) {
      this.location = value;
      return this;
    }

    /**
     * Sets softwareVersion.
     *
     * @param value the release it runs, may be null
     * @return this builder
     */
    public Builder softwareVersion(String value) {
      this.softwareVersion = value;
      return this;
    }

    /**
     * Sets managementState.
     *
     * @param value managed or unmanaged
     * @return this builder
     */
    public Builder managementState(ManagementState value) {
      this.managementState = value;
      return this;
    }

    /**
     * Sets availabilityStatus.
     *
     * @param value online or offline
     * @return this builder
     */
    public Builder availabilityStatus(AvailabilityStatus value) {
      this.availabilityStatus = value;
      return this;
    }

    /**
     * Sets deployStatus.
     *
     * @param value where its deployment or rehoming stands
     * @return this builder
     */
    public Builder deployStatus(DeployStatus value) {
      this.deployStatus = value;
      return this;
    }

    /**
     * Sets errorDescription.
     *
     * @param value the last error, may be null
     * @return this builder
     */
    public Builder errorDescription(String value) {
      this.errorDescription = value;
      return this;
    }

    /**
     * Sets groupId.
     *
     * @param value the subcloud group (not the peer group), stored as given; may be null
     * @return this builder
     */
    public Builder groupId(Long value) {
      this.groupId = value;
      return this;
    }

    /**
     * Sets peerGroupId.
     *
     * @param value the peer group it belongs to, or null
     * @return this builder
     */
    public Builder peerGroupId(Long value) {
      this.peerGroupId = value;
      return this;
    }

    /**
     * Sets rehomeData.
     *
     * @param value what another site needs to adopt it, or null
     * @return this builder
     */
    public Builder rehomeData(RehomeData value) {
      this.rehomeData = value;
      return this;
    }

    /**
     * Sets installValues.
     *
     * @param value install values as given, or null
     * @return this builder
     */
    public Builder installValues(java.util.Map<String, Object> value) {
      this.installValues = value;
      return this;
    }

    /**
     * Sets rehomed.
     *
     * @param value whether it was adopted from another site
     * @return this builder
     */
    public Builder rehomed(boolean value) {
      this.rehomed = value;
      return this;
    }

    /**
     * Sets handedOverTo: the uuid of the site whose migration the subcloud is handed over to (kept
     * only while it is rehome-pending).
     *
     * @param value the site's uuid, or null
     * @return this builder
     */
    public Builder handedOverTo(String value) {
      this.handedOverTo = value;
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
    public Subcloud build() {
      return new Subcloud(
          id,
          name,
          regionName,
          description,
          location,
          softwareVersion,
          managementState,
          availabilityStatus,
          deployStatus,
          errorDescription,
          groupId,
          peerGroupId,
          rehomeData,
          installValues,
          rehomed,
          handedOverTo,
          createdAt,
          updatedAt,
          version);
    }
  }
}
