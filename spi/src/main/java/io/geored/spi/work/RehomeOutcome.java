package io.geored.spi.work;

/** What rehoming one subcloud came to. */
public sealed interface RehomeOutcome permits RehomeOutcome.Rehomed, RehomeOutcome.Failed {

  /** The subcloud now answers to this site. */
  record Rehomed() implements RehomeOutcome {}

  /**
   * The rehome failed.
   *
   * @param errorDescription why, shown as the subcloud's error description
   */
  record Failed(String errorDescription) implements RehomeOutcome {}
}
