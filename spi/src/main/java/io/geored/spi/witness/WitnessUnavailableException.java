package io.geored.spi.witness;

import io.geored.spi.GeoredException;

/**
 * The witness could not be reached, or answered an error, or did not answer in time. The outcome of
 * a write is then unknown: a lease may or may not have been taken or renewed. A holder therefore
 * counts its deadline from its last renewal known to have succeeded, and a site that may have taken
 * a lease asks again before acting.
 */
public class WitnessUnavailableException extends GeoredException {

  /**
   * Creates the exception.
   *
   * @param message what was asked and of which witness, never a credential
   * @param cause the client's own failure, may be null
   */
  public WitnessUnavailableException(String message, Throwable cause) {
    super(Kind.UNPROCESSABLE, message, cause);
  }
}
