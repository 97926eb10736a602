package io.geored.spi.secret;

/**
 * Encrypts peer manager passwords before they are stored and decrypts them when a peer client needs
 * them. Implementations never log either side.
 */
public interface PasswordCipher {

  /**
   * Encrypts a password.
   *
   * @param plain the password
   * @return the stored form
   */
  String encrypt(String plain);

  /**
   * Decrypts a stored password.
   *
   * @param stored the stored form
   * @return the password
   */
  String decrypt(String stored);
}
