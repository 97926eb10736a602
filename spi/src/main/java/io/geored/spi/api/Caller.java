package io.geored.spi.api;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Who makes a {@link SiteApi} call. Several rules differ for a peer site: it may put secondary
 * subclouds into non-primary groups, set a rehome-failed subcloud rehome-pending, update subclouds
 * of groups this site does not own.
 *
 * <p>Three kinds of caller:
 *
 * <ul>
 *   <li>{@link #OPERATOR}: an operator or the host application of this site.
 *   <li>{@link #peerSite(String)}: another site that has proved which system peer it is (the HTTP
 *       server makes one from a peer token). It is <em>confined</em>: it may make only the calls a
 *       peer site makes, on what an association with that system peer covers; anything else is
 *       refused with {@link io.geored.spi.ForbiddenException} and changes nothing.
 *   <li>{@link #PEER_SITE}: a peer site not identified. It is trusted as the code that holds it is
 *       (the host application, a test, the in-process network of the testkit, or an administrator
 *       speaking the peer dialect) and is not confined: it gets the peer rules without the object
 *       checks. A server must never make one for a caller it has not fully trusted.
 * </ul>
 *
 * <p>A peer site writing for a peer group it leads under a witness also carries its <b>leader
 * epoch</b> ({@link #withLeaderEpoch(long)}; on the wire a request header): the receiver refuses a
 * write whose epoch is older than the newest it has seen for the group.
 *
 * <p>Immutable and thread-safe; two callers are equal when they are of the same kind, name the same
 * system peer and carry the same leader epoch.
 */
public final class Caller {

  /** An operator or the host application of this site. */
  public static final Caller OPERATOR = new Caller(false, null, 0);

  /**
   * Another site, not identified: peer rules, no confinement (upstream marks such calls with {@code
   * User-Agent: dcmanager/1.0}).
   */
  public static final Caller PEER_SITE = new Caller(true, null, 0);

  private final boolean peerSite;
  private final String systemPeerUuid;

  /** The leader epoch counter the caller writes under, 0 for none. */
  private final long leaderEpoch;

  private Caller(boolean peerSite, String systemPeerUuid, long leaderEpoch) {
    this.peerSite = peerSite;
    this.systemPeerUuid = systemPeerUuid;
    this.leaderEpoch = leaderEpoch;
  }

  /**
   * Another site that is the given system peer; its calls are confined to peer work on what an
   * association with that system peer covers.
   *
   * @param systemPeerUuid the uuid of the system peer the caller is (compared ignoring case)
   * @return the caller
   * @throws NullPointerException when the uuid is null
   * @throws IllegalArgumentException when the uuid is blank
   */
  public static Caller peerSite(String systemPeerUuid) {
    Objects.requireNonNull(systemPeerUuid, "systemPeerUuid");
    String uuid = systemPeerUuid.strip().toLowerCase(Locale.ROOT);
    if (uuid.isEmpty()) {
      throw new IllegalArgumentException("a peer site caller needs a system peer uuid");
    }
    return new Caller(true, uuid, 0);
  }

  /**
   * The same peer site caller, writing under a leader epoch (the counter of its witness lease for
   * the group the call is about).
   *
   * @param epoch the epoch counter, positive
   * @return the caller carrying the epoch
   * @throws IllegalArgumentException when the epoch is not positive
   * @throws IllegalStateException when this caller is the operator (only peer sites carry epochs)
   */
  public Caller withLeaderEpoch(long epoch) {
    if (epoch <= 0) {
      throw new IllegalArgumentException("leader epoch must be positive, was " + epoch);
    }
    if (!peerSite) {
      throw new IllegalStateException("only a peer site caller carries a leader epoch");
    }
    return new Caller(true, systemPeerUuid, epoch);
  }

  /**
   * The leader epoch the caller writes under.
   *
   * @return the epoch counter, or empty when the caller carries none
   */
  public OptionalLong leaderEpoch() {
    return leaderEpoch == 0 ? OptionalLong.empty() : OptionalLong.of(leaderEpoch);
  }

  /**
   * Whether the call comes from another site, identified or not.
   *
   * @return true for {@link #PEER_SITE} and every {@link #peerSite(String)}
   */
  public boolean isPeerSite() {
    return peerSite;
  }

  /**
   * The system peer an identified peer site is.
   *
   * @return its uuid, lower case; empty for {@link #OPERATOR} and {@link #PEER_SITE}
   */
  public Optional<String> systemPeerUuid() {
    return Optional.ofNullable(systemPeerUuid);
  }

  /**
   * Whether the caller is confined to peer work on what its associations cover.
   *
   * @return true for a caller made by {@link #peerSite(String)}
   */
  public boolean isConfined() {
    return systemPeerUuid != null;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Caller c
        && c.peerSite == peerSite
        && Objects.equals(c.systemPeerUuid, systemPeerUuid)
        && c.leaderEpoch == leaderEpoch;
  }

  @Override
  public int hashCode() {
    return Objects.hash(peerSite, systemPeerUuid, leaderEpoch);
  }

  /**
   * For logs: {@code OPERATOR}, {@code PEER_SITE}, or {@code PEER_SITE[system_peer_uuid=<uuid>]},
   * with {@code leader_epoch=<n>} inside the brackets when the caller carries an epoch.
   *
   * @return the text
   */
  @Override
  public String toString() {
    if (!peerSite) {
      return "OPERATOR";
    }
    String epoch = leaderEpoch == 0 ? "" : "leader_epoch=" + leaderEpoch;
    if (systemPeerUuid == null) {
      return epoch.isEmpty() ? "PEER_SITE" : "PEER_SITE[" + epoch + "]";
    }
    return "PEER_SITE[system_peer_uuid="
        + systemPeerUuid
        + (epoch.isEmpty() ? "" : ", " + epoch)
        + "]";
  }
}
