package io.geored.core.rules;

import io.geored.spi.model.GroupState;

/** Limits and defaults of a subcloud peer group's fields, and of an association's priority. */
public final class PeerGroupRules {

  /** The priority of a group on the site that owns it. */
  public static final int PRIMARY_PRIORITY = 0;

  /** Largest group priority (the lowest rank). */
  public static final int MAX_GROUP_PRIORITY = 65536;

  /** Fewest subclouds rehomed at once. */
  public static final int MIN_SUBCLOUD_REHOMING = 1;

  /** Most subclouds rehomed at once. */
  public static final int MAX_SUBCLOUD_REHOMING = 250;

  /** Subclouds rehomed at once when none is given. */
  public static final int DEFAULT_SUBCLOUD_REHOMING = 10;

  /** Group state when none is given. */
  public static final GroupState DEFAULT_GROUP_STATE = GroupState.ENABLED;

  /** Smallest priority an association gives the group on the peer site. */
  public static final int MIN_ASSOCIATION_PRIORITY = 1;

  /** Largest priority an association gives the group on the peer site. */
  public static final int MAX_ASSOCIATION_PRIORITY = 65536;

  private PeerGroupRules() {}

  /**
   * Whether a group priority marks the group as owned by this site.
   *
   * @param groupPriority the group's priority
   * @return true for priority 0
   */
  public static boolean isPrimary(int groupPriority) {
    return groupPriority == PRIMARY_PRIORITY;
  }
}
