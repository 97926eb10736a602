package io.geored.adapters.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.Client;
import io.geored.spi.time.Ticker;
import io.geored.spi.witness.LeaseOutcome;
import io.geored.spi.witness.Witness;
import io.geored.spi.witness.WitnessLease;
import io.geored.spi.witness.WitnessUnavailableException;
import io.geored.testkit.realservice.RealServices;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("the etcd witness when etcd is gone")
class EtcdUnavailableTest {

  private static final String SITE = "0a000000-0000-4000-8000-00000000000a";

  @RegisterExtension final RealServices services = new RealServices();

  @Test
  @DisplayName(
      "a stopped etcd fails each call within the call timeout, naming the operation; the holder's"
          + " lease as last granted is all it has")
  void stoppedEtcd() {
    RealServices.Running etcd = services.start(EtcdServer.service());
    try (Client client = Client.builder().endpoints(EtcdServer.endpoint(etcd)).build()) {
      // The first call also connects: it gets the default timeout; the calls after the stop 1 s.
      WitnessLease lease =
          ((LeaseOutcome.Granted)
                  new EtcdWitness(
                          client,
                          "stopped/",
                          SITE,
                          Duration.ofSeconds(2),
                          Ticker.system(),
                          EtcdWitness.DEFAULT_CALL_TIMEOUT)
                      .acquire("g1"))
              .lease();
      Witness witness =
          new EtcdWitness(
              client,
              "stopped/",
              SITE,
              Duration.ofSeconds(2),
              Ticker.system(),
              Duration.ofSeconds(1));

      etcd.stop();

      long before = System.nanoTime();
      assertThatThrownBy(() -> witness.renew(lease))
          .isInstanceOf(WitnessUnavailableException.class)
          .hasMessageStartingWith("witness renew g1 failed: ");
      assertThatThrownBy(() -> witness.acquire("g1"))
          .isInstanceOf(WitnessUnavailableException.class)
          .hasMessageStartingWith("witness acquire g1 failed: ");
      assertThatThrownBy(witness::keepAlive)
          .isInstanceOf(WitnessUnavailableException.class)
          .hasMessageStartingWith("witness keep site alive failed: ");
      // Three calls, each bounded by the 1 s call timeout (plus scheduling slack).
      assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(6));
    }
  }
}
