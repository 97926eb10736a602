package io.geored.testkit.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.time.Cancellable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A site's view of the shared virtual time")
class SiteSchedulerTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final VirtualScheduler global = new VirtualScheduler();
  private final List<String> ran = new ArrayList<>();

  @Test
  @DisplayName("a fast clock and ticker run at their rate; its delays end earlier in global time")
  void fastClock() {
    SiteScheduler fast = new SiteScheduler(global, 1.001);
    fast.schedule(() -> ran.add("fast@" + global.now()), Duration.ofSeconds(1001));

    global.advance(Duration.ofSeconds(1000));

    assertThat(fast.ticker().nanos()).isEqualTo(Duration.ofSeconds(1001).toNanos());
    assertThat(fast.clock().instant()).isEqualTo(T0.plusSeconds(1001));
    assertThat(ran).containsExactly("fast@" + T0.plusSeconds(1000));
  }

  @Test
  @DisplayName("timers of sites at different rates fire in global time order")
  void globalOrder() {
    SiteScheduler slow = new SiteScheduler(global, 0.999);
    SiteScheduler fast = new SiteScheduler(global, 1.001);
    slow.schedule(() -> ran.add("slow"), Duration.ofSeconds(999));
    fast.schedule(() -> ran.add("fast"), Duration.ofSeconds(1001));
    SiteScheduler exact = new SiteScheduler(global, 1.0);
    exact.schedule(() -> ran.add("exact"), Duration.ofMillis(998_500));

    global.advance(Duration.ofSeconds(999));
    assertThat(ran).containsExactly("exact");
    global.advance(Duration.ofSeconds(1));
    assertThat(ran).containsExactly("exact", "slow", "fast");
    assertThat(slow.clock().instant()).isEqualTo(T0.plusSeconds(999));
  }

  @Test
  @DisplayName("a rate of 1.0 is the global clock itself")
  void exactRate() {
    SiteScheduler exact = new SiteScheduler(global, 1.0);
    assertThat(exact.clock()).isSameAs(global.virtualClock());
    global.advance(Duration.ofSeconds(5));
    assertThat(exact.ticker().nanos()).isEqualTo(Duration.ofSeconds(5).toNanos());
  }

  @Test
  @DisplayName(
      "a paused site's clock runs on, its due tasks wait and run late, in order, on resume")
  void pause() {
    SiteScheduler site = new SiteScheduler(global, 1.0);
    site.scheduleWithFixedDelay(
        () -> ran.add("tick@" + global.now()), Duration.ofSeconds(10), Duration.ofSeconds(10));
    site.schedule(() -> ran.add("once@" + global.now()), Duration.ofSeconds(15));
    global.advance(Duration.ofSeconds(10));
    site.pause();

    global.advance(Duration.ofSeconds(90));

    assertThat(site.ticker().nanos()).isEqualTo(Duration.ofSeconds(100).toNanos());
    assertThat(ran).containsExactly("tick@" + T0.plusSeconds(10));
    assertThat(site.heldTasks()).isEqualTo(2);

    site.resume();
    global.runUntilIdle();
    global.advance(Duration.ofSeconds(10));

    assertThat(ran)
        .containsExactly(
            "tick@" + T0.plusSeconds(10),
            "once@" + T0.plusSeconds(100),
            "tick@" + T0.plusSeconds(100),
            "tick@" + T0.plusSeconds(110));
  }

  @Test
  @DisplayName("a cancelled task runs neither on time nor after a pause")
  void cancel() {
    SiteScheduler site = new SiteScheduler(global, 1.0);
    Cancellable timer = site.schedule(() -> ran.add("timer"), Duration.ofSeconds(5));
    Cancellable held = site.schedule(() -> ran.add("held"), Duration.ofSeconds(1));
    timer.cancel();
    site.pause();
    global.advance(Duration.ofSeconds(2));
    held.cancel();
    site.resume();
    global.advance(Duration.ofSeconds(10));

    assertThat(ran).isEmpty();
    assertThat(global.pendingTasks()).isZero();
  }

  @Test
  @DisplayName("rates outside (0.5, 2) are refused")
  void badRate() {
    assertThatThrownBy(() -> new SiteScheduler(global, 2.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a site clock rate must be in (0.5, 2): 2.0");
  }
}
