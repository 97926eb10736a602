package io.geored.spi.api;

import java.util.Optional;

/**
 * A site's answer to a peer's audit request.
 *
 * @param message null when the audit ran; otherwise why it did not (docs/messages.md)
 */
public record AuditAnswer(String message) {

  /** The answer of an audit that ran. */
  public static final AuditAnswer RAN = new AuditAnswer(null);

  /**
   * Why the audit did not run.
   *
   * @return the reason, or empty when it ran
   */
  public Optional<String> reason() {
    return Optional.ofNullable(message);
  }
}
