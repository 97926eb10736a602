package io.geored.spi.work;

import io.geored.spi.model.Subcloud;

/**
 * Tells the rest of the host that a subcloud's state changed (in StarlingX, the state RPC to the
 * audit and orchestration services).
 */
public interface SubcloudStateListener {

  /**
   * The management state changed. Throwing refuses the change: the engine reverts the subcloud's
   * management state and deploy status and tells the caller.
   *
   * @param before the subcloud before
   * @param after the subcloud after, already stored
   */
  void managementStateChanged(Subcloud before, Subcloud after);

  /**
   * The availability changed. A failure here does not undo the change.
   *
   * @param before the subcloud before
   * @param after the subcloud after, already stored
   */
  default void availabilityChanged(Subcloud before, Subcloud after) {}

  /** A listener that does nothing. */
  SubcloudStateListener NONE = (before, after) -> {};
}
