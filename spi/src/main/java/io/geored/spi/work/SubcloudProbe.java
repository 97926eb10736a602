package io.geored.spi.work;

import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.Subcloud;
import java.util.concurrent.CompletionStage;

/** Asks whether a subcloud is reachable, for the availability audit. */
@FunctionalInterface
public interface SubcloudProbe {

  /**
   * Probes a subcloud. Completing exceptionally counts as offline.
   *
   * @param subcloud the subcloud
   * @return online or offline, later
   */
  CompletionStage<AvailabilityStatus> probe(Subcloud subcloud);
}
