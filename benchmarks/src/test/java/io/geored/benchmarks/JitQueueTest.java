package io.geored.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JitQueueTest {

  private static final String IDLE =
      "Current compiles: \n\nC1 compile queue:\nEmpty\n\nC2 compile queue:\nEmpty\n\n";

  @Test
  void bothQueuesEmptyAndNothingCompilingIsIdle() {
    assertThat(JitQueue.isIdle(IDLE)).isTrue();
  }

  @Test
  void aCurrentCompilationIsNotIdle() {
    String compiling =
        "Current compiles: \n"
            + "C2 CompilerThread0  1150   !   4       a.B::c (497 bytes)\n\n"
            + "C1 compile queue:\nEmpty\n\nC2 compile queue:\nEmpty\n\n";
    assertThat(JitQueue.isIdle(compiling)).isFalse();
  }

  @Test
  void aQueuedCompilationIsNotIdle() {
    String queued =
        "Current compiles: \n\nC1 compile queue:\nEmpty\n\nC2 compile queue:\n"
            + "1371       4       java.util.HashMap::put (13 bytes)\n\n";
    assertThat(JitQueue.isIdle(queued)).isFalse();
    String queuedC1 =
        "Current compiles: \n\nC1 compile queue:\n"
            + "1380       3       java.lang.StringLatin1::getChar (9 bytes)\n\n"
            + "C2 compile queue:\nEmpty\n\n";
    assertThat(JitQueue.isIdle(queuedC1)).isFalse();
  }

  @Test
  void anAnswerOfAnotherShapeIsNotIdle() {
    assertThat(JitQueue.isIdle("")).isFalse();
  }

  @Test
  void thisJvmAnswersTheCommand() {
    // The figure relies on the running JDK answering Compiler.queue; a JDK that does not would
    // make every wait run out its budget silently.
    assertThat(JitQueue.describeForTest()).contains("C1 compile queue:");
  }
}
