package io.geored.spi.model;

import java.time.Instant;

/**
 * Another site as seen from this one: where to reach it and how to watch it.
 *
 * <p>The manager password is held as the cipher's output, never in clear; {@link #toString()} masks
 * it and answers of the API carry {@link Secret#NONE}. Every stored record carries {@code version}:
 * stores compare it on update and increment it (compare-and-set). An unsaved record has id 0 and
 * version 0.
 *
 * @param id store identity, 0 before insert
 * @param peerUuid the peer system's uuid
 * @param peerName a unique name
 * @param managerEndpoint base URL of the peer's dcmanager API
 * @param managerUsername user name on the peer
 * @param managerPassword the password as encrypted by the cipher port, or {@link Secret#NONE}
 * @param peerControllerGatewayIp the peer's gateway address written into subcloud payloads synced
 *     there
 * @param administrativeState enabled or disabled; a disabled peer is not heartbeaten and counts as
 *     unavailable (see {@link #isAvailable()})
 * @param heartbeatInterval seconds between heartbeats, 10-600
 * @param heartbeatFailureThreshold failed beats in a row before the peer is unavailable, 1-30
 * @param heartbeatFailurePolicy what a lost peer triggers
 * @param heartbeatMaintenanceTimeout seconds, 300-36000 (kept, no behaviour)
 * @param availabilityState the monitor's view of the peer
 * @param createdAt when it was created
 * @param updatedAt when it was last updated, null if never
 * @param version compare-and-set version
 */
