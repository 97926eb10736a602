package io.geored.spi.api;

/**
 * Registers a subcloud on a site: a deployed one by an operator (it starts complete, unmanaged,
 * offline), or a secondary copy sent by a peer site during a sync.
 *
 * @param name required
 * @param regionName required, unique across sites
 * @param description free text
 * @param location free text
 * @param bootstrapValues the bootstrap values (parsed YAML); rehome data is built from them
 * @param bootstrapAddress the subcloud's OAM address
 * @param installValues install values, may be null
 * @param release software version, may be null
 * @param secondary true when a peer site adds its copy
 * @param groupId subcloud group id, stored as given
 */
public record SubcloudCreate(
    String name,
    String regionName,
    String description,
    String location,
    java.util.Map<String, Object> bootstrapValues,
    String bootstrapAddress,
    java.util.Map<String, Object> installValues,
    String release,
    boolean secondary,
    Long groupId) {

  /**
   * Validates the components and copies collections.
   *
   * @param name required
   * @param regionName required, unique across sites
   * @param description free text
   * @param location free text
   * @param bootstrapValues the bootstrap values (parsed YAML); rehome data is built from them
   * @param bootstrapAddress the subcloud's OAM address
   * @param installValues install values, may be null
   * @param release software version, may be null
   * @param secondary true when a peer site adds its copy
   * @param groupId subcloud group id, stored as given
   */
  public SubcloudCreate {
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
    b.name = name;
    b.regionName = regionName;
    b.description = description;
    b.location = location;
    b.bootstrapValues = bootstrapValues;
    b.bootstrapAddress = bootstrapAddress;
    b.installValues = installValues;
    b.release = release;
    b.secondary = secondary;
    b.groupId = groupId;
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
    return "SubcloudCreate["
        + "name="
        + name
        + ", "
        + "regionName="
        + regionName
        + ", "
        + "description="
        + description
        + ", "
        + "location="
        + location
        + ", "
        + "bootstrapValues="
        + (bootstrapValues == null ? null : "****")
        + ", "
        + "bootstrapAddress="
        + bootstrapAddress
        + ", "
        + "installValues="
        + (installValues == null ? null : "****")
        + ", "
        + "release="
        + release
        + ", "
        + "secondary="
        + secondary
        + ", "
        + "groupId="
        + groupId
        + "]";
  }

  /** Builds a {@link SubcloudCreate}; not thread-safe. */
  public static final class Builder {
    private String name;
    private String regionName;
    private String description;
    private String location;
    private java.util.Map<String, Object> bootstrapValues;
    private String bootstrapAddress;
    private java.util.Map<String, Object> installValues;
    private String release;
    private boolean secondary;
    private Long groupId;

    private Builder() {}

    /**
     * Sets name.
     *
     * @param value required
     * @return this builder
     */
    public Builder name(String value) {
      this.name = value;
      return this;
    }

    /**
     * Sets regionName.
     *
     * @param value required, unique across sites
     * @return this builder
     */
    public Builder regionName(String value) {
      this.regionName = value;
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
     * Sets bootstrapValues.
     *
     * @param value the bootstrap values (parsed YAML); rehome data is built from them
     * @return this builder
     */
    public Builder bootstrapValues(java.util.Map<String, Object> value) {
      this.bootstrapValues = value;
      return this;
    }

    /**
     * Sets bootstrapAddress.
     *
     * @param value the subcloud's OAM address
     * @return this builder
     */
    public Builder bootstrapAddress(String value) {
      this.bootstrapAddress = value;
      return this;
    }

    /**
     * Sets installValues.
     *
     * @param value install values, may be null
     * @return this builder
     */
    public Builder installValues(java.util.Map<String, Object> value) {
      this.installValues = value;
      return this;
    }

    /**
     * Sets release.
     *
     * @param value software version, may be null
     * @return this builder
     */
    public Builder release(String value) {
      this.release = value;
      return this;
    }

    /**
     * Sets secondary.
     *
     * @param value true when a peer site adds its copy
     * @return this builder
     */
    public Builder secondary(boolean value) {
      this.secondary = value;
      return this;
    }

    /**
     * Sets groupId.
     *
     * @param value subcloud group id, stored as given
     * @return this builder
     */
    public Builder groupId(Long value) {
      this.groupId = value;
      return this;
    }

    /**
     * Builds the record.
     *
     * @return the record; the compact constructor's checks apply
     */
    public SubcloudCreate build() {
      return new SubcloudCreate(
          name,
          regionName,
          description,
          location,
          bootstrapValues,
          bootstrapAddress,
          installValues,
          release,
          secondary,
          groupId);
    }
  }
}
