package io.geored.spi.event;

/**
 * Hears every state change and the progress of long operations. Called on the engine's threads;
 * must be quick and thread-safe. An exception thrown here is logged and ignored.
 */
@FunctionalInterface
public interface GeoredEventListener {

  /**
   * One event.
   *
   * @param event the event
   */
  void onEvent(GeoredEvent event);

  /** A listener that does nothing. */
  GeoredEventListener NONE = event -> {};
}
