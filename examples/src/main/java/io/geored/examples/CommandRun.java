package io.geored.examples;

import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one operator command as a process without a shell, bounded in time: after the timeout (or
 * when the waiting thread is interrupted) the process and its descendants get SIGTERM, and SIGKILL
 * when they are still there after a grace period.
 */
final class CommandRun {

  /** How a run ended. */
  enum Ending {
    /** The process exited by itself; {@link Result#exitCode()} holds its status. */
    EXITED,
    /** The timeout passed: the process was destroyed. */
    TIMED_OUT,
    /** The waiting thread was interrupted (the site is stopping): the process was destroyed. */
    INTERRUPTED
  }

  /**
   * What a run came to.
   *
   * @param ending how it ended
   * @param exitCode the exit status when it exited by itself, otherwise -1
   */
  record Result(Ending ending, int exitCode) {}

  private CommandRun() {}

  /**
   * Runs a command to its end or its timeout.
   *
   * @param argv the program and its arguments
   * @param env variables added to the site's environment
   * @param output where stdout and stderr go (appended), or null to discard them
   * @param timeout the longest the command may run
   * @param grace how long a destroyed command has to end before it is killed
   * @return how it ended
   * @throws IOException when the program cannot be started
   */
  static Result run(
      List<String> argv, Map<String, String> env, File output, Duration timeout, Duration grace)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
    builder.environment().putAll(env);
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.redirectOutput(
        output == null
            ? ProcessBuilder.Redirect.DISCARD
            : ProcessBuilder.Redirect.appendTo(output));
    Process process = builder.start();
    try {
      if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return new Result(Ending.EXITED, process.exitValue());
      }
      stop(process, grace);
      return new Result(Ending.TIMED_OUT, -1);
    } catch (InterruptedException e) {
      stop(process, grace);
      Thread.currentThread().interrupt();
      return new Result(Ending.INTERRUPTED, -1);
    }
  }

  /** SIGTERM to the process and its descendants, SIGKILL to what is left after the grace. */
  private static void stop(Process process, Duration grace) {
    List<ProcessHandle> tree = process.descendants().toList();
    tree.forEach(ProcessHandle::destroy);
    process.destroy();
    boolean ended;
    try {
      ended = process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ended = false;
    }
    if (!ended) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    tree.forEach(ProcessHandle::destroyForcibly);
  }
}
