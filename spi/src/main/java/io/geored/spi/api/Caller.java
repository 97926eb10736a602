package io.geored.spi.api;

/**
 * Who makes a {@link SiteApi} call. Several rules differ for a peer site: it may put secondary
 * subclouds into non-primary groups, set a rehome-failed subcloud rehome-pending, update subclouds
 * of groups this site does not own.
 */
public enum Caller {
  /** An operator or the host application of this site. */
  OPERATOR,
  /** Another site (upstream marks it with {@code User-Agent: dcmanager/1.0}). */
  PEER_SITE;

  /**
   * Whether the call comes from another site.
   *
   * @return true for {@link #PEER_SITE}
   */
  public boolean isPeerSite() {
    return this == PEER_SITE;
  }
}
