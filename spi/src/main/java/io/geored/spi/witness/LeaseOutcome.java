package io.geored.spi.witness;

import java.util.Objects;

/**
 * What the witness answered to an acquire or a renewal of a group's lease: granted, held by another
 * site, or (for a renewal) ended without another holder.
 */
public sealed interface LeaseOutcome
    permits LeaseOutcome.Granted, LeaseOutcome.HeldBy, LeaseOutcome.Ended {

  /**
   * The caller holds the lease.
   *
   * @param lease the lease, with its epoch and the request's send time
   */
  record Granted(WitnessLease lease) implements LeaseOutcome {
    /**
     * Checks the lease is present.
     *
     * @param lease the lease
     */
    public Granted {
      Objects.requireNonNull(lease, "lease");
    }
  }

  /**
   * Another site holds the lease (for a renewal: the caller's tenure is over and another began).
   *
   * @param holder the live holder's epoch, naming its site
   */
  record HeldBy(Epoch holder) implements LeaseOutcome {
    /**
     * Checks the holder is present.
     *
     * @param holder the holder's epoch
     */
    public HeldBy {
      Objects.requireNonNull(holder, "holder");
    }

    /**
     * For logs and messages.
     *
     * @return e.g. {@code held by site 8a1f... (epoch 3)}
     */
    @Override
    public String toString() {
      return "held by " + holder;
    }
  }

  /**
   * A renewal came too late: the caller's tenure expired or was released, and no site holds the
   * lease now. The caller must stop acting for the group (it may acquire again, in a new tenure).
   *
   * @param epoch the tenure that ended
   */
  record Ended(Epoch epoch) implements LeaseOutcome {
    /**
     * Checks the epoch is present.
     *
     * @param epoch the tenure that ended
     */
    public Ended {
      Objects.requireNonNull(epoch, "epoch");
    }
  }
}
