package io.geored.core.failover;

import io.geored.core.internal.EscapingLogger;
import io.geored.core.internal.ProgressBoard;
import io.geored.core.internal.SiteContext;
import io.geored.core.internal.WorkLeases;
import io.geored.core.leader.LeaderTexts;
import io.geored.spi.event.GeoredEvent;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.work.RehomeOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;

/**
 * One batch migration of a peer group, in the background on the engine's scheduler. Each member
 * takes one of {@code max_subcloud_rehoming} places from its hand-over to the end of its online
 * wait: hand-over on the peers, pre-rehome, rehoming through the host's rehomer, complete, then
 * managed as soon as it is online (or left unmanaged after the online-wait timeout). Nothing waits
 * on a thread: each step continues from the previous one's completion on a scheduler task, so a
 * closed engine drops the rest and restart recovery closes the group. When every member is done,
 * whatever the outcome, {@link MigrationEnd} closes the group.
 */
final class MigrationRun {

  private static final Logger LOG = EscapingLogger.of(MigrationRun.class);

  /** How often the end is retried when the group cannot be written (a store outage). */
  static final int END_ATTEMPTS = 10;

  private final SiteContext context;
  private final AvailabilityWrites writes;
  private final MigrationHandover handover;
  private final MigrationEnd end;
  private final SubcloudPeerGroup group;
  private final String sysadminPassword;
  private final Deque<Subcloud> waiting;
  // The peers available when the batch started: asked for every member, even if marked
  // unavailable later (a partition in the middle of the batch), so none is skipped while it may
  // still manage a member.
  private final Set<Long> availableAtStart = new TreeSet<>();
  private final int total;
  private final int places;
  private int running;
  private int done;
  private int managed;
  private int failed;
  private int skipped;
  private boolean halted;
  private final java.util.Set<Member> active = new java.util.LinkedHashSet<>();
  private ProgressBoard.Tracker tracker;

  MigrationRun(
      SiteContext context,
      AvailabilityWrites writes,
      MigrationHandover handover,
      MigrationEnd end,
      SubcloudPeerGroup group,
      List<Subcloud> members,
      String sysadminPassword) {
    this.context = context;
    this.writes = writes;
    this.handover = handover;
    this.end = end;
    this.group = group;
    this.sysadminPassword = sysadminPassword;
    this.waiting = new ArrayDeque<>(members);
    this.total = members.size();
    this.places = Math.max(1, group.maxSubcloudRehoming());
    for (SystemPeer peer : handover.availablePeers(group.id())) {
      availableAtStart.add(peer.id());
    }
  }

  /** Starts the batch; returns at once. */
  void start() {
    LOG.info(
        "migration started peer_group={} subclouds={} max_subcloud_rehoming={}",
        group.peerGroupName(),
        total,
        places);
    tracker = context.progress().migrationStarted(group.id(), total, context.now());
    progress(0, MigrationTexts.STARTED);
    context.leadership().batchStarted(group.peerGroupName(), this::halt);
    context.scheduler().execute(this::fill);
  }

  /**
   * Whether the batch must stop: it was halted, or (with a witness) this site may no longer act for
   * the group. Checked just before every leader action of a member.
   */
  private boolean halted() {
    synchronized (this) {
      if (halted) {
        return true;
      }
    }
    return !context.leadership().mayAct(group.peerGroupName());
  }

  /**
   * Stops the batch when this site fences the group: nothing more starts; a rehome in flight is
   * cancelled and its member ends rehome-failed; every other member ends where it is (nothing
   * transitory stays).
   */
  private void halt() {
    List<Member> stopping;
    List<Subcloud> neverStarted;
    synchronized (this) {
      if (halted) {
        return;
      }
      halted = true;
      stopping = new ArrayList<>(active);
      neverStarted = new ArrayList<>(waiting);
      waiting.clear();
      running += neverStarted.size();
    }
    LOG.warn(
        "migration stopped, this site lost the group's lease peer_group={} in_flight={}"
            + " not_started={}",
        group.peerGroupName(),
        stopping.size(),
        neverStarted.size());
    for (Subcloud member : neverStarted) {
      new Member(member).done(Ending.SKIPPED, MigrationTexts.skipped(member.name()));
    }
    for (Member member : stopping) {
      member.cancel();
    }
  }

