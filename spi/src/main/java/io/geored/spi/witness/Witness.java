package io.geored.spi.witness;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One site's client of the witness, the third party that decides which site leads each peer group.
 * The site's uuid is fixed when the client is made; every call is made on its behalf. Thread-safe.
 *
 * <p><b>Leases.</b> Each peer group (by name) has at most one lease holder at a time. Expiry is
 * judged by the witness's own clock only; the holder measures its own {@linkplain
 * WitnessLease#deadlineNanos deadline} from the send time of its last granted request, on its own
 * monotonic clock. Each new tenure gets an {@link Epoch} strictly greater than every earlier one of
 * the group.
 *
 * <p><b>Candidates.</b> A site registers, per group, its priority for taking the group over; the
 * registration stays stored, and is listed only while the site is live at the witness (it calls
 * {@link #keepAlive()} within every TTL).
 *
 * <p>Every method throws {@link WitnessUnavailableException} when the witness cannot be reached,
 * answers an error or does not answer within the client's call timeout.
 */
public interface Witness {

  /**
   * The site this client acts for.
   *
   * @return the site's uuid
   */
  String site();

  /**
   * How long the witness keeps a lease, or a site's liveness, after each renewal, by its clock.
   *
   * @return the TTL
   */
  Duration ttl();

  /**
   * How long a site that took over a lease whose earlier tenure expired (rather than was released)
   * waits before acting: zero where the witness judges expiry on a monotonic clock (etcd, in
   * memory), one TTL where on a wall clock that may jump (a database's {@code CURRENT_TIMESTAMP}).
   * It is already applied in {@link WitnessLease#usableFromNanos()}.
   *
   * @return zero or the TTL
   */
  Duration takeOverWait();

  /**
   * Takes a group's lease when no site holds it (never held, expired or released: a new tenure with
   * a greater epoch), or renews it when this site holds it already (the same tenure, e.g. after
   * this site restarted).
   *
   * @param group the peer group's name
   * @return {@link LeaseOutcome.Granted} with the lease, or {@link LeaseOutcome.HeldBy} naming the
   *     live holder
   * @throws WitnessUnavailableException when the witness cannot answer; the lease may then have
   *     been taken, and is taken again (renewed) by the next acquire
   */
  LeaseOutcome acquire(String group);

  /**
   * Renews a lease this site holds, in the same tenure.
   *
   * @param lease the lease as last granted
   * @return {@link LeaseOutcome.Granted} with the same epoch and this request's send time; {@link
   *     LeaseOutcome.HeldBy} when another tenure holds it (another site's, or a newer one of this
   *     site's); {@link LeaseOutcome.Ended} when the tenure expired or was released and nobody
   *     holds the lease
   * @throws WitnessUnavailableException when the witness cannot answer; the deadline of the lease
   *     last granted still applies
   */
  LeaseOutcome renew(WitnessLease lease);

  /**
   * Gives up a lease this site holds, so another site may take it at once; does nothing when the
   * tenure is already over. The caller must have stopped acting for the group first.
   *
   * @param lease the lease as last granted
   * @throws WitnessUnavailableException when the witness cannot answer; the lease then expires by
   *     itself
   */
  void release(WitnessLease lease);

  /**
   * The live holder of a group's lease, as the witness sees it now.
   *
   * @param group the peer group's name
   * @return the holder's epoch, or empty when nobody holds it
   */
  Optional<Epoch> holder(String group);

  /**
   * The newest epoch ever granted for a group, whether or not its tenure is still live.
   *
   * @param group the peer group's name
   * @return the epoch, or empty when the group's lease was never taken
   */
  Optional<Epoch> latestEpoch(String group);

  /**
   * Keeps this site live at the witness for one TTL from now: its candidate registrations are
   * listed until then.
   *
   * @throws WitnessUnavailableException when the witness cannot answer
   */
  void keepAlive();

  /**
   * Registers this site as a candidate to lead a group, or changes its priority; stored until
   * {@link #withdraw}, listed while this site is live.
   *
   * @param group the peer group's name
   * @param priority this site's priority for the group, 0 or more (lower is better)
   * @throws IllegalArgumentException when the priority is negative
   * @throws WitnessUnavailableException when the witness cannot answer
   */
  void register(String group, int priority);

  /**
   * Removes this site's registration for a group; does nothing when there is none.
   *
   * @param group the peer group's name
   * @throws WitnessUnavailableException when the witness cannot answer
   */
  void withdraw(String group);

  /**
   * The registered candidates of a group whose sites are live at the witness now.
   *
   * @param group the peer group's name
   * @return best first, as {@link Candidate#BEST_FIRST} orders them
   */
  List<Candidate> candidates(String group);
}
