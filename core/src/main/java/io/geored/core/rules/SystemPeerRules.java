package io.geored.core.rules;

import io.geored.spi.model.AdministrativeState;
import io.geored.spi.model.HeartbeatFailurePolicy;

/** Limits and defaults of a system peer's fields (upstream dcmanager's). */
public final class SystemPeerRules {

  /** Longest endpoint, user name, password and gateway address, in characters. */
  public static final int MAX_TEXT_LENGTH = 254;

  /** Shortest heartbeat interval, seconds. */
  public static final int MIN_HEARTBEAT_INTERVAL = 10;

  /** Longest heartbeat interval, seconds. */
  public static final int MAX_HEARTBEAT_INTERVAL = 600;

  /** Heartbeat interval when none is given, seconds. */
  public static final int DEFAULT_HEARTBEAT_INTERVAL = 60;

  /** Fewest failed beats before the peer is unavailable. */
  public static final int MIN_FAILURE_THRESHOLD = 1;

  /** Most failed beats before the peer is unavailable. */
  public static final int MAX_FAILURE_THRESHOLD = 30;

  /** Failure threshold when none is given. */
  public static final int DEFAULT_FAILURE_THRESHOLD = 3;

  /** Shortest maintenance timeout, seconds. */
  public static final int MIN_MAINTENANCE_TIMEOUT = 300;

  /** Longest maintenance timeout, seconds. */
  public static final int MAX_MAINTENANCE_TIMEOUT = 36000;

  /** Maintenance timeout when none is given, seconds. */
  public static final int DEFAULT_MAINTENANCE_TIMEOUT = 600;

  /** Administrative state when none is given. */
  public static final AdministrativeState DEFAULT_ADMINISTRATIVE_STATE =
      AdministrativeState.ENABLED;

  /** Failure policy when none is given. */
  public static final HeartbeatFailurePolicy DEFAULT_FAILURE_POLICY = HeartbeatFailurePolicy.ALARM;

  private SystemPeerRules() {}
}
