package io.geored.testkit.witness;

import io.geored.spi.witness.LeadershipStore;
import io.geored.testkit.contract.LeadershipStoreContract;
import org.junit.jupiter.api.DisplayName;

@DisplayName("the in-memory leadership store keeps the leadership store contract")
class InMemoryLeadershipStoreTest extends LeadershipStoreContract {

  @Override
  protected LeadershipStore newLeadershipStore() {
    return new InMemoryLeadershipStore();
  }
}
