package io.geored.spi.work;

import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import java.util.concurrent.CompletionStage;

/**
 * Does the real work of adopting one subcloud from another site (in StarlingX, the bootstrap
 * playbook run against the subcloud). The engine calls it at most {@code max_subcloud_rehoming}
 * times at once per group.
 */
@FunctionalInterface
public interface SubcloudRehomer {

  /**
   * Starts rehoming a subcloud. The stage completes when the work ends; completing exceptionally
   * counts as a failure with the exception's message.
   *
   * @param subcloud the subcloud, in state rehoming
   * @param rehomeData its rehome data, with this site's gateway address
   * @param sysadminPassword the sysadmin password given to the migrate request, itself (the HTTP
   *     API's base64 already decoded); never log it
   * @return the outcome, later
   */
  CompletionStage<RehomeOutcome> rehome(
      Subcloud subcloud, RehomeData rehomeData, String sysadminPassword);
}
