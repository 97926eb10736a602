package io.geored.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

/**
 * Runs one site until the process is stopped: {@code java -jar geored-site.jar site.properties}.
 * SIGTERM (or Ctrl-C) closes the server, the engine and the database in that order before the JVM
 * exits. Prints one line {@code geored site listening on <endpoint>} once the site answers. A
 * configuration it cannot use, or a start an operator can fix (database or port in use, key file
 * missing), is one line on stderr and exit code 2. {@code --forget-unreadable-peer-passwords}
 * before the file clears the stored peer passwords no key decrypts (after a lost key file).
 */
public final class SiteMain {

  /** Printed before the endpoint once the site is up, so scripts and tests can find the port. */
  public static final String READY = "geored site listening on ";

  /** Printed once the shutdown hook has closed everything. */
  public static final String STOPPED = "geored site stopped";

  private SiteMain() {}

  /**
   * Starts the site of the configuration file given as the only argument.
   *
   * @param args the path of the configuration file
   */
  public static void main(String[] args) {
    // A process logs what it does; the library modules leave the level to the host.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
    }
    // Each line carries when (ISO-8601, with its offset) and its level, e.g.
    // 2026-12-01T22:30:00.123Z [main] INFO io.geored.examples.StandaloneSite - site started ...
    if (System.getProperty("org.slf4j.simpleLogger.showDateTime") == null) {
      System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    }
    if (System.getProperty("org.slf4j.simpleLogger.dateTimeFormat") == null) {
      System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    }
    boolean forget = args.length == 2 && args[0].equals(PeerPasswordKey.FORGET_OPTION);
    if (args.length != 1 && !forget) {
      System.err.println(
          "usage: java -jar geored-site.jar ["
              + PeerPasswordKey.FORGET_OPTION
              + "] <site.properties>");
      System.exit(2);
      return;
    }
    String file = args[args.length - 1];
    SiteConfig config;
    try {
      config = SiteConfig.load(Path.of(file));
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("cannot read configuration " + file + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    StandaloneSite site;
    try {
      site = StandaloneSite.start(config, forget, UnaryOperator.identity());
    } catch (SiteStartException e) {
      System.err.println("cannot start site: " + e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    PrintStream out = System.out;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  site.close();
                  out.println(STOPPED);
                  out.flush();
                  stopped.countDown();
                },
                "geored-shutdown"));
    out.println(READY + site.endpoint());
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
