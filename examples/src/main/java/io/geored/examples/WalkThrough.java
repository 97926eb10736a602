package io.geored.examples;

import io.geored.adapters.http.HttpSiteClient;
import io.geored.adapters.http.Role;
import io.geored.spi.api.AssociationCreate;
import io.geored.spi.api.Caller;
import io.geored.spi.api.MigrateRequest;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.SiteApi;
import io.geored.spi.api.SubcloudCreate;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.api.SystemPeerCreate;
import io.geored.spi.event.GeoredEvent;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.work.RehomeOutcome;
import io.geored.spi.work.SubcloudRehomer;
import io.geored.testkit.fault.RecordingAlarms;
import io.geored.testkit.time.VirtualScheduler;
import io.geored.testkit.work.ScriptedProbe;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The two-site failover walk-through: site A and site B, each a {@link StandaloneSite} with H2
 * files under a work folder and its own HTTP server on a free loopback port, talking to each other
 * only over HTTP. The walk-through plays the operator (its calls go over HTTP too) and the clock:
 * both engines run on one {@link VirtualScheduler}, so a 30-minute migration takes milliseconds and
 * every run is the same.
 *
 * <p>The story is the one of the StarlingX change "Allow rehome related data update when subcloud
 * migration fails": a subcloud synced to B with a wrong bootstrap address fails to migrate to B; A
 * goes down; the address is corrected on B and the migration succeeds; A comes back and its audit
 * takes the corrected data. Each step prints both sites' states; the run exits 0 only when every
 * expected state was reached, otherwise 1 naming the first that was not.
 */
public final class WalkThrough {

  static final String SITE_A_UUID = "aaaaaaaa-0000-4000-8000-00000000000a";
  static final String SITE_B_UUID = "bbbbbbbb-0000-4000-8000-00000000000b";
  static final String GOOD_ADDRESS = "10.10.10.12";
  static final String WRONG_ADDRESS = "10.10.10.99";
  static final String A_GATEWAY = "192.168.204.1";
  static final String B_GATEWAY = "192.168.205.1";
  static final String SUBCLOUD = "subcloud1";
  static final String GROUP = "pg1";
  static final String PEER_DOWN_ALARM = "280.004";
  static final String GROUP_ALARM = "280.005";
  private static final Duration REHOME_TIME = Duration.ofMinutes(5);
  private static final String SYSADMIN =
      Base64.getEncoder()
          .encodeToString("St8rlingX*".getBytes(java.nio.charset.StandardCharsets.UTF_8));

