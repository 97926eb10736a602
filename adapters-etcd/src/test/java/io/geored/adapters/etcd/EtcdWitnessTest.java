package io.geored.adapters.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.Client;
import io.geored.spi.time.Ticker;
import io.geored.spi.witness.LeaseOutcome;
import io.geored.spi.witness.Witness;
import io.geored.spi.witness.WitnessLease;
import io.geored.testkit.contract.WitnessContract;
import io.geored.testkit.realservice.RealServices;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("the etcd witness keeps the witness contract on a real etcd")
class EtcdWitnessTest extends WitnessContract {

  /** etcd's minimum lease TTL, so expiries take seconds; the contract polls for them. */
  private static final Duration TTL = EtcdWitness.MINIMUM_TTL;

  @RegisterExtension static final RealServices SERVICES = new RealServices();

  private static RealServices.Running etcd;
  private static Client client;

  @BeforeAll
  static void startEtcd() {
    etcd = SERVICES.start(EtcdServer.service());
    client = Client.builder().endpoints(EtcdServer.endpoint(etcd)).build();
  }

  @AfterAll
  static void closeClient() {
    if (client != null) {
      client.close();
      client = null;
    }
  }

  @Override
  protected Witness witness(String site) {
    return new EtcdWitness(client, site, TTL, ticker());
  }

  @Override
  protected Ticker ticker() {
    return Ticker.system();
  }

  @Override
  protected void letTimePass(Duration step) {
    try {
      Thread.sleep(step.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  @Test
  @DisplayName("two prefixes on one etcd are two witnesses that never meet")
  void prefixesSeparate() {
    Witness first = new EtcdWitness(client, "one/", siteA, TTL, ticker(), Duration.ofSeconds(5));
    Witness second = new EtcdWitness(client, "two/", siteB, TTL, ticker(), Duration.ofSeconds(5));

    WitnessLease lease = ((LeaseOutcome.Granted) first.acquire("g1")).lease();

    assertThat(second.acquire("g1")).isInstanceOf(LeaseOutcome.Granted.class);
    assertThat(first.holder("g1")).contains(lease.epoch());
  }

  @Test
  @DisplayName("refuses a TTL etcd cannot keep, naming the limit")
  void ttlLimits() {
    assertThatThrownBy(() -> new EtcdWitness(client, siteA, Duration.ofSeconds(1), ticker()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("etcd witness TTL must be whole seconds, at least 2 s, was PT1S");
    assertThatThrownBy(() -> new EtcdWitness(client, siteA, Duration.ofMillis(2500), ticker()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("etcd witness TTL must be whole seconds, at least 2 s, was PT2.5S");
  }
}
