package io.geored.spi.store;

import java.util.function.Supplier;

/**
 * The transaction boundary over all stores of a site. Work inside {@link #inTransaction} sees its
 * own writes; when it throws, every write it made is rolled back and the exception passes through.
 * A nested call joins the outer transaction.
 */
public interface Transactions {

  /**
   * Runs work in one transaction.
   *
   * @param work the work; it calls the stores
   * @param <T> its result type
   * @return what the work returned, after the commit
   */
  <T> T inTransaction(Supplier<T> work);

  /**
   * Runs work without a result in one transaction.
   *
   * @param work the work
   */
  default void run(Runnable work) {
    inTransaction(
        () -> {
          work.run();
          return null;
        });
  }
}
