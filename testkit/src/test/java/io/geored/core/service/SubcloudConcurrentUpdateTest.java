package io.geored.core.service;

import static io.geored.core.service.SubcloudFixtures.insert;
import static io.geored.core.service.SubcloudFixtures.reload;
import static io.geored.core.service.SubcloudFixtures.subcloud;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.ConflictException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.Subcloud;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.Stores;
import io.geored.spi.store.SubcloudStore;
import io.geored.testkit.sim.SingleSite;
import io.geored.testkit.store.InMemoryStores;
import io.geored.testkit.time.VirtualScheduler;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A subcloud update that loses a compare-and-set race runs its rules again")
class SubcloudConcurrentUpdateTest {

  /** A subcloud store where another writer gets in just before each of the next updates. */
  static final class RacingStore implements SubcloudStore {
    private final SubcloudStore delegate;
    private UnaryOperator<Subcloud> competitor;
    private int races;
    private int reads;

    RacingStore(SubcloudStore delegate) {
      this.delegate = delegate;
    }

    void race(int times, UnaryOperator<Subcloud> change) {
      this.races = times;
      this.competitor = change;
    }

    @Override
    public StoreResult<Subcloud> update(Subcloud subcloud) {
      if (races > 0) {
        races--;
        Subcloud stored = delegate.findById(subcloud.id()).orElseThrow();
        delegate.update(competitor.apply(stored));
      }
      return delegate.update(subcloud);
    }

    @Override
    public StoreResult<Subcloud> insert(Subcloud subcloud) {
      return delegate.insert(subcloud);
    }

    @Override
    public boolean delete(long id) {
      return delegate.delete(id);
    }

    @Override
    public Optional<Subcloud> findById(long id) {
      reads++;
      return delegate.findById(id);
    }

    @Override
    public Optional<Subcloud> findByName(String name) {
      reads++;
      return delegate.findByName(name);
    }

    @Override
    public Optional<Subcloud> findByRegionName(String regionName) {
      reads++;
      return delegate.findByRegionName(regionName);
    }

    @Override
    public List<Subcloud> findByPeerGroup(long peerGroupId) {
      return delegate.findByPeerGroup(peerGroupId);
    }

    @Override
    public List<Subcloud> findByDeployStatus(Collection<DeployStatus> statuses) {
      return delegate.findByDeployStatus(statuses);
    }

    @Override
    public List<Subcloud> findAll() {
      return delegate.findAll();
    }
  }

  private final Stores memory = InMemoryStores.create();
  private final RacingStore racing = new RacingStore(memory.subclouds());
  private final SingleSite site =
      SingleSite.create(
          new Stores(
              memory.systemPeers(),
              memory.peerGroups(),
              memory.associations(),
              racing,
              memory.transactions()),
          new VirtualScheduler(),
          b -> b);

  private static SubcloudUpdate manage() {
    return SubcloudUpdate.builder().managementState("managed").build();
  }

  @Test
  @DisplayName(
      "an update reads the subcloud once (its lookup) and writes it with that version, no second"
          + " read in its transaction")
  void oneReadPerUpdate() {
    Subcloud sc = insert(site, subcloud(site, "sc1").availabilityStatus(AvailabilityStatus.ONLINE));
    racing.reads = 0;

    Subcloud after = site.site().updateSubcloud(Caller.OPERATOR, "sc1", manage()).value();

    assertThat(racing.reads).isEqualTo(1);
    assertThat(after.managementState()).isEqualTo(ManagementState.MANAGED);
    assertThat(after.version()).isEqualTo(sc.version() + 1);
    assertThat(reload(site, sc)).isEqualTo(after);
  }

  @Test
  @DisplayName("a concurrent change to another field is kept alongside this one")
  void noLostUpdate() {
    Subcloud sc = insert(site, subcloud(site, "sc1").availabilityStatus(AvailabilityStatus.ONLINE));
    racing.race(1, s -> s.toBuilder().description("set concurrently").build());

    Subcloud after = site.site().updateSubcloud(Caller.OPERATOR, "sc1", manage()).value();

    assertThat(after.managementState()).isEqualTo(ManagementState.MANAGED);
    assertThat(after.description()).isEqualTo("set concurrently");
    assertThat(after.version()).isEqualTo(sc.version() + 2);
    assertThat(reload(site, sc)).isEqualTo(after);
  }

  @Test
  @DisplayName("a concurrent change that breaks a rule makes the retry refuse")
  void ruleRecheckedOnRetry() {
    Subcloud sc = insert(site, subcloud(site, "sc1").availabilityStatus(AvailabilityStatus.ONLINE));
    racing.race(1, s -> s.toBuilder().managementState(ManagementState.MANAGED).build());

    assertThatThrownBy(() -> site.site().updateSubcloud(Caller.OPERATOR, "sc1", manage()))
        .isExactlyInstanceOf(ValidationException.class)
        .hasMessage(Messages.alreadyManaged("sc1"));
    // The simulated competitor writes inside this request's transaction, so the refusal rolls
    // its write back too; what matters is that the retry judged the record it re-read.
    assertThat(reload(site, sc)).isEqualTo(sc);
  }

  @Test
  @DisplayName("losing every attempt answers a conflict and writes nothing of this request")
  void retriesExhausted() {
    Subcloud sc = insert(site, subcloud(site, "sc1").availabilityStatus(AvailabilityStatus.ONLINE));
    int attempts = site.engine().context().settings().casRetries();
    racing.race(attempts, s -> s.toBuilder().location("l" + s.version()).build());

    assertThatThrownBy(() -> site.site().updateSubcloud(Caller.OPERATOR, "sc1", manage()))
        .isExactlyInstanceOf(ConflictException.class)
        .hasMessage(Messages.changedConcurrently("subcloud", "sc1"));
    assertThat(reload(site, sc)).isEqualTo(sc);
  }
}
