package io.geored.spi.event;

import java.time.Instant;

/** Something the engine did that a host may log, meter or display. */
public sealed interface GeoredEvent
    permits GeoredEvent.StateChanged, GeoredEvent.Progress, GeoredEvent.Audited {

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

  /**
   * A peer-group audit ran on this site against a peer's copy of the group (it was not skipped),
   * and either went through or failed part-way. Emitted once per audit that ran, when it ends; an
   * audit skipped (one already running for the group, the group migrating here, no local group)
   * emits nothing.
   *
   * @param at when the audit ended
   * @param group the local peer group's name
   * @param peer the system peer's name the audit read the group from
   * @param outcome {@value #SUCCEEDED} or {@value #FAILED}
   * @param detail why it failed (the failure's message), null when it succeeded
   */
  record Audited(Instant at, String group, String peer, String outcome, String detail)
      implements GeoredEvent {

    /** The outcome of an audit that went through. */
    public static final String SUCCEEDED = "succeeded";

    /** The outcome of an audit that failed part-way; what it did before stays. */
    public static final String FAILED = "failed";
  }
}
