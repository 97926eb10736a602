package io.geored.testkit.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.geored.spi.fault.Alarm;
import io.geored.spi.fault.AlarmSeverity;
import io.geored.testkit.fault.RecordingAlarms.AlarmEvent;
import io.geored.testkit.fault.RecordingAlarms.Kind;
import io.geored.testkit.time.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("RecordingAlarms")
class RecordingAlarmsTest {

  private static final String PEER_DOWN = "280.004";
  private static final String GROUP_LOW_PRIORITY = "280.005";

  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final Instant t0 = scheduler.now();
  private final RecordingAlarms alarms = new RecordingAlarms(scheduler.clock());

  private Alarm alarm(String id, String entity, AlarmSeverity severity, String reason) {
    return new Alarm(id, "system_peer", entity, severity, reason, "check the peer", false, t0);
  }

  @Test
  @DisplayName("starts with no alarm raised and an empty history")
  void startsEmpty() {
    assertThat(alarms.raised()).isEmpty();
    assertThat(alarms.history()).isEmpty();
    assertThat(alarms.failedCalls()).isZero();
    assertThat(alarms.find(PEER_DOWN, "peer=x")).isEmpty();
    assertThat(alarms.findAll(PEER_DOWN)).isEmpty();
  }

  @Nested
  @DisplayName("raise")
  class Raise {

    @Test
    @DisplayName("keeps the alarm and records the raise at the virtual time")
    void keepsAndRecords() {
      Alarm down = alarm(PEER_DOWN, "peer=b", AlarmSeverity.MAJOR, "peer b is down");
      scheduler.advance(Duration.ofSeconds(42));

      alarms.raise(down);

      assertThat(alarms.find(PEER_DOWN, "peer=b")).contains(down);
      assertThat(alarms.current(PEER_DOWN, "peer=b")).contains(down);
      assertThat(alarms.isRaised(PEER_DOWN, "peer=b")).isTrue();
      assertThat(alarms.raised()).containsExactly(down);
      assertThat(alarms.history())
          .containsExactly(
              new AlarmEvent(
                  Kind.RAISE, PEER_DOWN, "peer=b", AlarmSeverity.MAJOR, t0.plusSeconds(42)));
    }

    @Test
    @DisplayName("replaces an alarm with the same id and entity, recording both raises")
    void replacesSameIdAndEntity() {
      Alarm major = alarm(PEER_DOWN, "peer=b", AlarmSeverity.MAJOR, "peer b is down");
      Alarm critical =
          alarm(PEER_DOWN, "peer=b", AlarmSeverity.CRITICAL, "peer b is down, leading g1");

      alarms.raise(major);
      scheduler.advance(Duration.ofSeconds(10));
      alarms.raise(critical);

      assertThat(alarms.raised()).containsExactly(critical);
      assertThat(alarms.history())
          .containsExactly(
              new AlarmEvent(Kind.RAISE, PEER_DOWN, "peer=b", AlarmSeverity.MAJOR, t0),
              new AlarmEvent(
                  Kind.RAISE, PEER_DOWN, "peer=b", AlarmSeverity.CRITICAL, t0.plusSeconds(10)));
    }

    @Test
    @DisplayName("keeps alarms of one id on different entities apart, in the order first raised")
    void differentEntities() {
      Alarm b = alarm(PEER_DOWN, "peer=b", AlarmSeverity.MAJOR, "b");
      Alarm c = alarm(PEER_DOWN, "peer=c", AlarmSeverity.MAJOR, "c");
      Alarm group = alarm(GROUP_LOW_PRIORITY, "peer_group=g1", AlarmSeverity.MAJOR, "g1");

      alarms.raise(b);
      alarms.raise(group);
      alarms.raise(c);

      assertThat(alarms.findAll(PEER_DOWN)).containsExactly(b, c);
      assertThat(alarms.raised(PEER_DOWN)).containsExactly(b, c);
      assertThat(alarms.raised(GROUP_LOW_PRIORITY)).containsExactly(group);
      assertThat(alarms.raised()).containsExactly(b, group, c);
    }