public record SystemPeer(
    long id,
    String peerUuid,
    String peerName,
    String managerEndpoint,
    String managerUsername,
    Secret managerPassword,
    String peerControllerGatewayIp,
    AdministrativeState administrativeState,
    int heartbeatInterval,
    int heartbeatFailureThreshold,
    HeartbeatFailurePolicy heartbeatFailurePolicy,
    int heartbeatMaintenanceTimeout,
    PeerAvailability availabilityState,
    Instant createdAt,
    Instant updatedAt,
    long version) {

  /**
   * Validates the components and copies collections.
   *
   * @param id store identity, 0 before insert
   * @param peerUuid the peer system's uuid
   * @param peerName a unique name
   * @param managerEndpoint base URL of the peer's dcmanager API
   * @param managerUsername user name on the peer
   * @param managerPassword the password as encrypted by the cipher port, or {@link Secret#NONE}
   * @param peerControllerGatewayIp the peer's gateway address written into subcloud payloads synced
   *     there
   * @param administrativeState enabled or disabled; a disabled peer is not heartbeaten and counts
   *     as unavailable (see {@link #isAvailable()})
   * @param heartbeatInterval seconds between heartbeats, 10-600
   * @param heartbeatFailureThreshold failed beats in a row before the peer is unavailable, 1-30
   * @param heartbeatFailurePolicy what a lost peer triggers
   * @param heartbeatMaintenanceTimeout seconds, 300-36000 (kept, no behaviour)
   * @param availabilityState the monitor's view of the peer
   * @param createdAt when it was created
   * @param updatedAt when it was last updated, null if never
   * @param version compare-and-set version
   */
  public SystemPeer {
    if (managerPassword == null) {
      managerPassword = Secret.NONE;
    }
  }

  /**
   * Whether a rule that needs the peer may count on it: the monitor's heartbeats found it available
   * and the operator has not set it disabled. Every rule that asks whether a peer is available asks
   * this (the subcloud update rules of a non-primary site, the hand-over and the end of a
   * migration, a pushed group change); a disabled peer counts as unavailable whatever its stored
   * availability says.
   *
   * @return true when the availability is {@link PeerAvailability#AVAILABLE} and the administrative
   *     state is not {@link AdministrativeState#DISABLED}
   */
  public boolean isAvailable() {
    return availabilityState == PeerAvailability.AVAILABLE
        && administrativeState != AdministrativeState.DISABLED;
  }

  /**
   * A builder holding this record's values, to change some of them.
   *
   * @return a new builder, never null
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.peerUuid = peerUuid;
    b.peerName = peerName;
    b.managerEndpoint = managerEndpoint;
    b.managerUsername = managerUsername;
    b.managerPassword = managerPassword;
    b.peerControllerGatewayIp = peerControllerGatewayIp;
    b.administrativeState = administrativeState;
    b.heartbeatInterval = heartbeatInterval;
    b.heartbeatFailureThreshold = heartbeatFailureThreshold;
    b.heartbeatFailurePolicy = heartbeatFailurePolicy;
    b.heartbeatMaintenanceTimeout = heartbeatMaintenanceTimeout;
    b.availabilityState = availabilityState;
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

  /** Never shows secrets: managerPassword are masked. */
  @Override
  public String toString() {
    return "SystemPeer["
        + "id="
        + id
        + ", "
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
        + "peerControllerGatewayIp="
        + peerControllerGatewayIp
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
        + ", "
        + "availabilityState="
        + availabilityState
        + ", "
        + "createdAt="
        + createdAt
        + ", "
        + "updatedAt="
        + updatedAt
        + ", "
        + "version="
        + version
        + "]";
  }

  /** Builds a {@link SystemPeer}; not thread-safe. */
  public static final class Builder {
    private long id;
    private String peerUuid;
    private String peerName;
    private String managerEndpoint;
    private String managerUsername;
    private Secret managerPassword;
    private String peerControllerGatewayIp;
    private AdministrativeState administrativeState;
    private int heartbeatInterval;
    private int heartbeatFailureThreshold;
    private HeartbeatFailurePolicy heartbeatFailurePolicy;
    private int heartbeatMaintenanceTimeout;
    private PeerAvailability availabilityState;
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
     * Sets peerUuid.
     *
     * @param value the peer system's uuid
     * @return this builder
     */
    public Builder peerUuid(String value) {
      this.peerUuid = value;
      return this;
    }

    /**
     * Sets peerName.
     *
     * @param value a unique name
     * @return this builder
     */
    public Builder peerName(String value) {
      this.peerName = value;
      return this;
    }

    /**
     * Sets managerEndpoint.
     *
     * @param value base URL of the peer's dcmanager API
     * @return this builder
     */
    public Builder managerEndpoint(String value) {
      this.managerEndpoint = value;
      return this;
    }

    /**
     * Sets managerUsername.
     *
     * @param value user name on the peer
     * @return this builder
     */
    public Builder managerUsername(String value) {
      this.managerUsername = value;
      return this;
    }

    /**
     * Sets managerPassword.
     *
     * @param value the password as encrypted by the cipher port, or {@link Secret#NONE}
     * @return this builder
     */
    public Builder managerPassword(Secret value) {
      this.managerPassword = value;
      return this;
    }

    /**
     * Sets peerControllerGatewayIp.
     *
     * @param value the peer's gateway address written into subcloud payloads synced there
     * @return this builder
     */
    public Builder peerControllerGatewayIp(String value) {
      this.peerControllerGatewayIp = value;
      return this;
    }

    /**
     * Sets administrativeState.
     *
     * @param value enabled or disabled (kept, no behaviour)
     * @return this builder
     */
    public Builder administrativeState(AdministrativeState value) {
      this.administrativeState = value;
      return this;
    }

    /**
     * Sets heartbeatInterval.
     *
     * @param value seconds between heartbeats, 10-600
     * @return this builder
     */
    public Builder heartbeatInterval(int value) {
      this.heartbeatInterval = value;
      return this;
    }

    /**
     * Sets heartbeatFailureThreshold.
     *
     * @param value failed beats in a row before the peer is unavailable, 1-30
     * @return this builder
     */
    public Builder heartbeatFailureThreshold(int value) {
      this.heartbeatFailureThreshold = value;
      return this;
    }

    /**
     * Sets heartbeatFailurePolicy.
     *
     * @param value what a lost peer triggers
     * @return this builder
     */
    public Builder heartbeatFailurePolicy(HeartbeatFailurePolicy value) {
      this.heartbeatFailurePolicy = value;
      return this;
    }

    /**
     * Sets heartbeatMaintenanceTimeout.
     *
     * @param value seconds, 300-36000 (kept, no behaviour)
     * @return this builder
     */
    public Builder heartbeatMaintenanceTimeout(int value) {
      this.heartbeatMaintenanceTimeout = value;
      return this;
    }

    /**
     * Sets availabilityState.
     *
     * @param value the monitor's view of the peer
     * @return this builder
     */
    public Builder availabilityState(PeerAvailability value) {
      this.availabilityState = value;
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
    public SystemPeer build() {
      return new SystemPeer(
          id,
          peerUuid,
          peerName,
          managerEndpoint,
          managerUsername,
          managerPassword,
          peerControllerGatewayIp,
          administrativeState,
          heartbeatInterval,
          heartbeatFailureThreshold,
          heartbeatFailurePolicy,
          heartbeatMaintenanceTimeout,
          availabilityState,
          createdAt,
          updatedAt,
          version);
    }
  }
}