  /** Gives free places to waiting members; each starts on its own task. */
  private void fill() {
    List<Subcloud> starting = new ArrayList<>();
    synchronized (this) {
      while (running < places && !waiting.isEmpty()) {
        running++;
        starting.add(waiting.poll());
        tracker.itemStarted();
      }
    }
    for (Subcloud member : starting) {
      Member m = new Member(member);
      synchronized (this) {
        active.add(m);
      }
      context.scheduler().execute(m::begin);
    }
  }

  private enum Ending {
    MANAGED,
    FAILED,
    SKIPPED
  }

  private void memberDone(Ending ending, String detail) {
    int doneNow;
    boolean last;
    synchronized (this) {
      running--;
      done++;
      switch (ending) {
        case MANAGED -> managed++;
        case FAILED -> failed++;
        case SKIPPED -> skipped++;
      }
      doneNow = done;
      last = done == total;
      tracker.itemFinished(ending != Ending.FAILED, true, context.now());
    }
    progress(doneNow, detail);
    if (last) {
      finish(1);
    } else {
      fill();
    }
  }

  private void finish(int attempt) {
    context.leadership().batchEnded(group.peerGroupName());
    try {
      if (halted()) {
        // Fenced: this site does not lead the group; it closes the migration and tells no one.
        end.closeFenced(group.id(), group.peerGroupName());
        context.leases().release(WorkLeases.migrate(group.peerGroupName()));
      } else {
        SubcloudPeerGroup closed = end.close(group.id(), group.peerGroupName());
        context.leases().release(WorkLeases.migrate(group.peerGroupName()));
        end.announce(closed);
      }
    } catch (RuntimeException e) {
      if (attempt < END_ATTEMPTS) {
        LOG.error(
            "migration could not be closed, trying again peer_group={} attempt={}",
            group.peerGroupName(),
            attempt,
            e);
        context
            .scheduler()
            .schedule(() -> finish(attempt + 1), context.settings().onlineWaitPoll());
        return;
      }
      LOG.error(
          "migration could not be closed, restart recovery will peer_group={} attempts={}",
          group.peerGroupName(),
          attempt,
          e);
      return;
    }
    int managedNow;
    int failedNow;
    int skippedNow;
    synchronized (this) {
      managedNow = managed;
      failedNow = failed;
      skippedNow = skipped;
    }
    tracker.ended(context.now());
    progress(total, MigrationTexts.FINISHED);
    LOG.info(
        "migration finished peer_group={} subclouds={} managed={} failed={} skipped={}",
        group.peerGroupName(),
        total,
        managedNow,
        failedNow,
        skippedNow);
  }

  private void progress(int doneNow, String detail) {
    context.emit(
        new GeoredEvent.Progress(
            context.now(),
            MigrationTexts.OPERATION,
            group.peerGroupName(),
            doneNow,
            total,
            detail));
  }

  /** One member's way through the batch. Its steps run one after the other, never at once. */
  private final class Member {
    private final long id;
    private final String name;
    private boolean finished;
    private CompletionStage<RehomeOutcome> inFlight;

    Member(Subcloud subcloud) {
      this.id = subcloud.id();
      this.name = subcloud.name();
    }

    void begin() {
      guarded(this::checkAndHandOver);
    }

    /** The batch was halted: a rehome in flight ends rehome-failed, anything else as it is. */
    void cancel() {
      Optional<AvailabilityWrites.Change> failed =
          writes.update(
              id,
              name,
              current ->
                  current.deployStatus() == DeployStatus.PRE_REHOME
                          || current.deployStatus() == DeployStatus.REHOMING
                      ? current.toBuilder()
                          .deployStatus(DeployStatus.REHOME_FAILED)
                          .errorDescription(LeaderTexts.rehomeCancelled(name))
                          .build()
                      : current);
      CompletionStage<RehomeOutcome> flight;
      synchronized (this) {
        flight = inFlight;
      }
      if (flight != null) {
        flight.toCompletableFuture().cancel(true);
      }
      if (failed.isPresent()) {
        LOG.warn("subcloud rehome cancelled, the group was fenced name={}", name);
        done(Ending.FAILED, MigrationTexts.failed(name, DeployStatus.REHOME_FAILED.wire()));
      } else {
        done(Ending.SKIPPED, MigrationTexts.skipped(name));
      }
    }

