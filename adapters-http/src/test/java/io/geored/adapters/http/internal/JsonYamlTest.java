package io.geored.adapters.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("reading a YAML file of a subcloud form (bootstrap or install values)")
class JsonYamlTest {

  private static Map<String, Object> parse(String yaml) throws IOException {
    return Json.parseYaml(yaml.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("a mapping gives plain values in document order: strings, numbers, lists, mappings")
  void mapping() throws IOException {
    Map<String, Object> values =
        parse(
            "name: sc1\n"
                + "system_mode: simplex\n"
                + "port: 8080\n"
                + "ratio: 1.5\n"
                + "big: 123456789012345678901234567890\n"
                + "quoted: '42'\n"
                + "flag: true\n"
                + "empty: null\n"
                + "list: [a, 2]\n"
                + "nested: {b: x, c: {d: 1}}\n");

    assertThat(values).isInstanceOf(LinkedHashMap.class);
    assertThat(values.keySet())
        .containsExactly(
            "name",
            "system_mode",
            "port",
            "ratio",
            "big",
            "quoted",
            "flag",
            "empty",
            "list",
            "nested");
    assertThat(values.get("name")).isEqualTo("sc1");
    assertThat(values.get("port")).isEqualTo(8080);
    assertThat(values.get("ratio")).isEqualTo(1.5);
    assertThat(values.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(values.get("quoted")).isEqualTo("42");
    assertThat(values.get("flag")).isEqualTo(true);
    assertThat(values).containsEntry("empty", null);
    assertThat(values.get("list")).isEqualTo(List.of("a", 2));
    assertThat(values.get("nested")).isEqualTo(Map.of("b", "x", "c", Map.of("d", 1)));
  }

  @Test
  @DisplayName("what Json.writeYaml writes reads back equal")
  void roundTrip() throws IOException {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("name", "sc1");
    values.put("bootstrap-address", "10.10.10.12");
    values.put("count", "3");
    values.put("nested", Map.of("k", "v"));

    assertThat(Json.parseYaml(Json.writeYaml(values))).isEqualTo(values);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "~", "null", "just text", "- a\n- b\n", "42", "''", "a: [unclosed"})
  @DisplayName("a document that is not one mapping is refused")
  void notAMapping(String yaml) {
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(IOException.class);
  }
}
