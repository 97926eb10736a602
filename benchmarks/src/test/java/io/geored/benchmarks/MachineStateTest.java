package io.geored.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The machine state printed beside a timed figure")
class MachineStateTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  @DisplayName(
      "other processes' cores are the machine's busy time less this JVM's, per wall second")
  void othersCores() {
    MachineState.Cpu before = new MachineState.Cpu(10 * SECOND, 0, 4 * SECOND, 0);
    MachineState.Cpu after = new MachineState.Cpu(13 * SECOND, SECOND / 2, 5 * SECOND, 2 * SECOND);

    assertThat(after.othersCoresSince(before)).isEqualTo(1.0);
    assertThat(after.stealCoresSince(before)).isEqualTo(0.25);
    assertThat(after.since(before))
        .isEqualTo(
            "this JVM 0.50 cores, other processes 1.00 cores, stolen by the hypervisor 0.25 cores");
  }

  @Test
  @DisplayName("unknown where the machine's counters cannot be read; never below zero")
  void unknownAndClamped() {
    MachineState.Cpu unreadable = new MachineState.Cpu(-1, -1, 4 * SECOND, 0);
    MachineState.Cpu later = new MachineState.Cpu(-1, -1, 5 * SECOND, SECOND);
    assertThat(later.othersCoresSince(unreadable)).isEqualTo(-1);
    assertThat(later.stealCoresSince(unreadable)).isEqualTo(-1);

    // /proc/stat counts in ticks of 10 ms: this JVM's nanosecond count can run ahead of it.
    MachineState.Cpu before = new MachineState.Cpu(SECOND, 0, SECOND, 0);
    MachineState.Cpu after = new MachineState.Cpu(SECOND, 0, SECOND + 5_000_000, SECOND);
    assertThat(after.othersCoresSince(before)).isEqualTo(0.0);
  }

  @Test
  @DisplayName("the dirty and writeback pages are read from /proc/meminfo where there is one")
  void pages() {
    long[] pages = MachineState.dirtyAndWritebackKb();
    if (java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/meminfo"))) {
      assertThat(pages).hasSize(2);
      assertThat(pages[0]).isNotNegative();
      assertThat(pages[1]).isNotNegative();
      assertThat(MachineState.describe()).contains("dirty ").contains(" MB, writeback ");
    } else {
      assertThat(pages).isNull();
    }
  }
}