    /** Ends the member when the batch must stop; true when it did. */
    private boolean stopHere() {
      if (!halted()) {
        return false;
      }
      done(Ending.SKIPPED, MigrationTexts.skipped(name));
      return true;
    }

    private void checkAndHandOver() {
      if (stopHere()) {
        return;
      }
      Optional<Subcloud> found = context.stores().subclouds().findById(id);
      if (found.isEmpty() || !Migration.MIGRATABLE.contains(found.get().deployStatus())) {
        LOG.info("migration skips subcloud name={} reason=gone or no longer waiting", name);
        done(Ending.SKIPPED, MigrationTexts.skipped(name));
        return;
      }
      Subcloud subcloud = found.get();
      Optional<String> problem = Migration.rehomeDataProblem(subcloud);
      if (problem.isPresent()) {
        prepFailed(problem.get());
        return;
      }
      handover.start(
          subcloud,
          availableAtStart,
          MigrationRun.this::halted,
          result -> {
            if (result instanceof MigrationHandover.NotHandedOver refused) {
              guarded(() -> notHandedOver(refused.errorDescription()));
            } else if (result instanceof MigrationHandover.Stopped) {
              // Halted or fenced while the peers were asked: nothing more was written to them.
              done(Ending.SKIPPED, MigrationTexts.skipped(name));
            } else {
              guarded(this::rehome);
            }
          });
    }

    /**
     * A peer did not let the subcloud go: it is not rehomed, and keeps the deploy status it waited
     * in (secondary, as a rule), with why in its error description. Nothing was done to the
     * subcloud, so no failed state is written: a peer's audit would read one as a failed rehome and
     * give up its own copy, which may be the one still managing the subcloud.
     */
    private void notHandedOver(String why) {
      writes.update(
          id,
          name,
          current ->
              Migration.MIGRATABLE.contains(current.deployStatus())
                  ? current.toBuilder().errorDescription(why).build()
                  : current);
      LOG.warn("subcloud not handed over by a peer, not rehomed name={} reason={}", name, why);
      Optional<Subcloud> kept =
          context
              .stores()
              .subclouds()
              .findById(id)
              .filter(current -> Migration.MIGRATABLE.contains(current.deployStatus()));
      if (kept.isPresent()) {
        done(Ending.FAILED, MigrationTexts.notHandedOver(name, kept.get().deployStatus().wire()));
      } else {
        done(Ending.SKIPPED, MigrationTexts.skipped(name));
      }
    }

    /**
     * A subcloud that cannot be rehomed: rehome-prep-failed, with why, unless it stopped waiting
     * for migration meanwhile.
     */
    private void prepFailed(String why) {
      Optional<AvailabilityWrites.Change> written =
          writes.update(
              id,
              name,
              current ->
                  Migration.MIGRATABLE.contains(current.deployStatus())
                      ? current.toBuilder()
                          .deployStatus(DeployStatus.REHOME_PREP_FAILED)
                          .errorDescription(why)
                          .build()
                      : current);
      LOG.warn("subcloud cannot be migrated name={} reason={}", name, why);
      if (written.isPresent()) {
        done(Ending.FAILED, MigrationTexts.failed(name, DeployStatus.REHOME_PREP_FAILED.wire()));
      } else {
        done(Ending.SKIPPED, MigrationTexts.skipped(name));
      }
    }

