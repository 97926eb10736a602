package io.geored.core.failover;

import io.geored.core.internal.SiteContext;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;

/**
 * Audits this site's copy of a peer group against a peer's (DOMAIN.md step 6): follows a migration
 * the peer runs or finished, takes the corrected rehome data back, copies the leader, and settles
 * the associations. Never two audits at once for one group; skipped while this site migrates the
 * group.
 */
public class PeerGroupAudit {

  private final SiteContext context;

  /**
   * Creates the audit.
   *
   * @param context the engine's ports
   */
  public PeerGroupAudit(SiteContext context) {
    this.context = context;
  }

  /**
   * Audits the local group named like the remote one against it.
   *
   * @param peer the system peer the remote group lives on
   * @param remoteGroup the group as the peer holds it
   * @return true when the audit ran (false: skipped, e.g. one already running or migrating here)
   */
  public boolean audit(SystemPeer peer, SubcloudPeerGroup remoteGroup) {
    throw new UnsupportedOperationException("peer group audit");
  }
}