  /** The first expected state that was not reached. */
  static final class Missed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Missed(String message) {
      super(message);
    }
  }

  private final Path work;
  private final PrintStream out;
  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final Instant start = scheduler.now();
  private final RecordingAlarms alarmsA = new RecordingAlarms(scheduler.clock());
  private final RecordingAlarms alarmsB = new RecordingAlarms(scheduler.clock());
  private final List<String> progress = new ArrayList<>();
  private StandaloneSite a;
  private StandaloneSite b;
  private int portA;
  private int step;
  private int checks;

  /**
   * A walk-through writing its databases under a folder.
   *
   * @param work emptied first, then holds {@code site-a/} and {@code site-b/}
   * @param out where the timeline goes
   */
  public WalkThrough(Path work, PrintStream out) {
    this.work = Objects.requireNonNull(work, "work");
    this.out = Objects.requireNonNull(out, "out");
  }

  /**
   * Runs the walk-through with its databases under {@code target/walkthrough} and exits with its
   * result.
   *
   * @param args not used
   */
  public static void main(String[] args) {
    // The timeline is the output; the library's own logging only when asked for.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
    }
    System.exit(new WalkThrough(Path.of("target", "walkthrough"), System.out).run());
  }

  /**
   * Plays the story.
   *
   * @return 0 when every expected state was reached, 1 otherwise
   */
  public int run() {
    try {
      play();
      out.printf("%nPASS: every expected state was reached (%d checks)%n", checks);
      return 0;
    } catch (Missed e) {
      out.printf("%nFAIL: %s%n", e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      out.printf("%nFAIL: step %d stopped: %s%n", step, e);
      return 1;
    } finally {
      closeQuietly(a);
      closeQuietly(b);
    }
  }

  private void play() {
    wipe(work);
    a = startA(0);
    portA = a.port();
    b = startSite(config("site-b", SITE_B_UUID, "b", SITE_A_UUID, "a"), alarmsB);
    SiteApi opA = HttpSiteClient.create(a.endpoint(), "a-operator-token");
    SiteApi opB = HttpSiteClient.create(b.endpoint(), "b-operator-token");
    out.printf(
        "site-a at %s, site-b at %s, databases under %s%n", a.endpoint(), b.endpoint(), work);

    title("System peers both ways");
    opA.createSystemPeer(Caller.OPERATOR, peer("site-b", SITE_B_UUID, b, B_GATEWAY, "b"));
    opB.createSystemPeer(Caller.OPERATOR, peer("site-a", SITE_A_UUID, a, A_GATEWAY, "a"));
    advance(Duration.ofMinutes(1));
    show();
    expect("A knows B", availability(a, SITE_B_UUID) != null, true);

    title("Peer group pg1 on A, subcloud1 with a wrong bootstrap address");
    opA.createPeerGroup(Caller.OPERATOR, PeerGroupCreate.builder().peerGroupName(GROUP).build());
    opA.createSubcloud(
        Caller.OPERATOR,
        SubcloudCreate.builder()
            .name(SUBCLOUD)
            .regionName("region-" + SUBCLOUD)
            .bootstrapValues(bootstrapValues())
            .bootstrapAddress(WRONG_ADDRESS)
            .release("24.09")
            .build());
    advance(Duration.ofMinutes(1)); // the availability audit brings it online
    opA.updateSubcloud(
        Caller.OPERATOR, SUBCLOUD, SubcloudUpdate.builder().managementState("managed").build());
    opA.updateSubcloud(
        Caller.OPERATOR, SUBCLOUD, SubcloudUpdate.builder().peerGroup(GROUP).build());
    show();
    expect("subcloud1 on A managed", subcloud(a).managementState().wire(), "managed");
    expect("subcloud1 on A online", subcloud(a).availabilityStatus().wire(), "online");

    title("Association of pg1 with B, synced");
    long bOnA = a.stores().systemPeers().findByUuid(SITE_B_UUID).orElseThrow().id();
    opA.createAssociation(
        Caller.OPERATOR,
        AssociationCreate.builder()
            .peerGroupId(group(a).id())
            .systemPeerId(bOnA)
            .peerGroupPriority(2)
            .build());
    advance(Duration.ofMinutes(2));
    show();
    expect("A's association in-sync", association(a).syncStatus().wire(), "in-sync");
    expect("B's association in-sync", association(b).syncStatus().wire(), "in-sync");
    expect("B holds a secondary copy", subcloud(b).deployStatus().wire(), "secondary");
    expect("B's copy has B's gateway", gateway(subcloud(b)), B_GATEWAY);
    expect("B's copy has the wrong address", address(subcloud(b)), WRONG_ADDRESS);

    title("Migration of pg1 to B (fails: the address is wrong)");
    opB.migratePeerGroup(Caller.OPERATOR, GROUP, new MigrateRequest(SYSADMIN));
    advance(Duration.ofMinutes(30));
    show();
    expect("subcloud1 on B rehome-failed", subcloud(b).deployStatus().wire(), "rehome-failed");
    expect("subcloud1 on A rehome-failed", subcloud(a).deployStatus().wire(), "rehome-failed");
    expect("subcloud1 on A unmanaged", subcloud(a).managementState().wire(), "unmanaged");
    expect("leader on B is B", group(b).systemLeaderId(), SITE_B_UUID);
    expect("leader on A is B", group(a).systemLeaderId(), SITE_B_UUID);
    expect("B sees A available", availability(b, SITE_A_UUID), "available");

    title("Site A goes down");
    a.close();
    advance(Duration.ofMinutes(4)); // three missed heartbeats of 60 s
    show();
    expect("B sees A unavailable", availability(b, SITE_A_UUID), "unavailable");
    expect(
        "B raised peer-down alarm " + PEER_DOWN_ALARM,
        alarmsB.isRaised(PEER_DOWN_ALARM, "peer=" + SITE_A_UUID),
        true);

    title("The bootstrap address is corrected on B");
    opB.updateSubcloud(
        Caller.OPERATOR, SUBCLOUD, SubcloudUpdate.builder().bootstrapAddress(GOOD_ADDRESS).build());
    show();
    expect("B's copy has the right address", address(subcloud(b)), GOOD_ADDRESS);
    expect("B's copy keeps B's gateway", gateway(subcloud(b)), B_GATEWAY);
    expect("B's association out-of-sync", association(b).syncStatus().wire(), "out-of-sync");

    title("Migration of pg1 to B again (succeeds)");
    opB.migratePeerGroup(Caller.OPERATOR, GROUP, new MigrateRequest(SYSADMIN));
    advance(Duration.ofMinutes(30));
    show();
    expect("subcloud1 on B complete", subcloud(b).deployStatus().wire(), "complete");
    expect("subcloud1 on B managed", subcloud(b).managementState().wire(), "managed");

    title("Site A comes back; its audit takes B's data");
    a = startA(portA);
    advance(Duration.ofMinutes(3));
    show();
    expect("subcloud1 on A secondary", subcloud(a).deployStatus().wire(), "secondary");
    expect("subcloud1 on A unmanaged", subcloud(a).managementState().wire(), "unmanaged");
    expect("A has the corrected address", address(subcloud(a)), GOOD_ADDRESS);
    expect("A keeps its own gateway", gateway(subcloud(a)), A_GATEWAY);
    expect("leader on A is B", group(a).systemLeaderId(), SITE_B_UUID);
    expect("no migration running on B", group(b).migrationStatus().wire(), "none");
    expect("A's association in-sync", association(a).syncStatus().wire(), "in-sync");
    expect("B's association in-sync", association(b).syncStatus().wire(), "in-sync");
    expect(
        "B cleared peer-down alarm " + PEER_DOWN_ALARM,
        alarmsB.isRaised(PEER_DOWN_ALARM, "peer=" + SITE_A_UUID),
        false);
    expect(
        "A raised group alarm " + GROUP_ALARM + " (B leads A's group)",
        alarmsA.isRaised(GROUP_ALARM, "peer_group=" + GROUP + ",peer=" + SITE_B_UUID),
        true);
  }

  private StandaloneSite startA(int port) {
    SiteConfig base = config("site-a", SITE_A_UUID, "a", SITE_B_UUID, "b");
    return startSite(
        new SiteConfig(
            base.uuid(),
            base.name(),
            base.databaseFolder(),
            base.databaseUrl(),
            base.databaseUser(),
            base.databasePassword(),
            base.host(),
            port,
            base.tokens(),
            base.peerAuth(),
            base.peerTokens(),
            base.cipherKey()),
        alarmsA);
  }

  private SiteConfig config(String name, String uuid, String me, String peerUuid, String peer) {
    return new SiteConfig(
        uuid,
        name,
        work.resolve(name),
        Optional.empty(),
        "",
        "",
        "127.0.0.1",
        0,
        Map.of("operator", new SiteConfig.Token(me + "-operator-token", Set.of(Role.ADMIN))),
        Map.of(peerUuid, me + "-peer-token"),
        Map.of(peerUuid, peer + "-peer-token"),
        Optional.of(new byte[32]));
  }

  private StandaloneSite startSite(SiteConfig config, RecordingAlarms alarms) {
    String name = config.name();
    return StandaloneSite.start(
        config,
        builder ->
            builder
                .scheduler(scheduler)
                .alarms(alarms)
                .probe(new ScriptedProbe().byDefault(ScriptedProbe.Answer.ONLINE))
                .rehomer(addressCheckingRehomer())
                .eventListener(
                    event -> {
                      if (event instanceof GeoredEvent.Progress p) {
                        synchronized (progress) {
                          progress.add(
                              String.format(
                                  "%s %s %s %d/%d%s",
                                  name,
                                  p.operation(),
                                  p.subject(),
                                  p.done(),
                                  p.total(),
                                  p.detail() == null ? "" : " " + p.detail()));
                        }
                      }
                    }));
  }

  /** Rehoming takes five minutes and reaches the subcloud only at its real address. */
  private SubcloudRehomer addressCheckingRehomer() {
    return (subcloud, data, password) -> {
      CompletableFuture<RehomeOutcome> outcome = new CompletableFuture<>();
      String address = data.bootstrapAddress().orElse("none");
      scheduler.schedule(
          () ->
              outcome.complete(
                  address.equals(GOOD_ADDRESS)
                      ? new RehomeOutcome.Rehomed()
                      : new RehomeOutcome.Failed("subcloud unreachable at " + address)),
          REHOME_TIME);
      return outcome;
    };
  }

  private static SystemPeerCreate peer(
      String name, String uuid, StandaloneSite site, String gateway, String who) {
    return SystemPeerCreate.builder()
        .peerUuid(uuid)
        .peerName(name)
        .managerEndpoint(site.endpoint().toString())
        .managerUsername("admin")
        .managerPassword(who + "-admin-password")
        .peerControllerGatewayAddress(gateway)
        .build();
  }

  private static Map<String, Object> bootstrapValues() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("name", SUBCLOUD);
    values.put("system_mode", "simplex");
    values.put("management_subnet", "192.168.101.0/24");
    values.put("systemcontroller_gateway_address", A_GATEWAY);
    values.put("admin_password", "Li69nux*");
    values.put("sysadmin_password", "Li69nux*");
    return values;
  }

  // ---------------------------------------------------------------- observing

  private void advance(Duration duration) {
    scheduler.advance(duration);
  }

  private static Subcloud subcloud(StandaloneSite site) {
    return site.stores()
        .subclouds()
        .findByName(SUBCLOUD)
        .orElseThrow(() -> new Missed(site.config().name() + " has no " + SUBCLOUD));
  }

  private static SubcloudPeerGroup group(StandaloneSite site) {
    return site.stores()
        .peerGroups()
        .findByName(GROUP)
        .orElseThrow(() -> new Missed(site.config().name() + " has no peer group " + GROUP));
  }

  private static PeerGroupAssociation association(StandaloneSite site) {
    List<PeerGroupAssociation> found =
        site.stores().associations().findByPeerGroup(group(site).id());
    if (found.isEmpty()) {
      throw new Missed(site.config().name() + " has no association of " + GROUP);
    }
    return found.get(0);
  }

  private static String availability(StandaloneSite site, String peerUuid) {
    return site.stores()
        .systemPeers()
        .findByUuid(peerUuid)
        .map(SystemPeer::availabilityState)
        .map(s -> s.wire())
        .orElse(null);
  }

  private static String address(Subcloud s) {
    RehomeData d = s.rehomeData();
    return d == null ? null : d.bootstrapAddress().orElse(null);
  }

  private static String gateway(Subcloud s) {
    RehomeData d = s.rehomeData();
    return d == null ? null : d.systemControllerGatewayAddress().orElse(null);
  }

  private void expect(String what, Object actual, Object expected) {
    checks++;
    if (!Objects.equals(actual, expected)) {
      throw new Missed(
          "step " + step + ": expected " + what + " (" + expected + "), was " + actual);
    }
    out.printf("    ok   %s%n", what);
  }

  private void title(String text) {
    step++;
    out.printf("%n[%s] step %d: %s%n", elapsed(), step, text);
  }

  private String elapsed() {
    Duration d = Duration.between(start, scheduler.now());
    return String.format("t+%02d:%02d", d.toHours(), d.toMinutesPart());
  }

  private void show() {
    synchronized (progress) {
      for (String p : progress) {
        out.printf("    progress  %s%n", p);
      }
      progress.clear();
    }
    showSite("A", a, alarmsA);
    showSite("B", b, alarmsB);
  }

  private void showSite(String label, StandaloneSite site, RecordingAlarms alarms) {
    if (site == null) {
      return;
    }
    boolean down = site.isClosed();
    if (down) {
      out.printf("    site %s   down%n", label);
      return;
    }
    String peerUuid = site == a ? SITE_B_UUID : SITE_A_UUID;
    StringBuilder line =
        new StringBuilder("    site " + label + "   peer " + availability(site, peerUuid));
    site.stores()
        .peerGroups()
        .findByName(GROUP)
        .ifPresent(
            g -> {
              line.append(" | group leader ")
                  .append(g.systemLeaderName())
                  .append(" migration ")
                  .append(g.migrationStatus().wire());
              site.stores().associations().findByPeerGroup(g.id()).stream()
                  .findFirst()
                  .ifPresent(x -> line.append(" | association ").append(x.syncStatus().wire()));
            });
    site.stores()
        .subclouds()
        .findByName(SUBCLOUD)
        .ifPresent(
            s ->
                line.append(" | ")
                    .append(SUBCLOUD)
                    .append(' ')
                    .append(s.deployStatus().wire())
                    .append('/')
                    .append(s.managementState().wire())
                    .append('/')
                    .append(s.availabilityStatus().wire())
                    .append(" address ")
                    .append(address(s)));
    out.println(line);
    List<String> raised =
        alarms.raised().stream().map(x -> x.alarmId() + " " + x.entityInstance()).sorted().toList();
    out.printf("             alarms %s%n", raised.isEmpty() ? "none" : String.join("; ", raised));
  }

  private static void closeQuietly(StandaloneSite site) {
    if (site != null) {
      site.close();
    }
  }

  private static void wipe(Path folder) {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot empty " + folder, e);
    }
  }
}
