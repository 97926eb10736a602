package io.geored.spi.lease;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored lease: who holds the right to do some work alone, and until when. Several instances of
 * the host application sharing one database agree through it on which one runs the work that must
 * happen once (a peer's heartbeat and audits, a group's migration, the availability audit).
 *
 * @param name what the lease is for, e.g. {@code heartbeat:peer-uuid}; unique
 * @param owner the instance holding it
 * @param expiresAt when it lapses unless renewed; after that any instance may take it
 * @param version compare-and-set version: 0 before insert, 1 once stored, incremented by each
 *     update
 */
public record Lease(String name, String owner, Instant expiresAt, long version) {

  /**
   * Checks every part is present.
   *
   * @param name what the lease is for; unique
   * @param owner the instance holding it
   * @param expiresAt when it lapses unless renewed
   * @param version compare-and-set version
   */
  public Lease {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /**
   * Whether the lease still binds others at an instant.
   *
   * @param now the instant, by the asking instance's clock
   * @return true when it expires after {@code now}
   */
  public boolean isActiveAt(Instant now) {
    return expiresAt.isAfter(now);
  }
}
