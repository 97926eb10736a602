package io.geored.spi.secret;

import java.util.Optional;

/**
 * Where an automatic migration (heartbeat failure policy {@code rehome} or {@code delegate}) gets
 * the sysadmin password an operator would give to migrate a peer group. The password stays in
 * memory only: never stored, logged or answered.
 */
@FunctionalInterface
public interface SysadminPasswords {

  /** Knows no password: automatic migrations are not started, and the alarm stays raised. */
  SysadminPasswords NONE = group -> Optional.empty();

  /**
   * The sysadmin password to migrate a group with.
   *
   * @param peerGroupName the group's name
   * @return the password, or empty when none is known
   */
  Optional<String> forGroup(String peerGroupName);
}
