package io.geored.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.ForbiddenException;
import io.geored.spi.NotFoundException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.WorkProgress;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.PeerGroupAssociation;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A sync's progress is readable from outside")
class SyncProgressTest {

  private SyncScenario s;

  @BeforeEach
  void setUp() {
    s = new SyncScenario();
  }

  @AfterEach
  void tearDown() {
    s.close();
  }

  @Test
  @DisplayName(
      "the primary's sync counts each subcloud done, the one it could not copy failed, and ends"
          + " when the sync did; the peer, which ran no sync, reads zero counts")
  void countsOfTheLastSync() {
    s.member("good");
    s.member("bad", DeployStatus.COMPLETE, null);
    s.member("fine");
    Instant t0 = s.sites.now();

    PeerGroupAssociation created = s.associate(2);
    s.sites.runUntilIdle();

    assertThat(s.a.api().syncProgress(Caller.OPERATOR, created.id()))
        .isEqualTo(new WorkProgress("failed", 3, 3, 1, 0, t0, t0));
    long onB = s.onB().orElseThrow().id();
    assertThat(s.b.api().syncProgress(Caller.OPERATOR, onB))
        .isEqualTo(new WorkProgress("failed", 0, 0, 0, 0, null, null));
  }

  @Test
  @DisplayName("a new sync replaces the counts of the one before")
  void aNewSyncReplacesTheLast() {
    s.member("good");
    PeerGroupAssociation created = s.associate(2);
    s.sites.runUntilIdle();
    s.member("other");
    s.sites.advance(java.time.Duration.ofMinutes(7));
    Instant t1 = s.sites.now();

    s.a.api().syncAssociation(Caller.OPERATOR, created.id());
    s.sites.runUntilIdle();

    assertThat(s.a.api().syncProgress(Caller.OPERATOR, created.id()))
        .isEqualTo(new WorkProgress("in-sync", 2, 2, 0, 0, t1, t1));
  }

  @Test
  @DisplayName("an unknown association is not found; a peer site's token is refused")
  void refusals() {
    s.member("good");
    PeerGroupAssociation created = s.associate(2);
    s.sites.runUntilIdle();

    assertThatThrownBy(() -> s.a.api().syncProgress(Caller.OPERATOR, 999))
        .isInstanceOf(NotFoundException.class)
        .hasMessage(Messages.ASSOCIATION_NOT_FOUND);
    assertThatThrownBy(() -> s.a.api().syncProgress(Caller.peerSite(s.b.uuid()), created.id()))
        .isInstanceOf(ForbiddenException.class)
        .hasMessage(Messages.PEER_REQUEST_FORBIDDEN);
  }
}
