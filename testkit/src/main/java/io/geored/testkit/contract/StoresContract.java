package io.geored.testkit.contract;

import io.geored.spi.store.Stores;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/**
 * Every store contract at once, for an implementation of all four stores and their transactions:
 * its test extends this class, answers {@link #newStores()} once, and runs {@link
 * SystemPeerStoreContract}, {@link PeerGroupStoreContract}, {@link AssociationStoreContract},
 * {@link SubcloudStoreContract} and {@link TransactionsContract} as nested groups.
 *
 * <pre>{@code
 * class MyStoresTest extends StoresContract {
 *   @Override
 *   protected Stores newStores() {
 *     // e.g. empty the tables of a shared test database, then wrap it
 *     return MyStores.onEmptyDatabase(dataSource);
 *   }
 * }
 * }</pre>
 */
public abstract class StoresContract {

  /**
   * A fresh, empty set of stores, called before each test of every group. A database-backed
   * implementation may reuse its schema and empty the tables here.
   *
   * @return the stores
   */
  protected abstract Stores newStores();

  @Nested
  @DisplayName("system peer store")
  class SystemPeers extends SystemPeerStoreContract {
    @Override
    protected Stores newStores() {
      return StoresContract.this.newStores();
    }
  }

  @Nested
  @DisplayName("peer group store")
  class PeerGroups extends PeerGroupStoreContract {
    @Override
    protected Stores newStores() {
      return StoresContract.this.newStores();
    }
  }

  @Nested
  @DisplayName("association store")
  class Associations extends AssociationStoreContract {
    @Override
    protected Stores newStores() {
      return StoresContract.this.newStores();
    }
  }

  @Nested
  @DisplayName("subcloud store")
  class Subclouds extends SubcloudStoreContract {
    @Override
    protected Stores newStores() {
      return StoresContract.this.newStores();
    }
  }

  @Nested
  @DisplayName("transactions")
  class Transactions extends TransactionsContract {
    @Override
    protected Stores newStores() {
      return StoresContract.this.newStores();
    }
  }
}
