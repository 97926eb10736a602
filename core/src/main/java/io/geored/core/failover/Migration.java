package io.geored.core.failover;

import io.geored.core.internal.SiteContext;
import io.geored.spi.api.Caller;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import java.util.List;

/**
 * Takes a peer group over on this site (DOMAIN.md step 5): checks the request, then in the
 * background hands every eligible subcloud over from the peers and rehomes it, at most
 * max_subcloud_rehoming at once; whatever the outcome, this site leads the group afterwards and the
 * peers are asked to audit it.
 */
public class Migration {

  private final SiteContext context;

  /**
   * Creates the migration.
   *
   * @param context the engine's ports
   */
  public Migration(SiteContext context) {
    this.context = context;
  }

  /**
   * The migrate verb: refuses with MESSAGES.md's answers, or answers the members that will be
   * migrated and starts the batch in the background.
   *
   * @param caller who asks
   * @param ref the group's id or name
   * @param request the sysadmin password
   * @return the members that will be migrated
   */
  public List<Subcloud> request(Caller caller, String ref, MigrateRequest request) {
    throw new UnsupportedOperationException("migration");
  }

  /**
   * Finishes, after a restart, a migration this site left running: the group was closed by restart
   * recovery (complete, led here); the peers are asked to audit it and alarm 280.005 is cleared
   * when its priority is 0.
   *
   * @param group the group as recovery left it
   */
  public void completeInterrupted(SubcloudPeerGroup group) {
    // Filled in by the failover work.
  }
}
