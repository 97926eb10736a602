package io.geored.testkit.work;

import static io.geored.testkit.work.ScriptedProbe.Answer.FAIL;
import static io.geored.testkit.work.ScriptedProbe.Answer.OFFLINE;
import static io.geored.testkit.work.ScriptedProbe.Answer.ONLINE;
import static io.geored.testkit.work.ScriptedProbe.Answer.THROW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.Subcloud;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ScriptedProbe")
class ScriptedProbeTest {

  private static final Subcloud SC1 =
      Subcloud.builder().id(1).name("subcloud1").regionName("region-1").build();
  private static final Subcloud SC2 =
      Subcloud.builder().id(2).name("subcloud2").regionName("region-2").build();

  private final ScriptedProbe probe = new ScriptedProbe();

  private CompletableFuture<AvailabilityStatus> ask(Subcloud subcloud) {
    return probe.probe(subcloud).toCompletableFuture();
  }

  @Test
  @DisplayName("finds an unscripted subcloud online, at once")
  void defaultOnline() {
    assertThat(ask(SC1)).isCompletedWithValue(AvailabilityStatus.ONLINE);
  }

  @Test
  @DisplayName("the default can be changed for every unscripted subcloud")
  void changedDefault() {
    probe.byDefault(OFFLINE);

    assertThat(ask(SC1)).isCompletedWithValue(AvailabilityStatus.OFFLINE);
    assertThat(ask(SC2)).isCompletedWithValue(AvailabilityStatus.OFFLINE);
  }

  @Test
  @DisplayName("answers a subcloud's sequence in order, then repeats its last answer")
  void sequence() {
    probe.script("subcloud1", OFFLINE, OFFLINE, ONLINE);

    assertThat(ask(SC1)).isCompletedWithValue(AvailabilityStatus.OFFLINE);
    assertThat(ask(SC2)).isCompletedWithValue(AvailabilityStatus.ONLINE);
    assertThat(ask(SC1)).isCompletedWithValue(AvailabilityStatus.OFFLINE);
    assertThat(ask(SC1)).isCompletedWithValue(AvailabilityStatus.ONLINE);
    assertThat(ask(SC1)).isCompletedWithValue(AvailabilityStatus.ONLINE);
  }

  @Test
  @DisplayName("FAIL completes the stage exceptionally")
  void failCompletesExceptionally() {
    probe.script("subcloud1", FAIL);

    CompletableFuture<AvailabilityStatus> stage = ask(SC1);

    assertThat(stage).isCompletedExceptionally();
    assertThat(stage.handle((value, error) -> error).join())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(ScriptedProbe.FAILURE_MESSAGE);
  }

  @Test
  @DisplayName("THROW throws from the call itself")
  void throwFromCall() {
    probe.script("subcloud1", THROW, ONLINE);

    assertThatThrownBy(() -> probe.probe(SC1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(ScriptedProbe.FAILURE_MESSAGE);
    assertThat(ask(SC1)).isCompletedWithValue(AvailabilityStatus.ONLINE);
    assertThat(probe.calls("subcloud1")).isEqualTo(2);
  }

  @Test
  @DisplayName("finds a script by region name when none is set for the name, the name winning")
  void byRegion() {
    probe.script("region-1", OFFLINE);
    probe.script("subcloud2", OFFLINE);
    probe.script("region-2", FAIL);

    assertThat(ask(SC1)).isCompletedWithValue(AvailabilityStatus.OFFLINE);
    assertThat(ask(SC2)).isCompletedWithValue(AvailabilityStatus.OFFLINE);
  }

  @Test
  @DisplayName("scripting a subcloud again replaces its script and restarts the sequence")
  void replace() {
    probe.script("subcloud1", OFFLINE, ONLINE);
    ask(SC1);

    probe.script("subcloud1", FAIL, OFFLINE);

    assertThat(ask(SC1)).isCompletedExceptionally();
    assertThat(ask(SC1)).isCompletedWithValue(AvailabilityStatus.OFFLINE);
  }

  @Test
  @DisplayName("counts probes by name or region name and lists them in call order")
  void counts() {
    ask(SC1);
    ask(SC2);
    ask(SC1);

    assertThat(probe.calls("subcloud1")).isEqualTo(2);
    assertThat(probe.calls("region-1")).isEqualTo(2);
    assertThat(probe.calls("subcloud2")).isEqualTo(1);
    assertThat(probe.calls("subcloud9")).isZero();
    assertThat(probe.totalCalls()).isEqualTo(3);
    assertThat(probe.probedNames()).containsExactly("subcloud1", "subcloud2", "subcloud1");
  }

  @Test
  @DisplayName("refuses an empty sequence")
  void refusesEmpty() {
    assertThatThrownBy(() -> probe.script("subcloud1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a script needs at least one answer");
  }
}
