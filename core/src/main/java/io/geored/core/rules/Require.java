package io.geored.core.rules;

import io.geored.spi.ValidationException;
import java.util.Optional;

/** Turns a failed check into the caller's 400 with its exact message. */
public final class Require {

  private Require() {}

  /**
   * Refuses the request unless a check holds.
   *
   * @param ok the check's outcome
   * @param message the exact text of the refusal
   * @throws ValidationException when the check failed
   */
  public static void that(boolean ok, String message) {
    if (!ok) {
      throw new ValidationException(message);
    }
  }

  /**
   * The value a parse produced, or the refusal.
   *
   * @param parsed the parse's outcome
   * @param message the exact text of the refusal
   * @param <T> the parsed type
   * @return the value
   * @throws ValidationException when the parse produced nothing
   */
  public static <T> T present(Optional<T> parsed, String message) {
    return parsed.orElseThrow(() -> new ValidationException(message));
  }
}
