package io.geored.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("An operator's command split into words")
class CommandLineTest {

  @Test
  @DisplayName("splits like a shell: quotes and backslashes, nothing expanded")
  void split() {
    assertThat(
            CommandLine.split(
                "k",
                "  ansible-playbook  '/opt/my playbooks/r.yml' -e \"a=\\\"$HOME\\\" \\\\ x\""
                    + " it\\'s ''  a\"b\"'c' ; rm -rf / "))
        .containsExactly(
            "ansible-playbook",
            "/opt/my playbooks/r.yml",
            "-e",
            "a=\"$HOME\" \\ x",
            "it's",
            "",
            "abc",
            ";",
            "rm",
            "-rf",
            "/");
  }

  @Test
  @DisplayName("refuses an unclosed quote, a lone backslash and an empty command, naming the key")
  void refused() {
    assertThatThrownBy(() -> CommandLine.split("rehome.command", "sh -c 'x"))
        .hasMessage("rehome.command has a ' that is not closed");
    assertThatThrownBy(() -> CommandLine.split("rehome.command", "sh -c \"x"))
        .hasMessage("rehome.command has a \" that is not closed");
    assertThatThrownBy(() -> CommandLine.split("probe.command", "probe \\"))
        .hasMessage("probe.command ends with a lone \\");
    assertThatThrownBy(() -> CommandLine.split("probe.command", "  "))
        .hasMessage("probe.command names no program");
  }

  @Test
  @DisplayName("replaces placeholders inside their word, whatever the value holds")
  void expand() {
    assertThat(
            CommandLine.expand(
                List.of("-e", "@{file}", "{name}-{region}", "{other}", "{name"),
                Map.of("file", "/d/f.json", "name", "sc 1; rm", "region", "r{name}")))
        .containsExactly("-e", "@/d/f.json", "sc 1; rm-r{name}", "{other}", "{name");
  }
}