    private void rehome() {
      if (stopHere()) {
        return;
      }
      // Checked again: the rehome data may have gone while the peers were asked.
      Optional<AvailabilityWrites.Change> prepared =
          writes.update(
              id,
              name,
              current -> {
                if (!Migration.MIGRATABLE.contains(current.deployStatus())) {
                  return current;
                }
                Optional<String> problem = Migration.rehomeDataProblem(current);
                return current.toBuilder()
                    .deployStatus(
                        problem.isPresent()
                            ? DeployStatus.REHOME_PREP_FAILED
                            : DeployStatus.PRE_REHOME)
                    .errorDescription(problem.orElse(MigrationTexts.NO_ERRORS))
                    .build();
              });
      if (prepared.isEmpty()) {
        done(Ending.SKIPPED, MigrationTexts.skipped(name));
        return;
      }
      if (prepared.get().after().deployStatus() == DeployStatus.REHOME_PREP_FAILED) {
        LOG.warn(
            "subcloud cannot be migrated name={} reason={}",
            name,
            prepared.get().after().errorDescription());
        done(Ending.FAILED, MigrationTexts.failed(name, DeployStatus.REHOME_PREP_FAILED.wire()));
        return;
      }
      Optional<AvailabilityWrites.Change> rehoming =
          writes.update(
              id,
              name,
              current ->
                  moveFrom(
                      current,
                      DeployStatus.PRE_REHOME,
                      DeployStatus.REHOMING,
                      MigrationTexts.NO_ERRORS));
      if (rehoming.isEmpty()) {
        done(Ending.SKIPPED, MigrationTexts.skipped(name));
        return;
      }
      Subcloud subcloud = rehoming.get().after();
      RehomeData data = subcloud.rehomeData();
      if (halted()) {
        cancel();
        return;
      }
      CompletionStage<RehomeOutcome> stage;
      try {
        stage = context.rehomer().rehome(subcloud, data, sysadminPassword);
        if (stage == null) {
          throw new IllegalStateException("the rehomer returned no stage");
        }
      } catch (RuntimeException e) {
        notStarted(e);
        return;
      }
      synchronized (this) {
        inFlight = stage;
      }
      LOG.info("subcloud rehoming name={}", name);
      stage.whenComplete(
          (outcome, error) ->
              context.scheduler().execute(() -> guarded(() -> rehomed(outcome, error))));
    }

    private void rehomed(RehomeOutcome outcome, Throwable error) {
      synchronized (this) {
        inFlight = null;
        if (finished) {
          return;
        }
      }
      if (error != null || outcome == null) {
        notStarted(error == null ? new IllegalStateException("the rehome had no outcome") : error);
        return;
      }
      if (outcome instanceof RehomeOutcome.Failed failure) {
        String why =
            failure.errorDescription() == null || failure.errorDescription().isBlank()
                ? MigrationTexts.rehomeFailed(name)
                : failure.errorDescription();
        writes.update(
            id,
            name,
            current -> moveFrom(current, DeployStatus.REHOMING, DeployStatus.REHOME_FAILED, why));
        LOG.warn("subcloud rehome failed name={}", name);
        done(Ending.FAILED, MigrationTexts.failed(name, DeployStatus.REHOME_FAILED.wire()));
        return;
      }
      Optional<AvailabilityWrites.Change> complete =
          writes.update(
              id,
              name,
              current ->
                  current.deployStatus() == DeployStatus.REHOMING
                      ? current.toBuilder()
                          .deployStatus(DeployStatus.COMPLETE)
                          .rehomed(true)
                          .build()
                      : current);
      if (complete.isEmpty()) {
        done(Ending.FAILED, MigrationTexts.skipped(name));
        return;
      }
      LOG.info("subcloud rehomed, waiting for it to come online name={}", name);
      awaitOnline(context.now());
    }

    /** The rehomer threw or its stage failed: the rehome could not start. */
    private void notStarted(Throwable error) {
      Throwable cause = unwrap(error);
      String message = cause.getMessage();
      String why =
          message == null || message.isBlank()
              ? MigrationTexts.rehomeNotStarted(name, cause.getClass().getName())
              : message;
      writes.update(
          id,
          name,
          current ->
              current.deployStatus() == DeployStatus.REHOMING
                      || current.deployStatus() == DeployStatus.PRE_REHOME
                  ? current.toBuilder()
                      .deployStatus(DeployStatus.REHOME_PREP_FAILED)
                      .errorDescription(why)
                      .build()
                  : current);
      LOG.warn(
          "subcloud rehome could not start name={} error_type={}",
          name,
          cause.getClass().getName());
      done(Ending.FAILED, MigrationTexts.failed(name, DeployStatus.REHOME_PREP_FAILED.wire()));
    }

