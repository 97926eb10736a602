package io.geored.spi.api;

/**
 * Asks a site to create a system peer. Every field arrives unchecked: the site validates it and
 * answers with the exact messages of {@link Messages}. Null means not given (a default applies
 * where there is one). {@link #toString()} never shows the password.
 *
 * @param peerUuid required, a uuid
 * @param peerName required
 * @param managerEndpoint required, http(s) URL
 * @param managerUsername required
 * @param managerPassword required, in clear; stored through the cipher
 * @param peerControllerGatewayAddress required, an IPv4 or IPv6 address
 * @param administrativeState enabled (default) or disabled
 * @param heartbeatInterval 10-600 seconds, default 60
 * @param heartbeatFailureThreshold 1-30, default 3
 * @param heartbeatFailurePolicy alarm (default), rehome or delegate
 * @param heartbeatMaintenanceTimeout 300-36000 seconds, default 600
 */
public record SystemPeerCreate(
    String peerUuid,
    String peerName,
    String managerEndpoint,
    String managerUsername,
    String managerPassword,
    String peerControllerGatewayAddress,
    String administrativeState,
    Integer heartbeatInterval,
    Integer heartbeatFailureThreshold,
    String heartbeatFailurePolicy,
    Integer heartbeatMaintenanceTimeout) {

  /**
   * A builder holding this record's values, to change some of them.
   *
   * @return a new builder, never null
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.peerUuid = peerUuid;
    b.peerName = peerName;
    b.managerEndpoint = managerEndpoint;
    b.managerUsername = managerUsername;
    b.managerPassword = managerPassword;
    b.peerControllerGatewayAddress = peerControllerGatewayAddress;
    b.administrativeState = administrativeState;
    b.heartbeatInterval = heartbeatInterval;
    b.heartbeatFailureThreshold = heartbeatFailureThreshold;
    b.heartbeatFailurePolicy = heartbeatFailurePolicy;
    b.heartbeatMaintenanceTimeout = heartbeatMaintenanceTimeout;
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

  /** Never shows secrets: managerPassword are masked. */
  @Override
  public String toString() {
    return "SystemPeerCreate["
        + "peerUuid="
        + peerUuid
        + ", "
        + "peerName="
        + peerName
        + ", "
        + "managerEndpoint="
        + managerEndpoint
        + ", "
        + "managerUsername="
        + managerUsername
        + ", "
        + "managerPassword="
        + (managerPassword == null ? null : "****")
        + ", "
        + "peerControllerGatewayAddress="
        + peerControllerGatewayAddress
        + ", "
        + "administrativeState="
        + administrativeState
        + ", "
        + "heartbeatInterval="
        + heartbeatInterval
        + ", "
        + "heartbeatFailureThreshold="
        + heartbeatFailureThreshold
        + ", "
        + "heartbeatFailurePolicy="
        + heartbeatFailurePolicy
        + ", "
        + "heartbeatMaintenanceTimeout="
        + heartbeatMaintenanceTimeout
        + "]";
  }

  /** Builds a {@link SystemPeerCreate}; not thread-safe. */
  public static final class Builder {
    private String peerUuid;
    private String peerName;
    private String managerEndpoint;
    private String managerUsername;
    private String managerPassword;
    private String peerControllerGatewayAddress;
    private String administrativeState;
    private Integer heartbeatInterval;
    private Integer heartbeatFailureThreshold;
    private String heartbeatFailurePolicy;
    private Integer heartbeatMaintenanceTimeout;

    private Builder() {}

    /**
     * Sets peerUuid.
     *
     * @param value required, a uuid
     * @return this builder
     */
    public Builder peerUuid(String value) {
      this.peerUuid = value;
      return this;
    }

    /**
     * Sets peerName.
     *
     * @param value required
     * @return this builder
     */
    public Builder peerName(String value) {
      this.peerName = value;
      return this;
    }

    /**
     * Sets managerEndpoint.
     *
     * @param value required, http(s) URL
     * @return this builder
     */
    public Builder managerEndpoint(String value) {
      this.managerEndpoint = value;
      return this;
    }

    /**
     * Sets managerUsername.
     *
     * @param value required
     * @return this builder
     */
    public Builder managerUsername(String value) {
      this.managerUsername = value;
      return this;
    }

    /**
     * Sets managerPassword.
     *
     * @param value required, in clear; stored through the cipher
     * @return this builder
     */
    public Builder managerPassword(String value) {
      this.managerPassword = value;
      return this;
    }

    /**
     * Sets peerControllerGatewayAddress.
     *
     * @param value required, an IPv4 or IPv6 address
     * @return this builder
     */
    public Builder peerControllerGatewayAddress(String value) {
      this.peerControllerGatewayAddress = value;
      return this;
    }

    /**
     * Sets administrativeState.
     *
     * @param value enabled (default) or disabled
     * @return this builder
     */
    public Builder administrativeState(String value) {
      this.administrativeState = value;
      return this;
    }

    /**
     * Sets heartbeatInterval.
     *
     * @param value 10-600 seconds, default 60
     * @return this builder
     */
    public Builder heartbeatInterval(Integer value) {
      this.heartbeatInterval = value;
      return this;
    }

    /**
     * Sets heartbeatFailureThreshold.
     *
     * @param value 1-30, default 3
     * @return this builder
     */
    public Builder heartbeatFailureThreshold(Integer value) {
      this.heartbeatFailureThreshold = value;
      return this;
    }

    /**
     * Sets heartbeatFailurePolicy.
     *
     * @param value alarm (default), rehome or delegate
     * @return this builder
     */
    public Builder heartbeatFailurePolicy(String value) {
      this.heartbeatFailurePolicy = value;
      return this;
    }

    /**
     * Sets heartbeatMaintenanceTimeout.
     *
     * @param value 300-36000 seconds, default 600
     * @return this builder
     */
    public Builder heartbeatMaintenanceTimeout(Integer value) {
      this.heartbeatMaintenanceTimeout = value;
      return this;
    }

    /**
     * Builds the record.
     *
     * @return the record; the compact constructor's checks apply
     */
    public SystemPeerCreate build() {
      return new SystemPeerCreate(
          peerUuid,
          peerName,
          managerEndpoint,
          managerUsername,
          managerPassword,
          peerControllerGatewayAddress,
          administrativeState,
          heartbeatInterval,
          heartbeatFailureThreshold,
          heartbeatFailurePolicy,
          heartbeatMaintenanceTimeout);
    }
  }
}
