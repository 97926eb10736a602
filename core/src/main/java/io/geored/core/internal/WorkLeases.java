package io.geored.core.internal;

import io.geored.spi.lease.LeaseKeeper;
import io.geored.spi.time.Cancellable;
import io.geored.spi.time.Scheduler;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Decides which engine runs the work that must happen once when several engines share one database
 * (a peer's heartbeat and audits, a group's migration, the availability audit). Work asks {@link
 * #holds} before each run and skips the run when another engine holds the lease; its task keeps its
 * schedule, so it resumes on the first run after a takeover.
 *
 * <p>{@link #always()} is the single-engine default: every lease is held, nothing is stored. {@link
 * #shared} keeps the leases in a {@link io.geored.spi.lease.LeaseStore} through a {@link
 * LeaseKeeper}: a lease not held is tried on each ask, a lease held is renewed on a periodic task
 * every renewal interval, and {@link #stop()} gives every held lease up so another engine takes
 * over at once. Thread-safe.
 */
public abstract sealed class WorkLeases {

  /** Lease of the availability audit. */
  public static final String AVAILABILITY = "availability";

  private WorkLeases() {}

  /**
   * The lease of a peer's heartbeat and the audits it drives.
   *
   * @param peerUuid the peer's uuid
   * @return the lease name
   */
  public static String monitor(String peerUuid) {
    return "monitor:" + peerUuid;
  }

  /**
   * The lease of a group's migration batch.
   *
   * @param peerGroupName the group's name
   * @return the lease name
   */
  public static String migrate(String peerGroupName) {
    return "migrate:" + peerGroupName;
  }

  /**
   * The lease of one association's sync.
   *
   * @param associationId the association
   * @return the lease name
   */
  public static String sync(long associationId) {
    return "sync:" + associationId;
  }

  /**
   * Every lease held, by this engine alone: one engine per database.
   *
   * @return leases that are always held
   */
  public static WorkLeases always() {
    return new Always();
  }

  /**
   * Leases shared with other engines through a keeper.
   *
   * @param keeper this engine's side of the shared leases, on the scheduler's clock
   * @param scheduler runs the renewal task
   * @return the shared leases, not started
   */
  public static WorkLeases shared(LeaseKeeper keeper, Scheduler scheduler) {
    return new Shared(keeper, scheduler);
  }

  /**
   * Whether this engine may run the work of a lease now; takes the lease when it is free.
   *
   * @param name the lease
   * @return true when this engine holds it
   */
  public abstract boolean holds(String name);

  /**
   * Gives a lease up, when its work ended here (a peer no longer watched, a migration finished).
   *
   * @param name the lease
   */
  public abstract void release(String name);

  /** Starts renewing the leases held. */
  public abstract void start();

  /** Stops renewing and gives every held lease up. Idempotent. */
  public abstract void stop();

  private static final class Always extends WorkLeases {
    @Override
    public boolean holds(String name) {
      return true;
    }

    @Override
    public void release(String name) {
      // Nothing is stored: no other engine waits for it.
    }

    @Override
    public void start() {
      // Nothing to renew.
    }

    @Override
    public void stop() {
      // Nothing to give up.
    }
  }

  private static final class Shared extends WorkLeases {

    private static final Logger LOG = EscapingLogger.of(WorkLeases.class);

    private final LeaseKeeper keeper;
    private final Scheduler scheduler;

    /** The leases this engine took and keeps renewing until it gives them up. */
    private final Set<String> held = ConcurrentHashMap.newKeySet();

    private Cancellable renewal;
    private boolean stopped;

    Shared(LeaseKeeper keeper, Scheduler scheduler) {
      this.keeper = Objects.requireNonNull(keeper, "keeper");
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    @Override
    public boolean holds(String name) {
      if (keeper.holds(name)) {
        return true;
      }
      synchronized (this) {
        if (stopped) {
          return false;
        }
      }
      // Not held (never taken, lost, or another's): try to take it, so a lease its holder gave up
      // or let lapse is taken over on the next run of its work.
      boolean took;
      try {
        took = keeper.acquire(name);
      } catch (RuntimeException e) {
        LOG.warn("lease could not be taken lease={} reason={}", name, e.getMessage());
        return false;
      }
      if (took) {
        if (held.add(name)) {
          LOG.info("lease taken lease={} owner={}", name, keeper.owner());
        }
      } else if (held.remove(name)) {
        LOG.warn("lease lost to another engine lease={} owner={}", name, keeper.owner());
      }
      return took;
    }

    @Override
    public void release(String name) {
      if (!held.remove(name)) {
        return;
      }
      try {
        keeper.release(name);
        LOG.info("lease released lease={} owner={}", name, keeper.owner());
      } catch (RuntimeException e) {
        LOG.warn("lease release failed, it lapses by itself lease={}", name, e);
      }
    }

    @Override
    public synchronized void start() {
      if (renewal != null || stopped) {
        return;
      }
      renewal =
          scheduler.scheduleWithFixedDelay(
              this::renew, keeper.settings().renewEvery(), keeper.settings().renewEvery());
      LOG.info(
          "leases started owner={} period={} renew_every={}",
          keeper.owner(),
          keeper.settings().period(),
          keeper.settings().renewEvery());
    }

    private void renew() {
      for (String name : Set.copyOf(held)) {
        try {
          if (!keeper.acquire(name)) {
            held.remove(name);
            LOG.warn("lease lost to another engine lease={} owner={}", name, keeper.owner());
          }
        } catch (RuntimeException e) {
          // The lease stays held until its expiry; the next renewal tries again.
          LOG.warn("lease renewal failed lease={} reason={}", name, e.getMessage());
        }
      }
    }

    @Override
    public void stop() {
      synchronized (this) {
        if (stopped) {
          return;
        }
        stopped = true;
        if (renewal != null) {
          renewal.cancel();
        }
      }
      held.clear();
      try {
        keeper.releaseAll();
        LOG.info("leases released owner={}", keeper.owner());
      } catch (RuntimeException e) {
        LOG.warn("leases could not all be released, they lapse by themselves", e);
      }
    }
  }
}
