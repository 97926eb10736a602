package io.geored.testkit.sim;

import io.geored.spi.GeoredException;
import io.geored.spi.PeerTransportException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.SiteApi;
import io.geored.spi.model.LocalSystem;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.peer.PeerSites;
import io.geored.spi.time.Scheduler;
import io.geored.testkit.time.VirtualClock;
import io.geored.testkit.time.VirtualScheduler;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process network of sites: routes {@link SiteApi} calls between sites living in one JVM, in
 * virtual time, with faults injected on demand. No sockets, no threads of its own.
 *
 * <p>A site joins with its identity and the manager endpoint peers address it by ({@link
 * #register(LocalSystem, String)}), and answers once its {@link SiteApi} is {@link #attach
 * attached}. {@link #peerSitesFor(LocalSystem)} gives the {@link PeerSites} port that site's engine
 * uses: {@link PeerSites#clientFor(SystemPeer)} finds the target by the system peer's {@code
 * managerEndpoint} when each call is made, so a peer stored with a wrong endpoint is unreachable,
 * as it would be over HTTP. Endpoints match exactly, except that trailing slashes are ignored.
 *
 * <p>Every call through a client is counted by kind (the {@link SiteApi} method name) and by
 * directed link, whether it then succeeds or not, and then meets the faults, in this order:
 *
 * <ol>
 *   <li>the calling site is stopped or down: it is cut off, nothing leaves it;
 *   <li>no site is registered at the endpoint;
 *   <li>the target is down ({@link #down}) or stopped (detached): unreachable;
 *   <li>the directed link is partitioned ({@link #partition}): unreachable, the other direction is
 *       not affected;
 *   <li>delays of the target and of the link ({@link Faults#delay}) add up: the call goes on once
 *       their sum of virtual time has passed. On a network made with a {@link VirtualScheduler}
 *       whose waits overlap ({@link VirtualScheduler#overlappingWaits()}), a call made by one of
 *       its tasks {@link VirtualScheduler#waitFor waits} that long while the scheduler's other
 *       tasks run, so the calls of tasks in flight at once overlap as on a real network; otherwise
 *       (and for calls made outside a task) the shared clock moves forward by the sum at once,
 *       without running scheduler tasks;
 *   <li>injected failures ({@link Faults#failNext}, {@link Faults#failCalls}, {@link
 *       Faults#failCall}): the call fails without reaching the target.
 * </ol>
 *
 * Each of these failures is a {@link PeerTransportException} with status 0 whose message starts
 * with the call kind and the endpoint. Then the target's {@link SiteApi} runs with the same
 * arguments, except the {@link Caller}: a call through {@link #peerSitesFor}'s clients (an
 * engine's) reaches the target as {@link Caller#peerSite(String)} of the calling site, as a server
 * that gives each peer its own token sees it, so the target confines it to peer work; a call
 * through {@link #client(LocalSystem, String)} keeps the caller it was given. A {@link
 * GeoredException} it throws (validation, not found, conflict, forbidden, failed, peer transport)
 * passes through unchanged, as the remote site's answer; any other {@link RuntimeException} becomes
 * a {@link PeerTransportException} with status 500 naming the call, with the original as cause, as
 * an HTTP client sees an internal server error. Errors pass through unchanged so that a failing
 * assertion inside a site is not hidden.
 *
 * <p>A site that is {@link #detach detached} (stopped) loses the clients it had: clients from
 * {@link PeerSites} obtained before the detach stay cut off even after the site is attached again,
 * so work left behind by a stopped engine can never reach another site. A restarted engine takes a
 * fresh {@link #peerSitesFor(LocalSystem)}.
 *
 * <p>Thread-safe: syncs and audits may call from scheduler tasks or executor threads while a test
 * injects faults.
 */
public final class SimNetwork {

  private static final Logger LOG = LoggerFactory.getLogger(SimNetwork.class);

  private final VirtualClock clock;
  // Null when the network was made with a clock only.
  private final VirtualScheduler scheduler;

  // Guarded by "this": the registry and every fault. Target calls and clock moves run outside it.
  private final Map<String, Node> nodesByUuid = new HashMap<>();
  private final Map<String, Node> nodesByEndpoint = new HashMap<>();
  private final Set<String> downSites = new HashSet<>();
  private final Set<Link> partitions = new HashSet<>();
  private final List<Rule> rules = new ArrayList<>();

  private final Map<CallKey, AtomicLong> counts = new ConcurrentHashMap<>();

  private final List<Consumer<Delivery>> observers = new CopyOnWriteArrayList<>();
  private final List<Consumer<Delivery>> failureObservers = new CopyOnWriteArrayList<>();

  /**
   * An empty network whose delays move a virtual clock.
   *
   * @param clock the clock every site of the network shares
   */
  public SimNetwork(VirtualClock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.scheduler = null;
  }

  /**
   * An empty network in the time of a scheduler: delays move its clock, or hold only the calling
   * task when its waits overlap ({@link VirtualScheduler#overlappingWaits()}).
   *
   * @param scheduler the scheduler every site of the network shares
   */
  public SimNetwork(VirtualScheduler scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.clock = scheduler.virtualClock();
  }

  /** A directed link between two sites, by uuid. */
  private record Link(String from, String to) {}

  /** What one call is counted under; {@code to} is null when no site is at the endpoint. */
  private record CallKey(String from, String to, String kind) {}

  private static final class Node {
    final LocalSystem system;
    final String endpoint;
    SiteApi api;
    long incarnation;
    // Where calls are handed to the site: its own scheduler view, null for the shared scheduler.
    Scheduler inbox;
    boolean paused;

    Node(LocalSystem system, String endpoint) {
      this.system = system;
      this.endpoint = endpoint;
    }
  }

  // ------------------------------------------------------------------ membership

  /**
   * Adds a site to the network. It is unreachable (stopped) until its API is {@link #attach
   * attached}.
   *
   * @param system the site's identity
   * @param managerEndpoint where peers address it, e.g. {@code http://site-b.sim/v1.0}
   * @throws IllegalArgumentException when the uuid or the endpoint is already registered
   */
  public synchronized void register(LocalSystem system, String managerEndpoint) {
    Objects.requireNonNull(system, "system");
    String endpoint = normalize(Objects.requireNonNull(managerEndpoint, "managerEndpoint"));
    if (nodesByUuid.containsKey(system.uuid())) {
      throw new IllegalArgumentException("site already registered: " + system.uuid());
    }
    if (nodesByEndpoint.containsKey(endpoint)) {
      throw new IllegalArgumentException("endpoint already registered: " + endpoint);
    }
    Node node = new Node(system, endpoint);
    nodesByUuid.put(system.uuid(), node);
    nodesByEndpoint.put(endpoint, node);
    LOG.debug("site registered site={} endpoint={}", system.name(), endpoint);
  }

  /**
   * Adds a site to the network and makes it answer at once.
   *
   * @param system the site's identity
   * @param managerEndpoint where peers address it
   * @param api what answers its calls
   * @throws IllegalArgumentException when the uuid or the endpoint is already registered
   */
  public synchronized void register(LocalSystem system, String managerEndpoint, SiteApi api) {
    register(system, managerEndpoint);
    attach(system, api);
  }

  /**
   * Makes a registered site answer calls with an API (a started or restarted engine's site).
   *
   * @param system the site
   * @param api what answers its calls
   * @throws IllegalArgumentException when the site is not registered
   */
  public synchronized void attach(LocalSystem system, SiteApi api) {
    node(system).api = Objects.requireNonNull(api, "api");
    LOG.debug("site attached site={}", system.name());
  }

  /**
   * Stops a site on the network: calls to it fail as unreachable until it is attached again, and
   * every client obtained from its earlier {@link #peerSitesFor} is cut off for good. Idempotent.
   *
   * @param system the site
   * @throws IllegalArgumentException when the site is not registered
   */
  public synchronized void detach(LocalSystem system) {
    Node node = node(system);
    if (node.api != null) {
      node.api = null;
      node.incarnation++;
      LOG.debug("site detached site={}", system.name());
    }
  }

  /**
   * The peer-sites port a site's engine uses: clients that call from this site. Obtain a new one
   * for each engine of the site (after a {@link #detach}, earlier ones are cut off).
   *
   * @param from the calling site
   * @return the port
   * @throws IllegalArgumentException when the site is not registered
   */
  public synchronized PeerSites peerSitesFor(LocalSystem from) {
    Node node = node(from);
    long incarnation = node.incarnation;
    return peer ->
        client(node, incarnation, Objects.requireNonNull(peer, "peer").managerEndpoint(), true);
  }

  /**
   * A client from one site to whatever answers at an endpoint, as the site's current engine would
   * open it; for tests that need no system peer record.
   *
   * @param from the calling site
   * @param managerEndpoint where to call
   * @return the client
   * @throws IllegalArgumentException when the calling site is not registered
   */
  public synchronized SiteApi client(LocalSystem from, String managerEndpoint) {
    Node node = node(from);
    return client(
        node, node.incarnation, Objects.requireNonNull(managerEndpoint, "endpoint"), false);
  }

  private SiteApi client(Node from, long incarnation, String endpoint, boolean identified) {
    String target = normalize(endpoint);
    InvocationHandler handler = new ClientHandler(from, incarnation, target, identified);
    return (SiteApi)
        Proxy.newProxyInstance(
            SiteApi.class.getClassLoader(), new Class<?>[] {SiteApi.class}, handler);
  }

  private Node node(LocalSystem system) {
    Node node = nodesByUuid.get(Objects.requireNonNull(system, "system").uuid());
    if (node == null) {
      throw new IllegalArgumentException("site not registered: " + system.uuid());
    }
    return node;
  }

  private static String normalize(String endpoint) {
    String e = endpoint.strip();
    while (e.endsWith("/")) {
      e = e.substring(0, e.length() - 1);
    }
    return e;
  }

  // ------------------------------------------------------------------ site and link faults

  /**
   * Takes a site off the network: calls to it and from it fail as unreachable. Its engine keeps
   * running. Idempotent.
   *
   * @param site the site
   * @throws IllegalArgumentException when the site is not registered
   */
  public synchronized void down(LocalSystem site) {
    node(site);
    if (downSites.add(site.uuid())) {
      LOG.info("network fault site_down site={}", site.name());
    }
  }

  /**
   * Puts a site that was {@link #down} back on the network. Idempotent.
   *
   * @param site the site
   * @throws IllegalArgumentException when the site is not registered
   */
  public synchronized void up(LocalSystem site) {
    node(site);
    if (downSites.remove(site.uuid())) {
      LOG.info("network fault healed site_up site={}", site.name());
    }
  }

  /**
   * Gives a site its own scheduler to receive calls delivered late ({@link Faults#deliverLate}, a
   * call to a {@link #pause paused} site): they run as its tasks, so a site that stands still
   * receives them only when it runs again. Default: the network's scheduler.
   *
   * @param site the site
   * @param scheduler the site's scheduler
   * @throws IllegalArgumentException when the site is not registered
   */
  public synchronized void inbox(LocalSystem site, Scheduler scheduler) {
    node(site).inbox = Objects.requireNonNull(scheduler, "scheduler");
  }

  /**
   * Marks a site as standing still (a GC or VM pause): a call to it does not answer, its caller
   * gets a time-out, and the request is handed to the site's inbox (see {@link #inbox}) to be
   * processed when the site runs again, as a request a stalled process read from its socket would
   * be. Idempotent.
   *
   * @param site the site
   * @throws IllegalArgumentException when the site is not registered
   */
  public synchronized void pause(LocalSystem site) {
    Node node = node(site);
    if (!node.paused) {
      node.paused = true;
      LOG.info("network fault site_paused site={}", site.name());
    }
  }

  /**
   * Ends a {@link #pause}. Idempotent.
   *
   * @param site the site
   * @throws IllegalArgumentException when the site is not registered
   */
  public synchronized void resume(LocalSystem site) {
    Node node = node(site);
    if (node.paused) {
      node.paused = false;
      LOG.info("network fault healed site_resumed site={}", site.name());
    }
  }

  /**
   * Cuts one direction of a link: calls from {@code from} to {@code to} fail as unreachable, calls
   * from {@code to} to {@code from} still work. Idempotent.
   *
   * @param from the caller that can no longer reach
   * @param to the site it can no longer reach
   * @throws IllegalArgumentException when a site is not registered
   */
  public synchronized void partition(LocalSystem from, LocalSystem to) {
    node(from);
    node(to);
    if (partitions.add(new Link(from.uuid(), to.uuid()))) {
      LOG.info("network fault partition from={} to={}", from.name(), to.name());
    }
  }

  /**
   * Cuts a link in both directions.
   *
   * @param a one site
   * @param b the other
   * @throws IllegalArgumentException when a site is not registered
   */
  public synchronized void partitionBothWays(LocalSystem a, LocalSystem b) {
    partition(a, b);
    partition(b, a);
  }

  /**
   * Restores one direction of a link cut by {@link #partition}. Idempotent.
   *
   * @param from the caller
   * @param to the site it calls
   * @throws IllegalArgumentException when a site is not registered
   */
  public synchronized void heal(LocalSystem from, LocalSystem to) {
    node(from);
    node(to);
    if (partitions.remove(new Link(from.uuid(), to.uuid()))) {
      LOG.info("network fault healed partition from={} to={}", from.name(), to.name());
    }
  }

  /**
   * Clears every fault: all sites up, all links whole, no failure or delay left. Stopped sites stay
   * stopped (that is their engine, not the network).
   */
  public synchronized void healAll() {
    downSites.clear();
    partitions.clear();
    rules.clear();
    LOG.info("network faults cleared");
  }

  /**
   * Faults on every call to a site, from any caller.
   *
   * @param target the site called
   * @return the faults of that target
   * @throws IllegalArgumentException when the site is not registered
   */
  public synchronized Faults to(LocalSystem target) {
    node(target);
    return new Faults(null, target.uuid(), target.name());
  }

  /**
   * Faults on the calls of one directed link only.
   *
   * @param from the calling site
   * @param to the site called
   * @return the faults of that link
   * @throws IllegalArgumentException when a site is not registered
   */
  public synchronized Faults link(LocalSystem from, LocalSystem to) {
    node(from);
    node(to);
    return new Faults(from.uuid(), to.uuid(), from.name() + "->" + to.name());
  }

  /**
   * Failures and delays of one scope: calls to a site from anyone, or the calls of one directed
   * link. Rules of different scopes that match one call all apply.
   */
  public final class Faults {
    private final String from;
    private final String to;
    private final String label;

    private Faults(String from, String to, String label) {
      this.from = from;
      this.to = to;
      this.label = label;
    }

    /**
     * Fails the next calls of this scope, whatever their kind.
     *
     * @param calls how many, at least 1
     * @return these faults, to add more
     */
    public Faults failNext(int calls) {
      if (calls < 1) {
        throw new IllegalArgumentException("calls must be at least 1: " + calls);
      }
      add(new Rule(from, to, RuleType.FAIL_NEXT, null, calls, null));
      LOG.info("network fault fail_next scope={} calls={}", label, calls);
      return this;
    }

    /**
     * Fails every call of one kind in this scope until cleared.
     *
     * @param kind a {@link SiteApi} method name, e.g. {@code createSubcloud}
     * @return these faults, to add more
     */
    public Faults failCalls(String kind) {
      add(new Rule(from, to, RuleType.FAIL_KIND, requireKind(kind), 0, null));
      LOG.info("network fault fail_calls scope={} kind={}", label, kind);
      return this;
    }

    /**
     * Fails only the n-th call of one kind in this scope, counted from now; the others go through.
     *
     * @param kind a {@link SiteApi} method name
     * @param occurrence which one, 1 for the next
     * @return these faults, to add more
     */
    public Faults failCall(String kind, int occurrence) {
      if (occurrence < 1) {
        throw new IllegalArgumentException("occurrence must be at least 1: " + occurrence);
      }
      add(new Rule(from, to, RuleType.FAIL_NTH, requireKind(kind), occurrence, null));
      LOG.info("network fault fail_call scope={} kind={} occurrence={}", label, kind, occurrence);
      return this;
    }

    /**
     * Makes every call of this scope take a while of virtual time. Delays add up, with each other
     * and with those of other scopes that match the call.
     *
     * @param latency how long, positive
     * @return these faults, to add more
     */
    public Faults delay(Duration latency) {
      if (latency.isNegative() || latency.isZero()) {
        throw new IllegalArgumentException("delay must be positive: " + latency);
      }
      add(new Rule(from, to, RuleType.DELAY, null, 0, latency));
      LOG.info("network fault delay scope={} latency={}", label, latency);
      return this;
    }

    /**
     * Makes the next calls of this scope answer nothing in time: each caller gets a time-out (a
     * {@link PeerTransportException} with status 0 whose message says {@code timed out}), but the
     * request is on its way and reaches the target after a while of virtual time, as a request
     * whose answer was lost. It is delivered then unless the target was stopped meanwhile (a
     * restart drops connections); what the target answers goes nowhere.
     *
     * @param calls how many, at least 1
     * @param after how long after the call the target receives it, positive
     * @return these faults, to add more
     * @throws IllegalStateException when the network was made with a clock only
     */
    public Faults deliverLate(int calls, Duration after) {
      if (calls < 1) {
        throw new IllegalArgumentException("calls must be at least 1: " + calls);
      }
      if (after.isNegative() || after.isZero()) {
        throw new IllegalArgumentException("delivery delay must be positive: " + after);
      }
      if (scheduler == null) {
        throw new IllegalStateException("late delivery needs a network made with a scheduler");
      }
      add(new Rule(from, to, RuleType.DELIVER_LATE, null, calls, after));
      LOG.info("network fault deliver_late scope={} calls={} after={}", label, calls, after);
      return this;
    }

    /** Removes every failure and delay of exactly this scope; other scopes keep theirs. */
    public void clear() {
      synchronized (SimNetwork.this) {
        rules.removeIf(r -> Objects.equals(r.from, from) && r.to.equals(to));
      }
      LOG.info("network fault healed scope={}", label);
    }

    private void add(Rule rule) {
      synchronized (SimNetwork.this) {
        rules.add(rule);
      }
    }
  }

  private static String requireKind(String kind) {
    Objects.requireNonNull(kind, "kind");
    boolean known = false;
    for (Method m : SiteApi.class.getMethods()) {
      known |= m.getName().equals(kind);
    }
    if (!known) {
      throw new IllegalArgumentException("not a SiteApi call: " + kind);
    }
    return kind;
  }

  private enum RuleType {
    FAIL_NEXT,
    FAIL_KIND,
    FAIL_NTH,
    DELAY,
    DELIVER_LATE
  }

  /** One injected failure or delay; {@code from} null matches every caller. */
  private static final class Rule {
    final String from;
    final String to;
    final RuleType type;
    final String kind;
    final Duration latency;
    // FAIL_NEXT: calls left to fail; FAIL_NTH: matching calls left until the one that fails.
    int countdown;

    Rule(String from, String to, RuleType type, String kind, int countdown, Duration latency) {
      this.from = from;
      this.to = to;
      this.type = type;
      this.kind = kind;
      this.countdown = countdown;
      this.latency = latency;
    }

    boolean matches(String caller, String target, String callKind) {
      return to.equals(target)
          && (from == null || from.equals(caller))
          && (kind == null || kind.equals(callKind));
    }
  }

  // ------------------------------------------------------------------ counts

  /**
   * Calls made through the network since the last reset, failed ones included.
   *
   * @return the count
   */
  public long calls() {
    return sum(k -> true);
  }

  /**
   * Calls of one kind, from any site to any endpoint.
   *
   * @param kind a {@link SiteApi} method name
   * @return the count
   */
  public long calls(String kind) {
    return sum(k -> k.kind().equals(kind));
  }

  /**
   * Calls on one directed link.
   *
   * @param from the calling site
   * @param to the site called
   * @return the count
   */
  public long calls(LocalSystem from, LocalSystem to) {
    return sum(k -> k.from().equals(from.uuid()) && to.uuid().equals(k.to()));
  }

  /**
   * Calls of one kind on one directed link.
   *
   * @param from the calling site
   * @param to the site called
   * @param kind a {@link SiteApi} method name
   * @return the count
   */
  public long calls(LocalSystem from, LocalSystem to, String kind) {
    return sum(
        k -> k.from().equals(from.uuid()) && to.uuid().equals(k.to()) && k.kind().equals(kind));
  }

  /**
   * The calls of one directed link by kind, for a readable assertion of what a scenario sent.
   *
   * @param from the calling site
   * @param to the site called
   * @return kind to count, only kinds that were called
   */
  public Map<String, Long> callsByKind(LocalSystem from, LocalSystem to) {
    Map<String, Long> byKind = new HashMap<>();
    counts.forEach(
        (k, n) -> {
          if (k.from().equals(from.uuid()) && to.uuid().equals(k.to())) {
            byKind.merge(k.kind(), n.get(), Long::sum);
          }
        });
    return Map.copyOf(byKind);
  }

  /** Forgets every count, e.g. after a scenario's set-up. */
  public void resetCalls() {
    counts.clear();
  }

  private long sum(Predicate<CallKey> filter) {
    long total = 0;
    for (Map.Entry<CallKey, AtomicLong> e : counts.entrySet()) {
      if (filter.test(e.getKey())) {
        total += e.getValue().get();
      }
    }
    return total;
  }

  // ------------------------------------------------------------------ one call

  /** Where a call goes and what the faults decided for it, taken under the lock. */
  private record Route(
      SiteApi api, Node target, Duration delay, String failure, Duration lateBy, long incarnation) {
    Route(SiteApi api, Node target, Duration delay, String failure) {
      this(api, target, delay, failure, null, 0);
    }
  }

  /**
   * One call as the target receives it, for observers ({@link #observe}): who called whom, what,
   * with which caller (its leader epoch included), and whether it arrived late.
   *
   * @param from the calling site's uuid
   * @param to the called site's uuid
   * @param kind the {@link SiteApi} method name
   * @param caller the caller the target sees
   * @param args the call's arguments after the caller
   * @param late true when delivered after its caller gave up (late delivery, a paused target)
   * @param inFlight how long the request was on its way before the target got it: the link's and
   *     the target's delays, plus a late delivery's wait (a call queued for a paused target counts
   *     only the delays; it is {@code late} anyway)
   */
  public record Delivery(
      String from,
      String to,
      String kind,
      Caller caller,
      List<Object> args,
      boolean late,
      Duration inFlight) {}

  /**
   * A call a site is handling: its target's {@link SiteApi} runs it on this thread.
   *
   * @param from the calling site's uuid
   * @param to the target site's uuid
   * @param kind the {@link SiteApi} method's name
   */
  public record Handling(String from, String to, String kind) {}

  private static final ThreadLocal<Deque<Handling>> HANDLING =
      ThreadLocal.withInitial(ArrayDeque::new);

  /**
   * The innermost call this thread is handling for a target site, if any: a failure observer told
   * of a call that failed on its way learns from it whether a site made that call while it answered
   * another site's (a nested call: the target asking a third site before it answers).
   *
   * @return the call being handled, or empty outside any
   */
  public Optional<Handling> handlingNow() {
    return Optional.ofNullable(HANDLING.get().peek());
  }

  /**
   * Tells an observer of every call about to reach its target (not those that fail on the way), in
   * the order they reach it; an observer must not call the network.
   *
   * @param observer what to tell
   */
  public void observe(Consumer<Delivery> observer) {
    observers.add(Objects.requireNonNull(observer, "observer"));
  }

  /**
   * Tells an observer of every call from a site to another that failed on the way (a fault of the
   * network, a stopped, down or paused target, a late delivery's time-out), as its caller sees it:
   * {@link Delivery#late()} is true for a call that will still be delivered later.
   *
   * @param observer what to tell
   */
  public void observeFailures(Consumer<Delivery> observer) {
    failureObservers.add(Objects.requireNonNull(observer, "observer"));
  }

  private final class ClientHandler implements InvocationHandler {
    private final Node from;
    private final long incarnation;
    private final String endpoint;
    private final boolean identified;

    ClientHandler(Node from, long incarnation, String endpoint, boolean identified) {
      this.from = from;
      this.incarnation = incarnation;
      this.endpoint = endpoint;
      this.identified = identified;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "SimNetwork client " + from.system.name() + " -> " + endpoint;
        };
      }
      String kind = method.getName();
      Route route = route(kind);
      if (!route.delay().isZero() && (scheduler == null || !scheduler.waitFor(route.delay()))) {
        clock.advance(route.delay());
      }
      if (identified && args != null && args.length > 0 && args[0] instanceof Caller given) {
        // As a server with peer tokens sees it: every call of an engine is its site's, confined;
        // the leader epoch travels with it as a request header does.
        Caller seen = Caller.peerSite(from.system.uuid());
        if (given.leaderEpoch().isPresent()) {
          seen = seen.withLeaderEpoch(given.leaderEpoch().getAsLong());
        }
        args = args.clone();
        args[0] = seen;
      }
      if (route.failure() != null && !failureObservers.isEmpty()) {
        Node target;
        synchronized (SimNetwork.this) {
          target = nodesByEndpoint.get(endpoint);
        }
        if (target != null && args != null && args.length > 0 && args[0] instanceof Caller c) {
          Delivery failed =
              new Delivery(
                  from.system.uuid(),
                  target.system.uuid(),
                  kind,
                  c,
                  Collections.unmodifiableList(
                      new ArrayList<>(Arrays.asList(args).subList(1, args.length))),
                  route.lateBy() != null,
                  route.lateBy() != null ? route.delay().plus(route.lateBy()) : route.delay());
          for (Consumer<Delivery> o : failureObservers) {
            o.accept(failed);
          }
        }
      }
      if (route.lateBy() != null) {
        sendLate(kind, method, args, route);
        throw new PeerTransportException(
            kind + " to " + endpoint + ": timed out (" + route.failure() + ")", null);
      }
      if (route.failure() != null) {
        LOG.debug(
            "peer call failed kind={} from={} endpoint={} reason={}",
            kind,
            from.system.name(),
            endpoint,
            route.failure());
        throw new PeerTransportException(kind + " to " + endpoint + ": " + route.failure(), null);
      }
      notify(route.target(), kind, args, false, route.delay());
      Deque<Handling> stack = HANDLING.get();
      stack.push(new Handling(from.system.uuid(), route.target().system.uuid(), kind));
      try {
        return method.invoke(route.api(), args);
      } catch (InvocationTargetException e) {
        Throwable answer = e.getCause();
        if (answer instanceof GeoredException || answer instanceof Error) {
          throw answer;
        }
        String target = route.target().system.name();
        LOG.debug(
            "peer call failed on the target kind={} from={} to={} error={}",
            kind,
            from.system.name(),
            target,
            answer.getClass().getSimpleName());
        throw new PeerTransportException(
            kind
                + " to "
                + endpoint
                + ": "
                + target
                + " answered 500 ("
                + answer.getClass().getSimpleName()
                + (answer.getMessage() == null ? "" : ": " + answer.getMessage())
                + ")",
            500,
            answer);
      } finally {
        stack.pop();
      }
    }

    private Route route(String kind) {
      synchronized (SimNetwork.this) {
        Node target = nodesByEndpoint.get(endpoint);
        counts
            .computeIfAbsent(
                new CallKey(from.system.uuid(), target == null ? null : target.system.uuid(), kind),
                k -> new AtomicLong())
            .incrementAndGet();
        String me = from.system.name();
        if (from.incarnation != incarnation || from.api == null) {
          return failed(me + " is cut off from the network (stopped)");
        }
        if (downSites.contains(from.system.uuid())) {
          return failed(me + " is cut off from the network (down)");
        }
        if (target == null) {
          return failed("no site answers at this endpoint (unreachable)");
        }
        String them = target.system.name();
        if (downSites.contains(target.system.uuid())) {
          return failed(them + " is unreachable (down)");
        }
        if (target.api == null) {
          return failed(them + " is unreachable (stopped)");
        }
        if (partitions.contains(new Link(from.system.uuid(), target.system.uuid()))) {
          return failed(them + " is unreachable (link " + me + " -> " + them + " partitioned)");
        }
        return applyRules(target, kind);
      }
    }

    private void sendLate(String kind, Method method, Object[] args, Route route) {
      Node target = route.target();
      Runnable deliver =
          () -> {
            SiteApi api;
            synchronized (SimNetwork.this) {
              api = target.incarnation == route.incarnation() ? target.api : null;
            }
            if (api == null) {
              LOG.debug(
                  "late call dropped kind={} to={} reason=target restarted",
                  kind,
                  target.system.name());
              return;
            }
            notify(target, kind, args, true, route.delay().plus(route.lateBy()));
            Deque<Handling> stack = HANDLING.get();
            stack.push(new Handling(from.system.uuid(), target.system.uuid(), kind));
            try {
              method.invoke(api, args);
            } catch (InvocationTargetException e) {
              if (e.getCause() instanceof Error error) {
                throw error;
              }
              LOG.debug(
                  "late call answered kind={} to={} answer={}",
                  kind,
                  target.system.name(),
                  e.getCause().toString());
            } catch (IllegalAccessException e) {
              throw new IllegalStateException(e);
            } finally {
              stack.pop();
            }
          };
      Scheduler inbox;
      synchronized (SimNetwork.this) {
        inbox = target.inbox != null ? target.inbox : scheduler;
      }
      if (route.lateBy().isZero()) {
        inbox.execute(deliver);
      } else {
        scheduler.schedule(() -> inbox.execute(deliver), route.lateBy());
      }
    }

    private void notify(Node target, String kind, Object[] args, boolean late, Duration inFlight) {
      if (observers.isEmpty() || args == null || args.length == 0) {
        return;
      }
      if (!(args[0] instanceof Caller caller)) {
        return;
      }
      List<Object> rest = new ArrayList<>();
      for (int i = 1; i < args.length; i++) {
        rest.add(args[i]);
      }
      Delivery d =
          new Delivery(
              from.system.uuid(),
              target.system.uuid(),
              kind,
              caller,
              Collections.unmodifiableList(rest),
              late,
              inFlight);
      for (Consumer<Delivery> o : observers) {
        o.accept(d);
      }
    }

    private Route applyRules(Node target, String kind) {
      if (target.paused && scheduler != null) {
        return new Route(
            target.api,
            target,
            Duration.ZERO,
            target.system.name() + " stands still (paused), the request waits for it",
            Duration.ZERO,
            target.incarnation);
      }
      Duration delay = Duration.ZERO;
      boolean fail = false;
      Duration lateBy = null;
      String caller = from.system.uuid();
      String callee = target.system.uuid();
      for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
        Rule rule = it.next();
        if (!rule.matches(caller, callee, kind)) {
          continue;
        }
        switch (rule.type) {
          case DELAY -> delay = delay.plus(rule.latency);
          case FAIL_KIND -> fail = true;
          case FAIL_NEXT -> {
            fail = true;
            if (--rule.countdown == 0) {
              it.remove();
            }
          }
          case FAIL_NTH -> {
            if (--rule.countdown == 0) {
              fail = true;
              it.remove();
            }
          }
          case DELIVER_LATE -> {
            if (lateBy == null) {
              lateBy = rule.latency;
              if (--rule.countdown == 0) {
                it.remove();
              }
            }
          }
        }
      }
      if (lateBy != null && !fail) {
        return new Route(
            target.api,
            target,
            delay,
            "no answer, the request is delivered later",
            lateBy,
            target.incarnation);
      }
      return new Route(
          target.api, target, delay, fail ? "injected failure (no answer from peer)" : null);
    }

    private Route failed(String reason) {
      return new Route(null, null, Duration.ZERO, reason);
    }
  }

  /**
   * Whether a site is registered and answering (attached and not down), for harness checks.
   *
   * @param site the site
   * @return true when calls to it can get through, faults of links and rules aside
   */
  public synchronized boolean isReachable(LocalSystem site) {
    Node node = nodesByUuid.get(site.uuid());
    return node != null && node.api != null && !downSites.contains(site.uuid());
  }

  /**
   * Whether one direction of a link is cut ({@link #partition}).
   *
   * @param from the caller
   * @param to the site it calls
   * @return true while calls from {@code from} to {@code to} fail as partitioned
   */
  public synchronized boolean isPartitioned(LocalSystem from, LocalSystem to) {
    return partitions.contains(new Link(from.uuid(), to.uuid()));
  }

  /**
   * The endpoint a site is registered at.
   *
   * @param site the site
   * @return the endpoint, without trailing slash; empty when the site is not registered
   */
  public synchronized Optional<String> endpointOf(LocalSystem site) {
    Node node = nodesByUuid.get(site.uuid());
    return node == null ? Optional.empty() : Optional.of(node.endpoint);
  }
}
