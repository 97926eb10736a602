package io.geored.examples;

import io.etcd.jetcd.Client;
import io.geored.adapters.etcd.EtcdWitness;
import io.geored.adapters.jdbc.JdbcStores;
import io.geored.spi.time.Ticker;
import io.geored.spi.witness.Witness;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The witness a standalone site is configured with ({@code witness=jdbc} or {@code witness=etcd}),
 * and what it opened to reach it: a connection pool to the witness database, or an etcd client.
 * {@link #close()} closes them; the engine must be closed first.
 */
final class SiteWitness implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SiteWitness.class);

  private final Witness witness;
  private final AutoCloseable opened;

  private SiteWitness(Witness witness, AutoCloseable opened) {
    this.witness = witness;
    this.opened = opened;
  }

  /**
   * Opens the configured witness for this site.
   *
   * @param failover the configuration's failover settings
   * @param site this site's uuid
   * @param ticker this site's monotonic clock
   * @return the witness, or empty for {@code witness=none}
   * @throws SiteStartException when its password file cannot be used
   * @throws io.geored.spi.PersistenceException when the witness database cannot be reached
   */
  static Optional<SiteWitness> open(SiteConfig.Failover failover, String site, Ticker ticker) {
    Objects.requireNonNull(site, "site");
    switch (failover.witness()) {
      case "jdbc" -> {
        String password =
            failover
                .jdbcPasswordFile()
                .map(f -> PasswordFile.read("witness.jdbc.password-file", f))
                .orElse("");
        JdbcStores db =
            JdbcStores.connect(failover.jdbcUrl().orElseThrow(), failover.jdbcUser(), password);
        LOG.info(
            "witness database open url={} ttl={}",
            SiteConfig.safeUrl(failover.jdbcUrl().get()),
            SiteConfig.format(failover.settings().ttl()));
        return Optional.of(
            new SiteWitness(db.witness(site, failover.settings().ttl(), ticker), db));
      }
      case "etcd" -> {
        Client client =
            Client.builder().endpoints(failover.etcdEndpoints().toArray(new String[0])).build();
        try {
          EtcdWitness witness = new EtcdWitness(client, site, failover.settings().ttl(), ticker);
          LOG.info(
              "witness etcd client open endpoints={} ttl={}",
              String.join(",", failover.etcdEndpoints()),
              SiteConfig.format(failover.settings().ttl()));
          return Optional.of(new SiteWitness(witness, client));
        } catch (RuntimeException e) {
          client.close();
          throw e;
        }
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  /**
   * The site's witness client.
   *
   * @return the client
   */
  Witness witness() {
    return witness;
  }

  @Override
  public void close() throws Exception {
    opened.close();
  }
}
