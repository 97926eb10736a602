package io.geored.spi.witness;

import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;

/**
 * A site that may lead a peer group, as registered at the witness: its uuid and its priority for
 * the group (0 for the primary copy, a non-primary copy's group priority otherwise; lower is
 * better).
 *
 * @param site the site's uuid
 * @param priority its priority for the group, 0 or more
 */
public record Candidate(String site, int priority) {

  /**
   * The order in which candidates take a group over: lowest priority first, equal priorities by the
   * lower site uuid (compared as its lower-case text).
   */
  public static final Comparator<Candidate> BEST_FIRST =
      Comparator.comparingInt(Candidate::priority)
          .thenComparing(c -> c.site().toLowerCase(Locale.ROOT));

  /**
   * Checks the parts.
   *
   * @param site the site's uuid, not blank
   * @param priority its priority, 0 or more
   * @throws IllegalArgumentException when the site is blank or the priority negative
   */
  public Candidate {
    Objects.requireNonNull(site, "site");
    if (site.isBlank()) {
      throw new IllegalArgumentException("candidate site must not be blank");
    }
    if (priority < 0) {
      throw new IllegalArgumentException("candidate priority must be 0 or more, was " + priority);
    }
  }
}
