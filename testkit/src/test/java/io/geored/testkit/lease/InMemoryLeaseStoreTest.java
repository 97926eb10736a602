package io.geored.testkit.lease;

import io.geored.spi.lease.LeaseStore;
import io.geored.testkit.contract.LeaseContract;
import org.junit.jupiter.api.DisplayName;

@DisplayName("in-memory lease store keeps the lease contract")
class InMemoryLeaseStoreTest extends LeaseContract {

  @Override
  protected LeaseStore newLeaseStore() {
    return new InMemoryLeaseStore();
  }
}
