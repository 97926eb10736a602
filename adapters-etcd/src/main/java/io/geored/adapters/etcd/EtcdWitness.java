package io.geored.adapters.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.geored.spi.time.Ticker;
import io.geored.spi.witness.Candidate;
import io.geored.spi.witness.Epoch;
import io.geored.spi.witness.LeaseOutcome;
import io.geored.spi.witness.Witness;
import io.geored.spi.witness.WitnessLease;
import io.geored.spi.witness.WitnessUnavailableException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A witness on etcd (docs/adr/0027), using etcd's own leases and transactions. The host builds and
 * closes the jetcd {@link Client}; this class only uses it.
 *
 * <p>Keys, under a prefix ({@link #DEFAULT_PREFIX} by default), names URL-encoded:
 *
 * <ul>
 *   <li>{@code lease/<group>}: the holder's site uuid, attached to an etcd lease of the holder
 *       (granted with the TTL, renewed with {@code keepAliveOnce}, revoked on release), so etcd
 *       deletes it when the tenure expires. It is created only by a transaction "create revision =
 *       0 → put"; its create revision is the tenure's epoch counter (etcd's revision only grows);
 *   <li>{@code epoch/<group>}: the latest holder, written in the same transaction, never attached
 *       to a lease: its mod revision is the latest epoch;
 *   <li>{@code site/<site>}: the site's liveness, attached to an etcd lease of its own;
 *   <li>{@code candidate/<group>/<site>}: the site's priority for the group, kept until withdrawn.
 * </ul>
 *
 * <p>Expiry is judged by etcd's leader on its monotonic clock, and an etcd leader change restarts
 * each lease's TTL (only later), so a take-over needs no wait. Renewals use {@code keepAliveOnce},
 * never the keep-alive stream: the holder's deadline runs from the send time of its last renewal
 * known to have succeeded. Every call waits at most the call timeout, then throws {@link
 * WitnessUnavailableException}. Thread-safe.
 */
public final class EtcdWitness implements Witness {

  /** The default key prefix. */
  public static final String DEFAULT_PREFIX = "geored/witness/";

  /** The default bound on each call to etcd: 5 s. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(5);

  /** etcd's smallest lease TTL. */
  public static final Duration MINIMUM_TTL = Duration.ofSeconds(2);

  /** Attempts of an acquire that keeps meeting a tenure ending under it. */
  private static final int ATTEMPTS = 3;

  private final KV kv;
  private final Lease leases;
  private final String prefix;
  private final String site;
  private final Duration ttl;
  private final Ticker ticker;
  private final Duration callTimeout;

  /**
   * A client with the default prefix and call timeout.
   *
   * @param client a jetcd client the host built (endpoints, TLS, credentials) and will close
   * @param site this site's uuid
   * @param ttl the lease and liveness TTL: whole seconds, at least {@link #MINIMUM_TTL}
   * @param ticker this site's monotonic clock, for the send times of its requests
   * @throws IllegalArgumentException when the site is blank or the TTL out of range
   */
  public EtcdWitness(Client client, String site, Duration ttl, Ticker ticker) {
    this(client, DEFAULT_PREFIX, site, ttl, ticker, DEFAULT_CALL_TIMEOUT);
  }

  /**
   * A client.
   *
   * @param client a jetcd client the host built and will close
   * @param prefix the keys' prefix, so several clusters may share one etcd, not blank
   * @param site this site's uuid
   * @param ttl the lease and liveness TTL: whole seconds, at least {@link #MINIMUM_TTL}
   * @param ticker this site's monotonic clock, for the send times of its requests
   * @param callTimeout the bound on each call to etcd, positive
   * @throws IllegalArgumentException when a value is out of range
   */
  public EtcdWitness(
      Client client,
      String prefix,
      String site,
      Duration ttl,
      Ticker ticker,
      Duration callTimeout) {
    Objects.requireNonNull(client, "client");
    this.kv = client.getKVClient();
    this.leases = client.getLeaseClient();
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.site = Objects.requireNonNull(site, "site");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
    if (prefix.isBlank()) {
      throw new IllegalArgumentException("etcd witness prefix must not be blank");
    }
    if (site.isBlank()) {
      throw new IllegalArgumentException("etcd witness site must not be blank");
    }
    if (ttl.compareTo(MINIMUM_TTL) < 0 || ttl.toNanosPart() != 0) {
      throw new IllegalArgumentException(
          "etcd witness TTL must be whole seconds, at least 2 s, was " + ttl);
    }
    if (callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException(
          "etcd witness call timeout must be positive, was " + callTimeout);
    }
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
    String what = "acquire " + group;
    ByteSequence key = leaseKey(group);
    long sent = ticker.nanos();
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<KeyValue> current = first(await(what, kv.get(key)));
      if (current.isPresent()) {
        Epoch epoch = epochOf(current.get());
        if (!epoch.site().equals(site)) {
          return new LeaseOutcome.HeldBy(epoch);
        }
        if (keepAlive(what, current.get().getLease())) {
          return granted(group, epoch, sent);
        }
        continue; // this site's own tenure just expired: etcd deletes the key, take it anew
      }
      long etcdLease = await(what, leases.grant(ttl.toSeconds())).getID();
      TxnResponse txn =
          await(
              what,
              kv.txn()
                  .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                  .Then(
                      Op.put(key, bytes(site), PutOption.builder().withLeaseId(etcdLease).build()),
                      Op.put(epochKey(group), bytes(site), PutOption.DEFAULT))
                  .Else(Op.get(key, GetOption.DEFAULT))
                  .commit());
      if (txn.isSucceeded()) {
        // The put's revision is the transaction's: the new key's create revision.
        return granted(group, new Epoch(txn.getHeader().getRevision(), site), sent);
      }
      revokeQuietly(etcdLease);
      Optional<KeyValue> winner =
          txn.getGetResponses().isEmpty() ? Optional.empty() : first(txn.getGetResponses().get(0));
      if (winner.isPresent() && !epochOf(winner.get()).site().equals(site)) {
        return new LeaseOutcome.HeldBy(epochOf(winner.get()));
      }
    }
    throw new WitnessUnavailableException(
        "witness " + what + " failed: the lease kept changing under " + ATTEMPTS + " attempts",
        null);
  }

  @Override
  public LeaseOutcome renew(WitnessLease lease) {
    own(lease);
    String what = "renew " + lease.group();
    ByteSequence key = leaseKey(lease.group());
    long sent = ticker.nanos();
    Optional<KeyValue> current = first(await(what, kv.get(key)));
    if (current.isPresent() && current.get().getCreateRevision() == lease.epoch().counter()) {
      if (keepAlive(what, current.get().getLease())) {
        return new LeaseOutcome.Granted(lease.renewedAt(sent));
      }
      current = first(await(what, kv.get(key)));
      if (current.isPresent() && current.get().getCreateRevision() == lease.epoch().counter()) {
        return new LeaseOutcome.Ended(lease.epoch()); // expired; etcd is deleting the key
      }
    }
    if (current.isPresent()) {
      return new LeaseOutcome.HeldBy(epochOf(current.get()));
    }
    return new LeaseOutcome.Ended(lease.epoch());
  }

  @Override
  public void release(WitnessLease lease) {
    own(lease);
    String what = "release " + lease.group();
    Optional<KeyValue> current = first(await(what, kv.get(leaseKey(lease.group()))));
    if (current.isPresent() && current.get().getCreateRevision() == lease.epoch().counter()) {
      // Revoking the tenure's own etcd lease deletes the key; a later tenure has another lease.
      try {
        await(what, leases.revoke(current.get().getLease()));
      } catch (WitnessUnavailableException e) {
        if (!notFound(e.getCause())) {
          throw e;
        }
      }
    }
  }

  @Override
  public Optional<Epoch> holder(String group) {
    Objects.requireNonNull(group, "group");
    return first(await("read holder of " + group, kv.get(leaseKey(group))))
        .map(EtcdWitness::epochOf);
  }

  @Override
  public Optional<Epoch> latestEpoch(String group) {
    Objects.requireNonNull(group, "group");
    return first(await("read latest epoch of " + group, kv.get(epochKey(group))))
        .map(k -> new Epoch(k.getModRevision(), k.getValue().toString(StandardCharsets.UTF_8)));
  }

  @Override
  public void keepAlive() {
    String what = "keep site alive";
    ByteSequence key = siteKey(site);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<KeyValue> current = first(await(what, kv.get(key)));
      if (current.isPresent() && keepAlive(what, current.get().getLease())) {
        return;
      }
      if (current.isPresent()) {
        continue; // expired: etcd is deleting the key
      }
      long etcdLease = await(what, leases.grant(ttl.toSeconds())).getID();
      TxnResponse txn =
          await(
              what,
              kv.txn()
                  .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                  .Then(
                      Op.put(key, bytes(site), PutOption.builder().withLeaseId(etcdLease).build()))
                  .commit());
      if (txn.isSucceeded()) {
        return;
      }
      revokeQuietly(etcdLease); // another client of this site made it alive meanwhile
    }
    throw new WitnessUnavailableException(
        "witness " + what + " failed: the site's key kept changing under " + ATTEMPTS + " attempts",
        null);
  }

  @Override
  public void register(String group, int priority) {
    Objects.requireNonNull(group, "group");
    Candidate checked = new Candidate(site, priority);
    await(
        "register for " + group,
        kv.put(candidateKey(group, site), bytes(Integer.toString(checked.priority()))));
  }

  @Override
  public void withdraw(String group) {
    Objects.requireNonNull(group, "group");
    await("withdraw from " + group, kv.delete(candidateKey(group, site)));
  }

  @Override
  public List<Candidate> candidates(String group) {
    Objects.requireNonNull(group, "group");
    String what = "list candidates of " + group;
    String candidatePrefix = prefix + "candidate/" + encode(group) + "/";
    GetResponse registered =
        await(what, kv.get(bytes(candidatePrefix), GetOption.builder().isPrefix(true).build()));
    // The live sites at the same revision, so both reads see one state of etcd.
    GetResponse alive =
        await(
            what,
            kv.get(
                bytes(prefix + "site/"),
                GetOption.builder()
                    .isPrefix(true)
                    .withKeysOnly(true)
                    .withRevision(registered.getHeader().getRevision())
                    .build()));
    Set<String> live = new HashSet<>();
    for (KeyValue k : alive.getKvs()) {
      live.add(decode(k.getKey().toString(StandardCharsets.UTF_8).substring(prefix.length() + 5)));
    }
    List<Candidate> candidates = new ArrayList<>();
    for (KeyValue k : registered.getKvs()) {
      String candidate =
          decode(k.getKey().toString(StandardCharsets.UTF_8).substring(candidatePrefix.length()));
      if (live.contains(candidate)) {
        candidates.add(
            new Candidate(
                candidate, Integer.parseInt(k.getValue().toString(StandardCharsets.UTF_8))));
      }
    }
    candidates.sort(Candidate.BEST_FIRST);
    return List.copyOf(candidates);
  }

  @Override
  public String toString() {
    return "EtcdWitness[" + site + " prefix=" + prefix + " ttl=" + ttl + "]";
  }

  /**
   * Renews an etcd lease once.
   *
   * @return true when etcd renewed it, false when it no longer exists (expired or revoked)
   */
  private boolean keepAlive(String what, long etcdLease) {
    try {
      return await(what, leases.keepAliveOnce(etcdLease)).getTTL() > 0;
    } catch (WitnessUnavailableException e) {
      if (notFound(e.getCause())) {
        return false;
      }
      throw e;
    }
  }

  private static boolean notFound(Throwable cause) {
    return cause instanceof EtcdException etcd
        && (etcd.getErrorCode() == ErrorCode.NOT_FOUND
            || String.valueOf(etcd.getMessage()).contains("lease not found"));
  }

  private void revokeQuietly(long etcdLease) {
    try {
      leases.revoke(etcdLease).get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // An unused lease lapses by itself within one TTL; nothing is attached to it.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private <T> T await(String what, CompletableFuture<T> call) {
    try {
      return call.get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new WitnessUnavailableException(
          "witness "
              + what
              + " failed: etcd did not answer within "
              + callTimeout.toMillis()
              + " ms",
          e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new WitnessUnavailableException(
          "witness "
              + what
              + " failed: "
              + cause.getClass().getSimpleName()
              + ": "
              + cause.getMessage(),
          cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WitnessUnavailableException("witness " + what + " interrupted", e);
    }
  }

  private LeaseOutcome granted(String group, Epoch epoch, long sent) {
    return new LeaseOutcome.Granted(new WitnessLease(group, epoch, ttl, sent, sent));
  }

  private static Optional<KeyValue> first(GetResponse response) {
    return response.getKvs().isEmpty() ? Optional.empty() : Optional.of(response.getKvs().get(0));
  }

  private static Epoch epochOf(KeyValue holder) {
    return new Epoch(
        holder.getCreateRevision(), holder.getValue().toString(StandardCharsets.UTF_8));
  }

  private void own(WitnessLease lease) {
    Objects.requireNonNull(lease, "lease");
    if (!lease.epoch().site().equals(site)) {
      throw new IllegalArgumentException(
          "site " + site + " cannot use the lease of " + lease.epoch());
    }
  }

  private ByteSequence leaseKey(String group) {
    return bytes(prefix + "lease/" + encode(group));
  }

  private ByteSequence epochKey(String group) {
    return bytes(prefix + "epoch/" + encode(group));
  }

  private ByteSequence siteKey(String candidate) {
    return bytes(prefix + "site/" + encode(candidate));
  }

  private ByteSequence candidateKey(String group, String candidate) {
    return bytes(prefix + "candidate/" + encode(group) + "/" + encode(candidate));
  }

  /** A name as one key segment: no '/' survives, so a group name never reaches another's keys. */
  private static String encode(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8);
  }

  private static String decode(String segment) {
    return URLDecoder.decode(segment, StandardCharsets.UTF_8);
  }

  private static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }
}
