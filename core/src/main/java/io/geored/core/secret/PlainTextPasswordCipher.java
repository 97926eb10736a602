package io.geored.core.secret;

import io.geored.spi.secret.PasswordCipher;

/**
 * Stores passwords as given. The default only when the host configures no cipher; the engine warns
 * about it once when it is built. Use {@link AesGcmPasswordCipher} in production.
 */
public final class PlainTextPasswordCipher implements PasswordCipher {

  @Override
  public String encrypt(String plain) {
    return plain;
  }

  @Override
  public String decrypt(String stored) {
    return stored;
  }
}
