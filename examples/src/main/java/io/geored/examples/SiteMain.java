package io.geored.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one site until the process is stopped: {@code java -jar geored-site.jar site.properties}.
 * SIGTERM (or Ctrl-C) closes the server, the engine and the database in that order before the JVM
 * exits. Prints one line {@code geored site <name> listening on <endpoint>} once the site answers.
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
    if (args.length != 1) {
      System.err.println("usage: java -jar geored-site.jar <site.properties>");
      System.exit(2);
      return;
    }
    SiteConfig config;
    try {
      config = SiteConfig.load(Path.of(args[0]));
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("cannot read configuration " + args[0] + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    StandaloneSite site = StandaloneSite.start(config);
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
