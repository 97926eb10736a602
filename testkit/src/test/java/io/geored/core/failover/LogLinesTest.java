package io.geored.core.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.OperationFailedException;
import io.geored.spi.UnprocessableException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.MigrationStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the engine writes to its log (slf4j-simple writes to System.err, captured here): a value
 * from a request or a peer never starts a second line, and an unreachable peer is one WARN line
 * naming the peer and the call, without a stack trace.
 */
@DisplayName("log lines cannot be forged, and an unreachable peer is one WARN line")
class LogLinesTest {

  private PeerMonitorScenario s;
  private PrintStream err;
  private ByteArrayOutputStream captured;

  @BeforeEach
  void setUp() {
    s = new PeerMonitorScenario(60, 3).syncedGroup("sc1");
    err = System.err;
    captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void tearDown() {
    System.setErr(err);
    s.close();
  }

  private List<String> lines() {
    System.err.flush();
    return Arrays.asList(captured.toString(StandardCharsets.UTF_8).split("\n", -1)).stream()
        .filter(l -> !l.isEmpty())
        .toList();
  }

  @Test
  @DisplayName("an audit request the site cannot answer because the peer is unreachable")
  void auditRequestPeerUnreachable() {
    PeerMonitorScenario.updateGroup(
        s.b,
        "pg1",
        g ->
            g.migrationStatus(MigrationStatus.COMPLETE)
                .systemLeaderId(s.b.uuid())
                .systemLeaderName(s.b.name()));
    PeerMonitorScenario.update(
        s.b,
        "sc1",
        b -> b.managementState(ManagementState.MANAGED).deployStatus(DeployStatus.COMPLETE));
    s.sites.network().link(s.a.system(), s.b.system()).failCalls("subcloudsOfPeerGroup");
    captured.reset();

    assertThatThrownBy(
            () -> s.a.api().auditPeerGroup(Caller.PEER_SITE, "pg1", s.auditRequestFromB()))
        .isInstanceOf(OperationFailedException.class)
        .hasMessage(Messages.auditFailed("pg1"));

    List<String> lines = lines();
    assertThat(lines).noneMatch(l -> l.contains("ERROR")).noneMatch(l -> l.startsWith("\tat "));
    assertThat(lines.stream().filter(l -> l.contains("peer unreachable")).toList())
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .startsWith("[")
                    .contains(" WARN ")
                    .contains("call=audit-request group=pg1 peer=" + s.b.name() + " reason="));
  }

  @Test
  @DisplayName("a delete of a primary association whose peer is unreachable")
  void deletePeerUnreachable() {
    s.sites.network().link(s.a.system(), s.b.system()).failNext(1);
    captured.reset();

    assertThatThrownBy(() -> s.a.api().deleteAssociation(Caller.OPERATOR, s.primary.id()))
        .isInstanceOf(UnprocessableException.class)
        .hasMessage("Peer site (" + s.b.name() + ") is unreachable.");

    List<String> lines = lines();
    assertThat(lines).noneMatch(l -> l.contains("ERROR")).noneMatch(l -> l.startsWith("\tat "));
    assertThat(lines.stream().filter(l -> l.contains("peer unreachable")).toList())
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .contains(" WARN ")
                    .contains(
                        "call=delete-association association_id="
                            + s.primary.id()
                            + " peer="
                            + s.b.name()));
  }

  @Test
  @DisplayName("the engine's logger writes a value with a newline on one line, escaped")
  void valueEscaped() {
    org.slf4j.Logger log =
        io.geored.core.internal.EscapingLogger.wrap(
            org.slf4j.LoggerFactory.getLogger(LogLinesTest.class));
    String region = "region-1\n[main] ERROR io.geored.core.GeoRedundancy - forged";
    captured.reset();

    log.warn("subcloud registered name={} region={}", "sc9", region);

    assertThat(lines())
        .containsExactly(
            "[main] WARN io.geored.core.failover.LogLinesTest - subcloud registered name=sc9"
                + " region=region-1\\n[main] ERROR io.geored.core.GeoRedundancy - forged");
  }
}