    @Test
    @DisplayName("refuses a null alarm and records nothing")
    void refusesNull() {
      assertThatThrownBy(() -> alarms.raise(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("alarm");
      assertThat(alarms.history()).isEmpty();
    }
  }

  @Nested
  @DisplayName("clear")
  class Clear {

    @Test
    @DisplayName("removes a raised alarm and records the clear with the severity it had")
    void removesRaised() {
      alarms.raise(alarm(PEER_DOWN, "peer=b", AlarmSeverity.CRITICAL, "down"));
      scheduler.advance(Duration.ofSeconds(5));

      alarms.clear(PEER_DOWN, "peer=b");

      assertThat(alarms.isRaised(PEER_DOWN, "peer=b")).isFalse();
      assertThat(alarms.find(PEER_DOWN, "peer=b")).isEmpty();
      assertThat(alarms.history(PEER_DOWN, "peer=b"))
          .containsExactly(
              new AlarmEvent(Kind.RAISE, PEER_DOWN, "peer=b", AlarmSeverity.CRITICAL, t0),
              new AlarmEvent(
                  Kind.CLEAR, PEER_DOWN, "peer=b", AlarmSeverity.CRITICAL, t0.plusSeconds(5)));
    }

    @Test
    @DisplayName("of an alarm not raised changes nothing and is recorded without a severity")
    void clearOfUnraised() {
      Alarm other = alarm(PEER_DOWN, "peer=c", AlarmSeverity.MAJOR, "c");
      alarms.raise(other);

      alarms.clear(PEER_DOWN, "peer=b");

      assertThat(alarms.raised()).containsExactly(other);
      assertThat(alarms.history(PEER_DOWN, "peer=b"))
          .containsExactly(new AlarmEvent(Kind.CLEAR, PEER_DOWN, "peer=b", null, t0));
    }

    @Test
    @DisplayName("leaves other entities of the same id raised")
    void onlyThatEntity() {
      Alarm c = alarm(PEER_DOWN, "peer=c", AlarmSeverity.MAJOR, "c");
      alarms.raise(alarm(PEER_DOWN, "peer=b", AlarmSeverity.MAJOR, "b"));
      alarms.raise(c);

      alarms.clear(PEER_DOWN, "peer=b");

      assertThat(alarms.findAll(PEER_DOWN)).containsExactly(c);
    }
  }

  @Nested
  @DisplayName("failure switch")
  class FailureSwitch {

    @Test
    @DisplayName("makes every port call throw, changes nothing, and counts the failed calls")
    void everyCallThrows() {
      Alarm b = alarm(PEER_DOWN, "peer=b", AlarmSeverity.MAJOR, "b");
      alarms.raise(b);
      alarms.failEveryCall(true);

      assertThatThrownBy(() -> alarms.raise(alarm(PEER_DOWN, "peer=c", AlarmSeverity.MAJOR, "c")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(RecordingAlarms.FAILURE_MESSAGE);
      assertThatThrownBy(() -> alarms.clear(PEER_DOWN, "peer=b"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(RecordingAlarms.FAILURE_MESSAGE);
      assertThatThrownBy(() -> alarms.find(PEER_DOWN, "peer=b"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(RecordingAlarms.FAILURE_MESSAGE);
      assertThatThrownBy(() -> alarms.findAll(PEER_DOWN))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(RecordingAlarms.FAILURE_MESSAGE);

      assertThat(alarms.failedCalls()).isEqualTo(4);
      assertThat(alarms.raised()).containsExactly(b);
      assertThat(alarms.isRaised(PEER_DOWN, "peer=b")).isTrue();
      assertThat(alarms.history())
          .containsExactly(
              new AlarmEvent(Kind.RAISE, PEER_DOWN, "peer=b", AlarmSeverity.MAJOR, t0));
    }

    @Test
    @DisplayName("once switched off, calls work again")
    void recovers() {
      alarms.failEveryCall(true);
      assertThatThrownBy(() -> alarms.clear(PEER_DOWN, "peer=b"))
          .isInstanceOf(IllegalStateException.class);

      alarms.failEveryCall(false);
      Alarm b = alarm(PEER_DOWN, "peer=b", AlarmSeverity.MAJOR, "b");
      alarms.raise(b);

      assertThat(alarms.find(PEER_DOWN, "peer=b")).contains(b);
      assertThat(alarms.failedCalls()).isEqualTo(1);
    }

    @Test
    @DisplayName("reset forgets alarms, history and failed calls, and switches failing off")
    void reset() {
      alarms.raise(alarm(PEER_DOWN, "peer=b", AlarmSeverity.MAJOR, "b"));
      alarms.failEveryCall(true);
      assertThatThrownBy(() -> alarms.findAll(PEER_DOWN)).isInstanceOf(IllegalStateException.class);

      alarms.reset();

      assertThat(alarms.raised()).isEmpty();
      assertThat(alarms.history()).isEmpty();
      assertThat(alarms.failedCalls()).isZero();
      assertThat(alarms.findAll(PEER_DOWN)).isEmpty();
    }
  }

  @Test
  @DisplayName("hands out snapshots that later calls do not change and callers cannot modify")
  void snapshots() {
    alarms.raise(alarm(PEER_DOWN, "peer=b", AlarmSeverity.MAJOR, "b"));
    List<Alarm> raised = alarms.raised();
    List<AlarmEvent> history = alarms.history();

    alarms.clear(PEER_DOWN, "peer=b");

    assertThat(raised).hasSize(1);
    assertThat(history).hasSize(1);
    assertThatThrownBy(() -> raised.add(null)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  @DisplayName("records every raise and clear made from several threads at once")
  void threadSafe() throws Exception {
    int threads = 4;
    int perThread = 250;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String entity = "peer=" + t;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    alarms.raise(alarm(PEER_DOWN, entity, AlarmSeverity.MAJOR, "n" + i));
                    alarms.clear(GROUP_LOW_PRIORITY, entity);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(alarms.history()).hasSize(threads * perThread * 2);
    assertThat(alarms.findAll(PEER_DOWN))
        .extracting(Alarm::reason)
        .containsOnly("n" + (perThread - 1))
        .hasSize(threads);
  }

  @Test
  @DisplayName("refuses a null clock")
  void refusesNullClock() {
    assertThatThrownBy(() -> new RecordingAlarms(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("clock");
  }
}
