package io.geored.spi.witness;

import java.util.Objects;

/**
 * The fencing token of one tenure of a group's witness lease: a counter that every new tenure of
 * the group makes strictly greater than all earlier ones (across holders and restarts), and the
 * site holding it. Renewals keep the epoch. Epochs of one group are ordered by their counter; the
 * counters need not be consecutive.
 *
 * @param counter the tenure's counter, positive
 * @param site the holding site's uuid
 */
public record Epoch(long counter, String site) implements Comparable<Epoch> {

  /**
   * Checks the parts.
   *
   * @param counter the tenure's counter, positive
   * @param site the holding site's uuid, not blank
   * @throws IllegalArgumentException when the counter is not positive or the site is blank
   */
  public Epoch {
    Objects.requireNonNull(site, "site");
    if (counter <= 0) {
      throw new IllegalArgumentException("epoch counter must be positive, was " + counter);
    }
    if (site.isBlank()) {
      throw new IllegalArgumentException("epoch site must not be blank");
    }
  }

  /**
   * Orders by counter, then by site (two epochs of one group never share a counter).
   *
   * @param other another epoch of the same group
   * @return negative, zero or positive as this one is older, the same or newer
   */
  @Override
  public int compareTo(Epoch other) {
    int byCounter = Long.compare(counter, other.counter);
    return byCounter != 0 ? byCounter : site.compareTo(other.site);
  }

  /**
   * Whether this tenure came after another.
   *
   * @param other another epoch of the same group
   * @return true when this counter is greater
   */
  public boolean isNewerThan(Epoch other) {
    return counter > other.counter;
  }

  /**
   * For logs and messages: the site and the counter.
   *
   * @return e.g. {@code site 8a1f... (epoch 3)}
   */
  @Override
  public String toString() {
    return "site " + site + " (epoch " + counter + ")";
  }
}
