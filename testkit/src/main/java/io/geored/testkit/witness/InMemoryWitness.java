package io.geored.testkit.witness;

import io.geored.spi.time.Ticker;
import io.geored.spi.witness.Candidate;
import io.geored.spi.witness.Epoch;
import io.geored.spi.witness.LeaseOutcome;
import io.geored.spi.witness.Witness;
import io.geored.spi.witness.WitnessLease;
import io.geored.spi.witness.WitnessUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A witness in memory, for tests and the simulation: it judges expiry on its own {@link Ticker}
 * (e.g. a {@link io.geored.testkit.time.VirtualClock#ticker()}), so it runs in virtual time and is
 * deterministic (sorted maps only, no threads, no wall clock). Each site talks to it through its
 * own {@link #client(String, Ticker) client}, with its own ticker for send times. A site can be cut
 * off from it ({@link #cutOff(String)}): its calls then throw {@link WitnessUnavailableException}
 * and change nothing. Thread-safe.
 *
 * <p>Expiry is judged on a monotonic clock, so a take-over needs no wait ({@link
 * Witness#takeOverWait()} is zero).
 */
public final class InMemoryWitness {

  private final Ticker clock;
  private final Duration ttl;

  /** Per group: the latest tenure (kept after it ends, so epochs only grow). */
  private final Map<String, Tenure> leases = new TreeMap<>();

  /** Per group, per site: the registered priority. */
  private final Map<String, Map<String, Integer>> registrations = new TreeMap<>();

  /** Per site: until when (witness ticker) it is live. */
  private final Map<String, Long> liveUntil = new TreeMap<>();

  private final TreeSet<String> cutOff = new TreeSet<>();

  /** One tenure of a group's lease. */
  private record Tenure(Epoch epoch, long expiresAt, boolean released) {}

  /**
   * A witness with no leases and no candidates.
   *
   * @param clock the witness's own clock, which alone judges expiry
   * @param ttl the lease and liveness TTL, positive
   */
  public InMemoryWitness(Ticker clock, Duration ttl) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("witness TTL must be positive, was " + ttl);
    }
  }

  /**
   * A site's client.
   *
   * @param site the site's uuid
   * @param siteTicker the site's own monotonic clock, for the send times of its requests
   * @return the client; several clients of one site (a restarted site) share its leases
   */
  public Witness client(String site, Ticker siteTicker) {
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(siteTicker, "siteTicker");
    if (site.isBlank()) {
      throw new IllegalArgumentException("witness site must not be blank");
    }
    return new Client(site, siteTicker);
  }

  /**
   * Cuts a site off from the witness (a partition): its calls fail until {@link #reconnect}.
   *
   * @param site the site's uuid
   */
  public synchronized void cutOff(String site) {
    cutOff.add(Objects.requireNonNull(site, "site"));
  }

  /**
   * Lets a site reach the witness again.
   *
   * @param site the site's uuid
   */
  public synchronized void reconnect(String site) {
    cutOff.remove(Objects.requireNonNull(site, "site"));
  }

  private boolean live(Tenure tenure, long now) {
    return tenure != null && !tenure.released() && now - tenure.expiresAt() < 0;
  }

  private void reach(String site, String what) {
    if (cutOff.contains(site)) {
      throw new WitnessUnavailableException(
          "witness unreachable from site " + site + ": " + what, null);
    }
  }

  private final class Client implements Witness {
    private final String site;
    private final Ticker ticker;

    Client(String site, Ticker ticker) {
      this.site = site;
      this.ticker = ticker;
    }

    @Override
    public String site() {
      return site;
    }

    @Override
    public Duration ttl() {
      return ttl;
    }

    @Override
    public Duration takeOverWait() {
      return Duration.ZERO;
    }

    @Override
    public LeaseOutcome acquire(String group) {
      Objects.requireNonNull(group, "group");
      long sent = ticker.nanos();
      synchronized (InMemoryWitness.this) {
        reach(site, "acquire " + group);
        long now = clock.nanos();
        Tenure current = leases.get(group);
        if (live(current, now)) {
          if (!current.epoch().site().equals(site)) {
            return new LeaseOutcome.HeldBy(current.epoch());
          }
          leases.put(group, new Tenure(current.epoch(), now + ttl.toNanos(), false));
          return new LeaseOutcome.Granted(
              new WitnessLease(group, current.epoch(), ttl, sent, sent));
        }
        long counter = current == null ? 1 : current.epoch().counter() + 1;
        Epoch epoch = new Epoch(counter, site);
        leases.put(group, new Tenure(epoch, now + ttl.toNanos(), false));
        return new LeaseOutcome.Granted(new WitnessLease(group, epoch, ttl, sent, sent));
      }
    }

    @Override
    public LeaseOutcome renew(WitnessLease lease) {
      own(lease);
      long sent = ticker.nanos();
      synchronized (InMemoryWitness.this) {
        reach(site, "renew " + lease.group());
        long now = clock.nanos();
        Tenure current = leases.get(lease.group());
        if (live(current, now)) {
          if (current.epoch().equals(lease.epoch())) {
            leases.put(lease.group(), new Tenure(current.epoch(), now + ttl.toNanos(), false));
            return new LeaseOutcome.Granted(lease.renewedAt(sent));
          }
          return new LeaseOutcome.HeldBy(current.epoch());
        }
        return new LeaseOutcome.Ended(lease.epoch());
      }
    }

    @Override
    public void release(WitnessLease lease) {
      own(lease);
      synchronized (InMemoryWitness.this) {
        reach(site, "release " + lease.group());
        Tenure current = leases.get(lease.group());
        if (current != null && current.epoch().equals(lease.epoch()) && !current.released()) {
          leases.put(lease.group(), new Tenure(current.epoch(), clock.nanos(), true));
        }
      }
    }

    @Override
    public Optional<Epoch> holder(String group) {
      Objects.requireNonNull(group, "group");
      synchronized (InMemoryWitness.this) {
        reach(site, "read holder of " + group);
        Tenure current = leases.get(group);
        return live(current, clock.nanos()) ? Optional.of(current.epoch()) : Optional.empty();
      }
    }

    @Override
    public Optional<Epoch> latestEpoch(String group) {
      Objects.requireNonNull(group, "group");
      synchronized (InMemoryWitness.this) {
        reach(site, "read latest epoch of " + group);
        Tenure current = leases.get(group);
        return current == null ? Optional.empty() : Optional.of(current.epoch());
      }
    }

    @Override
    public void keepAlive() {
      synchronized (InMemoryWitness.this) {
        reach(site, "keep alive");
        liveUntil.put(site, clock.nanos() + ttl.toNanos());
      }
    }

    @Override
    public void register(String group, int priority) {
      Objects.requireNonNull(group, "group");
      Candidate checked = new Candidate(site, priority);
      synchronized (InMemoryWitness.this) {
        reach(site, "register for " + group);
        registrations.computeIfAbsent(group, g -> new TreeMap<>()).put(site, checked.priority());
      }
    }

    @Override
    public void withdraw(String group) {
      Objects.requireNonNull(group, "group");
      synchronized (InMemoryWitness.this) {
        reach(site, "withdraw from " + group);
        Map<String, Integer> sites = registrations.get(group);
        if (sites != null) {
          sites.remove(site);
        }
      }
    }

    @Override
    public List<Candidate> candidates(String group) {
      Objects.requireNonNull(group, "group");
      synchronized (InMemoryWitness.this) {
        reach(site, "list candidates of " + group);
        long now = clock.nanos();
        List<Candidate> live = new ArrayList<>();
        registrations
            .getOrDefault(group, Map.of())
            .forEach(
                (candidate, priority) -> {
                  Long until = liveUntil.get(candidate);
                  if (until != null && now - until < 0) {
                    live.add(new Candidate(candidate, priority));
                  }
                });
        live.sort(Candidate.BEST_FIRST);
        return List.copyOf(live);
      }
    }

    private void own(WitnessLease lease) {
      Objects.requireNonNull(lease, "lease");
      if (!lease.epoch().site().equals(site)) {
        throw new IllegalArgumentException(
            "site " + site + " cannot use the lease of " + lease.epoch());
      }
    }

    @Override
    public String toString() {
      return "InMemoryWitness.Client[" + site + "]";
    }
  }
}
