package io.geored.spi.api;

import java.util.Objects;
import java.util.Optional;

/**
 * An answer with an optional note for the operator, e.g. that an update put a peer group out of
 * sync and which sync commands to run.
 *
 * @param value the resource answered, not null
 * @param infoMessage the note, or null when there is none
 * @param <T> the resource type
 */
public record WithInfo<T>(T value, String infoMessage) {

  /**
   * Checks the value is present and turns an empty note into none.
   *
   * @param value the resource answered, not null
   * @param infoMessage the note, or null when there is none
   */
  public WithInfo {
    Objects.requireNonNull(value, "value");
    if (infoMessage != null && infoMessage.isEmpty()) {
      infoMessage = null;
    }
  }

  /**
   * An answer without a note.
   *
   * @param value the resource
   * @param <T> its type
   * @return the answer
   */
  public static <T> WithInfo<T> of(T value) {
    return new WithInfo<>(value, null);
  }

  /**
   * The note.
   *
   * @return the note, or empty
   */
  public Optional<String> info() {
    return Optional.ofNullable(infoMessage);
  }
}
