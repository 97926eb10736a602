package io.geored.adapters.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Guards the work of reading a whole number from a form field: counted in heap bytes, not timed.
 */
@DisplayName("reading a whole number from a form field: the work per value")
class FieldsWorkTest {

  @Test
  @DisplayName("the digits are checked without compiling a pattern per value")
  void noPatternCompiledPerValue() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long fewest = Long.MAX_VALUE;
    long sum = 0;
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < 20_000; i++) {
        sum += Fields.longOf("-1234567", "bad");
      }
      long before = threads.getThreadAllocatedBytes(thread);
      for (int i = 0; i < 1_000; i++) {
        sum += Fields.longOf("-1234567", "bad");
      }
      fewest = Math.min(fewest, (threads.getThreadAllocatedBytes(thread) - before) / 1_000);
    }
    assertThat(sum).isEqualTo(-1234567L * 105_000);
    // A pattern compiled per call (String.matches) allocates several hundred bytes; the
    // compiled pattern's matcher far fewer.
    assertThat(fewest).isLessThan(300);
  }

  @Test
  @DisplayName("the same values are accepted and refused")
  void sameAnswers() {
    assertThat(Fields.longOf("42", "bad")).isEqualTo(42L);
    assertThat(Fields.longOf("-123456789012345678", "bad")).isEqualTo(-123456789012345678L);
    for (String refused : new String[] {"", "-", "+1", "1.0", " 1", "1234567890123456789", "x"}) {
      assertThatThrownBy(() -> Fields.longOf(refused, "bad"))
          .isInstanceOf(HttpError.class)
          .hasMessage("bad");
    }
    assertThatThrownBy(() -> Fields.longOf(null, "bad")).isInstanceOf(HttpError.class);
  }
}
