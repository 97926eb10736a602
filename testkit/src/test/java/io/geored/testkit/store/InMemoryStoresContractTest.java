package io.geored.testkit.store;

import io.geored.spi.store.Stores;
import io.geored.testkit.contract.StoresContract;
import org.junit.jupiter.api.DisplayName;

@DisplayName("In-memory stores")
class InMemoryStoresContractTest extends StoresContract {

  @Override
  protected Stores newStores() {
    return InMemoryStores.create();
  }
}
