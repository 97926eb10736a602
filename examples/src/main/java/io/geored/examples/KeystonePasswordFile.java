package io.geored.examples;

import java.nio.file.Path;

/**
 * The Keystone service user's password, read from {@code keystone.password-file} (see {@link
 * PasswordFile}: readable by its owner only, never shown).
 */
final class KeystonePasswordFile {

  private KeystonePasswordFile() {}

  /**
   * Reads the password.
   *
   * @param file the file
   * @return the password, not empty
   * @throws SiteStartException when the file cannot be read, is empty, or others may read it
   */
  static String read(Path file) {
    return PasswordFile.read("keystone.password-file", file);
  }
}
