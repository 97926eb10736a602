package io.geored.spi.api;

/**
 * Asks a site to change a subcloud. Null means unchanged.
 *
 * @param managementState managed or unmanaged
 * @param force with managed: skip the deploy-status and online checks
 * @param migrate rehome this one subcloud (filled in by the migration rules)
 * @param peerGroup a peer group id or name, or none (any case) to leave the group
 * @param bootstrapValues new bootstrap values (parsed YAML)
 * @param bootstrapAddress new OAM address
 * @param description free text
 * @param location free text
 * @param groupId subcloud group id
 * @param installValues install values
 * @param release software version
 * @param deployStatus a deploy status, e.g. rehome-pending or secondary
 */
public record SubcloudUpdate(
    String managementState,
    Boolean force,
    Boolean migrate,
    String peerGroup,
    java.util.Map<String, Object> bootstrapValues,
    String bootstrapAddress,
    String description,
    String location,
    Long groupId,
    java.util.Map<String, Object> installValues,
    String release,
    String deployStatus) {

  /**
   * Validates the components and copies collections.
   *
   * @param managementState managed or unmanaged
   * @param force with managed: skip the deploy-status and online checks
   * @param migrate rehome this one subcloud (filled in by the migration rules)
   * @param peerGroup a peer group id or name, or none (any case) to leave the group
   * @param bootstrapValues new bootstrap values (parsed YAML)
   * @param bootstrapAddress new OAM address
   * @param description free text
   * @param location free text
   * @param groupId subcloud group id
   * @param installValues install values
   * @param release software version
   * @param deployStatus a deploy status, e.g. rehome-pending or secondary
   */
  public SubcloudUpdate {
    bootstrapValues =
        bootstrapValues == null ? null : io.geored.spi.model.PayloadMaps.deepCopy(bootstrapValues);
    installValues =
        installValues == null ? null : io.geored.spi.model.PayloadMaps.deepCopy(installValues);
  }

  /**
   * A builder holding this record's values, to change some of them.
   *
   * @return a new builder, never null
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.managementState = managementState;
    b.force = force;
    b.migrate = migrate;
    b.peerGroup = peerGroup;
    b.bootstrapValues = bootstrapValues;
    b.bootstrapAddress = bootstrapAddress;
    b.description = description;
    b.location = location;
    b.groupId = groupId;
    b.installValues = installValues;
    b.release = release;
    b.deployStatus = deployStatus;
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

  /** Never shows secrets: bootstrapValues, installValues are masked. */
  @Override
  public String toString() {
    return "SubcloudUpdate["
        + "managementState="
        + managementState
        + ", "
        + "force="
        + force
        + ", "
        + "migrate="
        + migrate
        + ", "
        + "peerGroup="
        + peerGroup
        + ", "
        + "bootstrapValues="
        + (bootstrapValues == null ? null : "****")
        + ", "
        + "bootstrapAddress="
        + bootstrapAddress
        + ", "
        + "description="
        + description
        + ", "
        + "location="
        + location
        + ", "
        + "groupId="
        + groupId
        + ", "
        + "installValues="
        + (installValues == null ? null : "****")
        + ", "
        + "release="
        + release
        + ", "
        + "deployStatus="
        + deployStatus
        + "]";
  }

  /** Builds a {@link SubcloudUpdate}; not thread-safe. */
  public static final class Builder {
    private String managementState;
    private Boolean force;
    private Boolean migrate;
    private String peerGroup;
    private java.util.Map<String, Object> bootstrapValues;
    private String bootstrapAddress;
    private String description;
    private String location;
    private Long groupId;
    private java.util.Map<String, Object> installValues;
    private String release;
    private String deployStatus;

    private Builder() {}

    /**
     * Sets managementState.
     *
     * @param value managed or unmanaged
     * @return this builder
     */
    public Builder managementState(String value) {
      this.managementState = value;
      return this;
    }

    /**
     * Sets force.
     *
     * @param value with managed: skip the deploy-status and online checks
     * @return this builder
     */
    public Builder force(Boolean value) {
      this.force = value;
      return this;
    }

    /**
     * Sets migrate.
     *
     * @param value rehome this one subcloud (filled in by the migration rules)
     * @return this builder
     */
    public Builder migrate(Boolean value) {
      this.migrate = value;
      return this;
    }

    /**
     * Sets peerGroup.
     *
     * @param value a peer group id or name, or none (any case) to leave the group
     * @return this builder
     */
    public Builder peerGroup(String value) {
      this.peerGroup = value;
      return this;
    }

    /**
     * Sets bootstrapValues.
     *
     * @param value new bootstrap values (parsed YAML)
     * @return this builder
     */
    public Builder bootstrapValues(java.util.Map<String, Object> value) {
      this.bootstrapValues = value;
      return this;
    }

    /**
     * Sets bootstrapAddress.
     *
     * @param value new OAM address
     * @return this builder
     */
    public Builder bootstrapAddress(String value) {
      this.bootstrapAddress = value;
      return this;
    }

    /**
     * Sets description.
     *
     * @param value free text
     * @return this builder
     */
    public Builder description(String value) {
      this.description = value;
      return this;
    }

    /**
     * Sets location.
     *
     * @param value free text
     * @return this builder
     */
    public Builder location(String value) {
      this.location = value;
      return this;
    }

    /**
     * Sets groupId.
     *
     * @param value subcloud group id
     * @return this builder
     */
    public Builder groupId(Long value) {
      this.groupId = value;
      return this;
    }

    /**
     * Sets installValues.
     *
     * @param value install values
     * @return this builder
     */
    public Builder installValues(java.util.Map<String, Object> value) {
      this.installValues = value;
      return this;
    }

    /**
     * Sets release.
     *
     * @param value software version
     * @return this builder
     */
    public Builder release(String value) {
      this.release = value;
      return this;
    }

    /**
     * Sets deployStatus.
     *
     * @param value a deploy status, e.g. rehome-pending or secondary
     * @return this builder
     */
    public Builder deployStatus(String value) {
      this.deployStatus = value;
      return this;
    }

    /**
     * Builds the record.
     *
     * @return the record; the compact constructor's checks apply
     */
    public SubcloudUpdate build() {
      return new SubcloudUpdate(
          managementState,
          force,
          migrate,
          peerGroup,
          bootstrapValues,
          bootstrapAddress,
          description,
          location,
          groupId,
          installValues,
          release,
          deployStatus);
    }
  }
}
