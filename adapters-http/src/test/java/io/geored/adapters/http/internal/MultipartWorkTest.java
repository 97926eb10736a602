package io.geored.adapters.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Guards the work of reading a subcloud form (the sync's create_subcloud and update_subcloud calls
 * send one per subcloud): counted in heap bytes allocated by the reading thread, never timed.
 */
@DisplayName("reading a multipart form: the work per body")
class MultipartWorkTest {

  /** The shape of a sync's create_subcloud form: two text fields and a YAML file. */
  private static final byte[] FORM =
      ("--XyZ\r\n"
              + "Content-Disposition: form-data; name=\"name\"\r\n\r\n"
              + "subcloud1\r\n"
              + "--XyZ\r\n"
              + "Content-Disposition: form-data; name=\"bootstrap_values\"; filename=\"b.yaml\"\r\n"
              + "Content-Type: application/x-yaml\r\n\r\n"
              + "name: subcloud1\nsystem_mode: simplex\n\r\n"
              + "--XyZ\r\n"
              + "Content-Disposition: form-data; name=\"bootstrap_address\"\r\n\r\n"
              + "10.0.0.1\r\n"
              + "--XyZ--\r\n")
          .getBytes(StandardCharsets.UTF_8);

  @Test
  @DisplayName("the parts' header lines are split without compiling a pattern per part")
  void noPatternCompiledPerPart() throws Exception {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long fewest = Long.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < 20_000; i++) {
        Multipart.read(FORM, "XyZ");
      }
      long before = threads.getThreadAllocatedBytes(thread);
      for (int i = 0; i < 1_000; i++) {
        Multipart.read(FORM, "XyZ");
      }
      fewest = Math.min(fewest, (threads.getThreadAllocatedBytes(thread) - before) / 1_000);
    }
    // Measured on JDK 17: about 4,300 bytes per read; about 5,800 when String.split("\r\n")
    // compiled its pattern for each of the three parts (some 500 bytes each).
    assertThat(fewest).isLessThan(5_100);
  }

  @Test
  @DisplayName("the form reads the same: names, file names, contents, in order")
  void sameParts() throws Exception {
    Map<String, Multipart.Part> parts = Multipart.read(FORM, "XyZ");

    assertThat(parts).containsOnlyKeys("name", "bootstrap_values", "bootstrap_address");
    assertThat(parts.keySet()).containsExactly("name", "bootstrap_values", "bootstrap_address");
    assertThat(parts.get("name").text()).isEqualTo("subcloud1");
    assertThat(parts.get("name").filename()).isNull();
    assertThat(parts.get("bootstrap_values").filename()).isEqualTo("b.yaml");
    assertThat(parts.get("bootstrap_values").text())
        .isEqualTo("name: subcloud1\nsystem_mode: simplex\n");
    assertThat(parts.get("bootstrap_address").text()).isEqualTo("10.0.0.1");
  }

  @Test
  @DisplayName("a header line without a colon is still refused")
  void headerWithoutColon() {
    byte[] body =
        ("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nbroken\r\n\r\nx\r\n--XyZ--\r\n")
            .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> Multipart.read(body, "XyZ"))
        .isInstanceOf(Multipart.MalformedException.class)
        .hasMessage("bad part header");
  }

  @Test
  @DisplayName("the compiled line end splits as String.split did")
  void splitsAsBefore() {
    for (String headers :
        new String[] {"", "a", "a\r\nb", "a\r\n\r\nb", "a\r\nb\r\n", "\r\na", "a\rb\nc"}) {
      assertThat(Multipart.LINE_END.split(headers)).containsExactly(headers.split("\r\n"));
    }
  }
}
