package io.geored.core.secret;

import io.geored.spi.secret.PasswordCipher;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts peer passwords with AES-GCM under a key the host supplies (16, 24 or 32 bytes); the
 * stored form is {@value #MARKER} followed by base64 of a random 12-byte nonce, the ciphertext and
 * tag. The marker tells an encrypted value from one stored in clear (see {@link #isMarked}); the
 * form without it, written before the marker existed, still decrypts. Thread-safe.
 */
public final class AesGcmPasswordCipher implements PasswordCipher {

  /** What every value this cipher encrypts starts with; base64 never holds a brace. */
  public static final String MARKER = "{aes-gcm}";

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  /**
   * Creates the cipher.
   *
   * @param key the AES key: 16, 24 or 32 bytes; copied
   * @throws IllegalArgumentException for another length
   */
  public AesGcmPasswordCipher(byte[] key) {
    if (key == null || (key.length != 16 && key.length != 24 && key.length != 32)) {
      throw new IllegalArgumentException("key must be 16, 24 or 32 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
  }

  @Override
  public String encrypt(String plain) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      return MARKER
          + Base64.getEncoder()
              .encodeToString(
                  ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("password encryption failed", e);
    }
  }

  /**
   * Whether a stored value is in this cipher's marked form, whatever the key.
   *
   * @param stored a stored password, may be null
   * @return true when it starts with {@value #MARKER}
   */
  public static boolean isMarked(String stored) {
    return stored != null && stored.startsWith(MARKER);
  }

  @Override
  public String decrypt(String stored) {
    try {
      String sealed = isMarked(stored) ? stored.substring(MARKER.length()) : stored;
      byte[] all = Base64.getDecoder().decode(sealed);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
      byte[] plain = cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      // Never include the stored text: it is a secret too.
      throw new IllegalStateException("password decryption failed");
    }
  }
}
