package io.geored.spi.api;

/**
 * Asks a site to take over (migrate) a peer group. {@link #toString()} never shows the password.
 *
 * @param sysadminPassword the subclouds' sysadmin password itself (not encoded); required. On the
 *     wire it travels base64-encoded, as dcmanager's clients send it: the HTTP client encodes it
 *     once and the HTTP server decodes it, so a rehomer gets what the caller gave
 */
public record MigrateRequest(String sysadminPassword) {
  @Override
  public String toString() {
    return "MigrateRequest[sysadminPassword=" + (sysadminPassword == null ? null : "****") + "]";
  }
}
