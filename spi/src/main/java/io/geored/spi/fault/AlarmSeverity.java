package io.geored.spi.fault;

/** How serious an alarm is. */
public enum AlarmSeverity {
  /** Needs attention soon. */
  MAJOR,
  /** Needs attention now: peer groups are affected. */
  CRITICAL
}
