package io.geored.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * A secret read from a file named in the configuration ({@code keystone.password-file}, {@code
 * witness.jdbc.password-file}, {@code failover.sysadmin-password-file}): the whole file without its
 * line ending, UTF-8. The file must be readable by its owner only (no group or other permission,
 * where the file system has POSIX permissions), as a secret's file should be; anything else stops
 * the start with one line naming the key and the file — never its content.
 */
final class PasswordFile {

  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE);

  private PasswordFile() {}

  /**
   * Reads the secret.
   *
   * @param key the configuration key that names the file, for the messages
   * @param file the file
   * @return the secret, not empty
   * @throws SiteStartException when the file cannot be read, is empty, or others may read it
   */
  static String read(String key, Path file) {
    String where = key + " " + file.toAbsolutePath().normalize();
    try {
      if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(permissions)) {
          throw new SiteStartException(
              where
                  + " may be read by others (permissions "
                  + PosixFilePermissions.toString(permissions)
                  + "): make it readable by its owner only (chmod 600)",
              null);
        }
      }
      String text = Files.readString(file, StandardCharsets.UTF_8);
      String password = text.replaceAll("[\\r\\n]+$", "");
      if (password.isEmpty()) {
        throw new SiteStartException(where + " is empty", null);
      }
      return password;
    } catch (IOException e) {
      throw new SiteStartException(
          where + " cannot be read: " + e.getClass().getSimpleName(), null);
    }
  }
}
