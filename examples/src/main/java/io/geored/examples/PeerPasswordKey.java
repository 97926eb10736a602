package io.geored.examples;

import io.geored.core.secret.AesGcmPasswordCipher;
import io.geored.spi.model.Secret;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.SystemPeerStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone site's key for stored peer passwords, and the start-up pass that makes every
 * stored password encrypted under it.
 *
 * <p>The key is {@code cipher.key} when configured, otherwise the key file {@value #FILE_NAME} in
 * the database folder: created on the first start (32 random bytes, base64, owner-only permissions)
 * and read on every later one. A database holding encrypted passwords whose key file is missing
 * does not start: a new key would leave them unreadable for good. See
 * docs/adr/0015-standalone-key-file.md.
 */
final class PeerPasswordKey {

  private static final Logger LOG = LoggerFactory.getLogger(PeerPasswordKey.class);

  /** The key file's name in the database folder. */
  static final String FILE_NAME = "peer-password.key";

  /** The command-line option that clears stored passwords no key can read. */
  static final String FORGET_OPTION = "--forget-unreadable-peer-passwords";

  private static final int KEY_BYTES = 32;

  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private PeerPasswordKey() {}

  /**
   * The cipher of this site, after every stored password was made readable by it: passwords in
   * clear (or in the unmarked form of earlier versions) are encrypted again under it.
   *
   * @param config the site's configuration
   * @param peers the stored system peers
   * @param forgetUnreadable clear stored passwords the key cannot decrypt instead of refusing
   * @return the cipher the engine uses
   * @throws SiteStartException when the key file is missing for encrypted passwords, unreadable, or
   *     the key decrypts not every stored password
   */
  static AesGcmPasswordCipher prepare(
      SiteConfig config, SystemPeerStore peers, boolean forgetUnreadable) {
    Path file = config.databaseFolder().toAbsolutePath().normalize().resolve(FILE_NAME);
    String source = config.cipherKey().isPresent() ? "cipher.key" : "the key file " + file;
    Optional<byte[]> key = config.cipherKey();
    if (key.isEmpty() && Files.exists(file)) {
      key = Optional.of(read(file));
    }
    if (key.isEmpty()) {
      boolean encryptedRows =
          peers.findAll().stream()
              .anyMatch(p -> AesGcmPasswordCipher.isMarked(p.managerPassword().reveal()));
      if (encryptedRows && !forgetUnreadable) {
        throw new SiteStartException(
            "the database holds encrypted peer passwords but the key file "
                + file
                + " is missing: restore it from a backup, or start once with "
                + FORGET_OPTION
                + " and enter the peers' manager passwords again",
            null);
      }
      key = Optional.of(create(file));
    }
    AesGcmPasswordCipher cipher = new AesGcmPasswordCipher(key.get());
    int encrypted = 0;
    int forgotten = 0;
    for (SystemPeer peer : peers.findAll()) {
      String stored = peer.managerPassword().reveal();
      if (stored.isEmpty()) {
        continue;
      }
      Optional<String> plain = decrypt(cipher, stored);
      String replacement;
      if (AesGcmPasswordCipher.isMarked(stored)) {
        if (plain.isPresent()) {
          continue; // already encrypted under this key
        }
        if (!forgetUnreadable) {
          throw new SiteStartException(
              "stored peer passwords cannot be decrypted with "
                  + source
                  + " (another key encrypted them): restore the right key, or start once with "
                  + FORGET_OPTION
                  + " and enter the peers' manager passwords again",
              null);
        }
        replacement = "";
        forgotten++;
        LOG.warn(
            "peer password forgotten: no key decrypts it peer_name={}, enter it again",
            peer.peerName());
      } else {
        // Unmarked: either clear text or the unmarked form of earlier versions under this key.
        replacement = cipher.encrypt(plain.orElse(stored));
        encrypted++;
      }
      StoreResult<SystemPeer> result =
          peers.update(peer.toBuilder().managerPassword(Secret.of(replacement)).build());
      if (!(result instanceof StoreResult.Saved<SystemPeer>)) {
        throw new SiteStartException(
            "the stored password of system peer "
                + peer.peerName()
                + " changed while it was being encrypted; start again",
            null);
      }
    }
    if (encrypted > 0) {
      LOG.info("peer passwords encrypted at start count={} key={}", encrypted, source);
    }
    if (forgotten > 0) {
      LOG.warn("peer passwords forgotten count={}", forgotten);
    }
    return cipher;
  }

  private static Optional<String> decrypt(AesGcmPasswordCipher cipher, String stored) {
    try {
      return Optional.of(cipher.decrypt(stored));
    } catch (IllegalStateException e) {
      return Optional.empty();
    }
  }

  private static byte[] read(Path file) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
    } catch (IOException | IllegalArgumentException e) {
      throw new SiteStartException(
          "the key file " + file + " cannot be read as base64: " + e.getClass().getSimpleName(),
          null);
    }
    if (key.length != 16 && key.length != 24 && key.length != 32) {
      throw new SiteStartException(
          "the key file " + file + " must hold base64 of 16, 24 or 32 bytes", null);
    }
    if (isPosix(file)) {
      try {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(permissions)) {
          LOG.warn(
              "key file readable by others file={} permissions={}, expected rw-------",
              file,
              PosixFilePermissions.toString(permissions));
        }
      } catch (IOException e) {
        // The key was read; a permission check that cannot run changes nothing.
      }
    }
    return key;
  }

  /**
   * Writes a new random key: to a temporary file with owner-only permissions, forced to the disk,
   * then moved in place, so that a crash never leaves a half-written key file behind.
   */
  private static byte[] create(Path file) {
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    Path temporary = file.resolveSibling(FILE_NAME + ".new");
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(temporary);
      FileAttribute<?>[] attributes =
          isPosix(file.getParent())
              ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
              : new FileAttribute<?>[0];
      try (FileChannel channel =
          FileChannel.open(
              temporary,
              Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              attributes)) {
        ByteBuffer text =
            ByteBuffer.wrap(
                (Base64.getEncoder().encodeToString(key) + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
        while (text.hasRemaining()) {
          channel.write(text);
        }
        channel.force(true);
      }
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new SiteStartException(
          "the key file " + file + " cannot be created: " + e.getClass().getSimpleName(), e);
    }
    LOG.info("peer password key file created file={}", file);
    return key;
  }

  private static boolean isPosix(Path path) {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix") && path != null;
  }
}
