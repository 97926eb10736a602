package io.geored.spi;

/**
 * A store failed (the database is down, a statement failed). The message names the operation and
 * never a password; the cause is kept. The transaction it happened in was rolled back.
 */
public class PersistenceException extends GeoredException {

  /**
   * Creates the exception.
   *
   * @param message the operation that failed, e.g. {@code update subcloud id=4}
   * @param cause the store's own failure
   */
  public PersistenceException(String message, Throwable cause) {
    super(Kind.FAILED, message, cause);
  }
}