    /** Checks now, then every poll, until online (managed) or the timeout (left unmanaged). */
    private void awaitOnline(Instant since) {
      Optional<Subcloud> found = context.stores().subclouds().findById(id);
      if (found.isEmpty()) {
        done(Ending.FAILED, MigrationTexts.skipped(name));
        return;
      }
      Subcloud current = found.get();
      if (current.managementState() == ManagementState.MANAGED) {
        done(Ending.MANAGED, MigrationTexts.managed(name));
        return;
      }
      if (current.deployStatus() != DeployStatus.COMPLETE) {
        done(Ending.FAILED, MigrationTexts.failed(name, current.deployStatus().wire()));
        return;
      }
      if (current.availabilityStatus() == AvailabilityStatus.ONLINE) {
        manage();
        return;
      }
      CompletionStage<AvailabilityStatus> answer;
      try {
        answer = context.probe().probe(current);
        if (answer == null) {
          answer = CompletableFuture.failedFuture(new IllegalStateException("no answer"));
        }
      } catch (RuntimeException e) {
        answer = CompletableFuture.failedFuture(e);
      }
      answer.whenComplete(
          (status, error) ->
              context
                  .scheduler()
                  .execute(
                      () ->
                          guarded(
                              () ->
                                  probed(
                                      since,
                                      error == null && status == AvailabilityStatus.ONLINE))));
    }

    private void probed(Instant since, boolean online) {
      if (online) {
        writes.setAvailability(
            id,
            name,
            AvailabilityStatus.ONLINE,
            current ->
                current.deployStatus() == DeployStatus.COMPLETE
                    && current.managementState() == ManagementState.UNMANAGED);
        manage();
        return;
      }
      Duration waited = Duration.between(since, context.now());
      Duration timeout = context.settings().onlineWaitTimeout();
      if (waited.compareTo(timeout) >= 0) {
        LOG.warn(
            "subcloud still offline after the online wait, left unmanaged name={} waited={}",
            name,
            waited);
        done(Ending.FAILED, MigrationTexts.stillOffline(name));
        return;
      }
      // The last probe falls on the timeout itself, so "after 900 s still offline" is exact.
      Duration poll = context.settings().onlineWaitPoll();
      Duration left = timeout.minus(waited);
      Duration next = poll.compareTo(left) < 0 ? poll : left;
      context.scheduler().schedule(() -> guarded(() -> awaitOnline(since)), next);
    }

    private void manage() {
      if (halted()) {
        // Complete and unmanaged: not transitory; the next leader manages it.
        done(Ending.FAILED, MigrationTexts.skipped(name));
        return;
      }
      Optional<AvailabilityWrites.Change> change = writes.manage(id, name);
      boolean nowManaged =
          change.isPresent()
              || context
                  .stores()
                  .subclouds()
                  .findById(id)
                  .map(s -> s.managementState() == ManagementState.MANAGED)
                  .orElse(false);
      if (nowManaged) {
        done(Ending.MANAGED, MigrationTexts.managed(name));
      } else {
        done(Ending.FAILED, MigrationTexts.skipped(name));
      }
    }

    /**
     * Runs a step; an unexpected failure (a store outage, a bug) must neither leave the subcloud in
     * a transitory state nor keep its place, or the batch would never end.
     */
    private void guarded(Runnable step) {
      try {
        step.run();
      } catch (RuntimeException e) {
        LOG.error("migration step failed name={}", name, e);
        String why = MigrationTexts.stepFailed(name, e.getClass().getName());
        try {
          writes.update(
              id,
              name,
              current ->
                  current.deployStatus() == DeployStatus.PRE_REHOME
                          || current.deployStatus() == DeployStatus.REHOMING
                      ? current.toBuilder()
                          .deployStatus(current.deployStatus().failedState().orElseThrow())
                          .errorDescription(why)
                          .build()
                      : current);
        } catch (RuntimeException again) {
          LOG.error("subcloud left in a transitory state until restart name={}", name, again);
        }
        done(Ending.FAILED, why);
      }
    }

    private void done(Ending ending, String detail) {
      synchronized (this) {
        if (finished) {
          return;
        }
        finished = true;
      }
      synchronized (MigrationRun.this) {
        active.remove(this);
      }
      memberDone(ending, detail);
    }
  }

  private static Subcloud moveFrom(
      Subcloud current, DeployStatus from, DeployStatus to, String errorDescription) {
    return current.deployStatus() == from
        ? current.toBuilder().deployStatus(to).errorDescription(errorDescription).build()
        : current;
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
