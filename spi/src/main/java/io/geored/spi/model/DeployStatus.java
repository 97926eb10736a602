package io.geored.spi.model;

import java.util.Optional;

/**
 * Where a subcloud's deployment or rehoming stands. A transitory state (work in progress) knows the
 * failed state it becomes when the service restarts in the middle of it.
 */
public enum DeployStatus implements WireValue {
  /** Deployed and ready. */
  COMPLETE(null),
  /** A copy held by the non-leading site, unmanaged and offline. */
  SECONDARY(null),
  /** Adding the secondary copy failed. */
  SECONDARY_FAILED(null),
  /** The leading site is handing the subcloud over; unmanaged. */
  REHOME_PENDING(null),
  /** Rehoming is being prepared. */
  PRE_REHOME("rehome-prep-failed"),
  /** Rehoming runs. */
  REHOMING("rehome-failed"),
  /** Rehoming failed. */
  REHOME_FAILED(null),
  /** Rehoming could not even start (no rehome data, bad payload). */
  REHOME_PREP_FAILED(null),
  /** Registered, deployment not started. */
  NOT_DEPLOYED("create-failed"),
  /** Being created. */
  CREATING("create-failed"),
  /** Creation failed. */
  CREATE_FAILED(null),
  /** Install being prepared. */
  PRE_INSTALL("pre-install-failed"),
  /** Install preparation failed. */
  PRE_INSTALL_FAILED(null),
  /** Installing. */
  INSTALLING("install-failed"),
  /** Install being aborted. */
  ABORTING_INSTALL("install-failed"),
  /** Install failed. */
  INSTALL_FAILED(null),
  /** Bootstrap being prepared. */
  PRE_BOOTSTRAP("pre-bootstrap-failed"),
  /** Bootstrap preparation failed. */
  PRE_BOOTSTRAP_FAILED(null),
  /** Bootstrapping. */
  BOOTSTRAPPING("bootstrap-failed"),
  /** Bootstrap being aborted. */
  ABORTING_BOOTSTRAP("bootstrap-failed"),
  /** Bootstrap failed. */
  BOOTSTRAP_FAILED(null),
  /** Configuration being prepared. */
  PRE_CONFIG("pre-config-failed"),
  /** Configuration preparation failed. */
  PRE_CONFIG_FAILED(null),
  /** Configuring. */
  CONFIGURING("config-failed"),
  /** Configuration being aborted. */
  ABORTING_CONFIG("config-failed"),
  /** Deploying. */
  DEPLOYING("config-failed"),
  /** Configuration failed. */
  CONFIG_FAILED(null),
  /** Deployment being prepared. */
  PRE_DEPLOY("pre-config-failed"),
  /** Data migration (upgrade) runs. */
  MIGRATING_DATA("data-migration-failed"),
  /** Data migration failed. */
  DATA_MIGRATION_FAILED(null),
  /** Restore being prepared. */
  PRE_RESTORE("restore-prep-failed"),
  /** Restore preparation failed. */
  RESTORE_PREP_FAILED(null),
  /** Restoring. */
  RESTORING("restore-failed"),
  /** Restore failed. */
  RESTORE_FAILED(null);

  private final String wire = WireValue.wireOf(name());
  private final String failedWire;

  DeployStatus(String failedWire) {
    this.failedWire = failedWire;
  }

  @Override
  public String wire() {
    return wire;
  }

  /**
   * Whether this state means work in progress, which a restart interrupts.
   *
   * @return true when {@link #failedState()} is present
   */
  public boolean isTransitory() {
    return failedWire != null;
  }

  /**
   * The state a restart in the middle of this one leaves: e.g. rehoming becomes rehome-failed.
   *
   * @return the failed state, or empty for a state that is not transitory
   */
  public Optional<DeployStatus> failedState() {
    return failedWire == null ? Optional.empty() : fromWire(failedWire);
  }

  /**
   * Reads a wire value, ignoring case.
   *
   * @param value the text, may be null
   * @return the constant, or empty when the text names none
   */
  public static Optional<DeployStatus> fromWire(String value) {
    return WireValue.parse(DeployStatus.class, value);
  }
}
