package io.geored.adapters.http;

/**
 * What an authenticated caller may do, as upstream's policy grants it: reads for every role but
 * {@link #PEER}'s limits; peers, groups, associations and migration for {@link #ADMIN} and {@link
 * #CONFIGURATOR}; subcloud changes also for {@link #OPERATOR}; the calls another site makes for
 * {@link #PEER}.
 */
public enum Role {
  /** Everything. */
  ADMIN,
  /** Everything an admin may do through this API. */
  CONFIGURATOR,
  /** Reads, and changes to subclouds. */
  OPERATOR,
  /** Reads only. */
  READER,
  /** Another site: the calls REST-DIALECT.md lists as a peer's, and the identity. */
  PEER
}
