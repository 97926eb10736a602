package io.geored.core.internal;

import io.geored.spi.secret.SysadminPasswords;
import io.geored.spi.time.Ticker;
import io.geored.spi.witness.LeadershipStore;
import io.geored.spi.witness.Witness;
import io.geored.spi.witness.WitnessSettings;
import io.geored.spi.work.FailoverDecider;
import java.util.Objects;
import java.util.Optional;

/**
 * The ports of automatic failover: the witness and what this site remembers about leading, the
 * witness timing, the site's monotonic clock, the host's decider (policy {@code delegate}) and the
 * sysadmin passwords of automatic migrations. Without a witness ({@link #NONE}) the engine behaves
 * as it did before witnesses existed.
 *
 * @param witness this site's witness client, or null for none
 * @param leadership the stored epochs and fence marks, or null when there is no witness
 * @param settings TTL, renewal interval and fence margin
 * @param ticker this site's monotonic clock
 * @param decider the host's decider for policy delegate
 * @param passwords the sysadmin passwords of automatic migrations
 */
public record WitnessPorts(
    Witness witness,
    LeadershipStore leadership,
    WitnessSettings settings,
    Ticker ticker,
    FailoverDecider decider,
    SysadminPasswords passwords) {

  /** No witness: the engine's rules are those of a site without automatic failover. */
  public static final WitnessPorts NONE =
      new WitnessPorts(
          null,
          null,
          WitnessSettings.DEFAULTS,
          Ticker.system(),
          FailoverDecider.ALARM_ONLY,
          SysadminPasswords.NONE);

  /**
   * Checks the parts: a witness needs a leadership store.
   *
   * @param witness the witness client, or null
   * @param leadership the leadership store, required with a witness
   * @param settings the witness timing
   * @param ticker the monotonic clock
   * @param decider the delegate decider
   * @param passwords the sysadmin passwords
   */
  public WitnessPorts {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(decider, "decider");
    Objects.requireNonNull(passwords, "passwords");
    if (witness != null) {
      Objects.requireNonNull(leadership, "leadership");
    }
  }

  /**
   * The witness, when one is configured.
   *
   * @return the witness client, or empty
   */
  public Optional<Witness> configured() {
    return Optional.ofNullable(witness);
  }
}
