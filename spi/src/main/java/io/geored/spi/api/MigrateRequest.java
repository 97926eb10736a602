package io.geored.spi.api;

/**
 * Asks a site to take over (migrate) a peer group. {@link #toString()} never shows the password.
 *
 * @param sysadminPassword the subclouds' sysadmin password, base64-encoded; required
 */
public record MigrateRequest(String sysadminPassword) {
  @Override
  public String toString() {
    return "MigrateRequest[sysadminPassword=" + (sysadminPassword == null ? null : "****") + "]";
  }
}
