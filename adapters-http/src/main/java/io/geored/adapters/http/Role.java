package io.geored.adapters.http;

/**
 * What an authenticated operator may do, as upstream's policy grants it: reads for every role;
 * peers, groups, associations and migration for {@link #ADMIN} and {@link #CONFIGURATOR}; subcloud
 * changes also for {@link #OPERATOR}. A peer site has no role: its principal names the system peer
 * it is ({@link Authenticator.Principal#peer}).
 */
public enum Role {
  /** Everything. */
  ADMIN,
  /** Everything an admin may do through this API. */
  CONFIGURATOR,
  /** Reads, and changes to subclouds. */
  OPERATOR,
  /** Reads only. */
  READER
}
