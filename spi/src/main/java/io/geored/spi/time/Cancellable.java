package io.geored.spi.time;

/** A handle to scheduled work. */
@FunctionalInterface
public interface Cancellable {

  /** Stops future runs; a run in progress completes. Idempotent. */
  void cancel();
}
