package io.geored.cli;

/** Ends a command with an exit code and a message for standard error. */
final class CliException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }

  static CliException usage(String message) {
    return new CliException(GeoredCli.EXIT_USAGE, message);
  }
}
