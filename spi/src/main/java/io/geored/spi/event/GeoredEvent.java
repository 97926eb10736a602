package io.geored.spi.event;

import java.time.Instant;

/** Something the engine did that a host may log, meter or display. */
public sealed interface GeoredEvent permits GeoredEvent.StateChanged, GeoredEvent.Progress {

  /**
   * When it happened, by the engine's clock.
   *
   * @return the instant
   */
  Instant at();

  /**
   * A state field of a resource changed.
   *
   * @param at when
   * @param resource the kind: {@code subcloud}, {@code peer_group}, {@code association}, {@code
   *     system_peer}
   * @param name the resource's name (an association: its id)
   * @param field the field, e.g. {@code deploy_status}
   * @param from the old value's wire spelling, may be null
   * @param to the new value's wire spelling, may be null
   */
  record StateChanged(
      Instant at, String resource, String name, String field, String from, String to)
      implements GeoredEvent {}

  /**
   * A long operation moved on.
   *
   * @param at when
   * @param operation e.g. {@code sync} or {@code migrate}
   * @param subject what it works on, e.g. the peer group's name
   * @param done items finished
   * @param total items in all
   * @param detail what just happened, may be null
   */
  record Progress(Instant at, String operation, String subject, int done, int total, String detail)
      implements GeoredEvent {}
}
