package io.geored.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.adapters.http.HttpSiteClient;
import io.geored.spi.api.Caller;
import io.geored.spi.model.LocalSystem;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Starting the standalone site process")
class SiteStartProcessTest {

  @TempDir Path dir;

  /** The ```properties block of the README's standalone-site section, as a user copies it. */
  static String readmeExample() throws Exception {
    Path readme = Path.of("..", "README.md");
    if (!Files.exists(readme)) {
      readme = Path.of("README.md");
    }
    List<String> lines = Files.readAllLines(readme);
    int section = lines.indexOf("### A standalone site");
    assertThat(section).as("README has the standalone-site section").isNotNegative();
    int open = lines.subList(section, lines.size()).indexOf("```properties") + section;
    assertThat(open).as("the section has a properties block").isGreaterThan(section);
    int close = lines.subList(open + 1, lines.size()).indexOf("```") + open + 1;
    return String.join("\n", lines.subList(open + 1, close)) + "\n";
  }

  private Path config(String name, String... lines) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, String.join("\n", lines) + "\n");
    return file;
  }

  private String folder(String name) {
    return dir.resolve(name).toString().replace("\\", "/");
  }

  private static List<String> lines(String text) {
    return new ArrayList<>(text.lines().filter(l -> !l.isBlank()).toList());
  }

  /** The error line is the last one, and no stack trace came before it. */
  private static void oneLineError(SiteProcess site, String expected) throws Exception {
    assertThat(site.exitCode()).isEqualTo(2);
    String stderr = site.stderr();
    List<String> lines = lines(stderr);
    assertThat(lines).last().isEqualTo(expected);
    assertThat(stderr).doesNotContain("\tat ").doesNotContain("Exception");
  }

  @Test
  @Timeout(60)
  @DisplayName("the README's site.properties, copied verbatim, starts a site that answers")
  void readmeExampleStarts() throws Exception {
    String example = readmeExample();
    Properties asWritten = new Properties();
    asWritten.load(new StringReader(example));
    // Only what a test must change: the data folder into the temporary folder and any free port.
    // Both are overriding lines appended to the verbatim text (a later key wins in a properties
    // file), so the README's own lines are what the site reads for everything else.
    Path file =
        config(
            "site.properties", example + "database.folder=" + folder("readme-data"), "http.port=0");
    String adminToken = null;
    for (String key : asWritten.stringPropertyNames()) {
      if (key.startsWith("auth.roles.") && asWritten.getProperty(key).contains("admin")) {
        adminToken = asWritten.getProperty("auth.token." + key.substring("auth.roles.".length()));
      }
    }
    assertThat(adminToken).as("the README's example has an admin token").isNotNull();

    try (SiteProcess site = SiteProcess.start(file, dir.resolve("stderr.log"))) {
      LocalSystem identity =
          HttpSiteClient.create(site.endpoint(), adminToken).identity(Caller.OPERATOR);
      assertThat(identity)
          .isEqualTo(
              new LocalSystem(
                  asWritten.getProperty("site.uuid"), asWritten.getProperty("site.name")));
      assertThat(identity.uuid()).isEqualTo("6c5b1a5e-7d0e-4c1e-9f49-3f0a7d1f0c11");
      assertThat(identity.name()).isEqualTo("site-a");
    }
  }

  @Test
  @Timeout(60)
  @DisplayName("a second site on the same database folder stops with one line and exit code 2")
  void databaseInUse() throws Exception {
    String db = folder("shared");
    Path first =
        config(
            "first.properties",
            "site.uuid=aaaaaaaa-0000-4000-8000-00000000000a",
            "site.name=site-a",
            "database.folder=" + db,
            "http.port=0",
            "auth.token.ops=ops-token",
            "auth.roles.ops=admin");
    Path second =
        config(
            "second.properties",
            "site.uuid=bbbbbbbb-0000-4000-8000-00000000000b",
            "site.name=site-b",
            "database.folder=" + db,
            "http.port=0",
            "auth.token.ops=ops-token",
            "auth.roles.ops=admin");
    try (SiteProcess running = SiteProcess.start(first, dir.resolve("first.log"))) {
      SiteProcess refused = SiteProcess.launch(second, dir.resolve("second.log"));
      oneLineError(
          refused,
          "cannot start site: the database in "
              + dir.resolve("shared").toAbsolutePath().normalize()
              + " is in use by another process (another site on the same database.folder?)");
      assertThat(running.process().isAlive()).isTrue();
    }
  }

  @Test
  @Timeout(60)
  @DisplayName("a port another process listens on stops the site with one line and exit code 2")
  void portInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Path file =
          config(
              "site.properties",
              "site.uuid=aaaaaaaa-0000-4000-8000-00000000000a",
              "site.name=site-a",
              "database.folder=" + folder("db"),
              "http.host=127.0.0.1",
              "http.port=" + taken.getLocalPort(),
              "auth.token.ops=ops-token",
              "auth.roles.ops=admin");
      SiteProcess refused = SiteProcess.launch(file, dir.resolve("stderr.log"));
      oneLineError(
          refused,
          "cannot start site: http.port "
              + taken.getLocalPort()
              + " on 127.0.0.1 is in use by another process (or the address is not this host's)");
    }
  }

  @Test
  @Timeout(60)
  @DisplayName("an end-of-line comment after site.uuid stops the site with one line naming the key")
  void commentAfterUuid() throws Exception {
    Path file =
        config(
            "site.properties",
            "site.uuid=6c5b1a5e-7d0e-4c1e-9f49-3f0a7d1f0c11   # required",
            "site.name=site-a",
            "auth.token.ops=ops-token",
            "auth.roles.ops=admin");
    SiteProcess refused = SiteProcess.launch(file, dir.resolve("stderr.log"));
    oneLineError(
        refused,
        "cannot read configuration "
            + file
            + ": site.uuid ends with what looks like a comment (a space, then #): a properties"
            + " file has no end-of-line comments, put the comment on a line of its own");
  }

  @Test
  @Timeout(60)
  @DisplayName(
      "a folder whose key file is gone while encrypted passwords are stored stops with one line"
          + " naming the file, exit code 2")
  void missingKeyFile() throws Exception {
    Path db = dir.resolve("db");
    Path file =
        config(
            "site.properties",
            "site.uuid=aaaaaaaa-0000-4000-8000-00000000000a",
            "site.name=site-a",
            "database.folder=" + folder("db"),
            "auth.token.ops=ops-token",
            "auth.roles.ops=admin");
    PeerPasswordKeyTest.storeEncryptedPeer(SiteConfig.load(file));
    Path keyFile = db.toAbsolutePath().normalize().resolve(PeerPasswordKey.FILE_NAME);
    Files.delete(keyFile);

    SiteProcess refused = SiteProcess.launch(file, dir.resolve("stderr.log"));
    oneLineError(
        refused,
        "cannot start site: the database holds encrypted peer passwords but the key file "
            + keyFile
            + " is missing: restore it from a backup, or start once with"
            + " --forget-unreadable-peer-passwords and enter the peers' manager passwords again");
    assertThat(keyFile).doesNotExist();
  }
}
