package io.geored.cli;

import java.io.Console;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/** Passwords as the site takes them (base64), from an option or, on a terminal, a prompt. */
final class Passwords {

  private Passwords() {}

  static String base64(String password) {
    return Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The given password, or one typed at a prompt (twice) when there is a console; without either a
   * usage error naming the option.
   */
  static String orPrompt(String given, String option, String what) {
    if (given != null) {
      return given;
    }
    Console console = System.console();
    if (console == null) {
      throw CliException.usage(option + " is required when no terminal can prompt for it");
    }
    char[] first = console.readPassword("Enter the %s: ", what);
    char[] second = console.readPassword("Re-enter the %s to confirm: ", what);
    try {
      if (first == null || first.length == 0) {
        throw CliException.usage("The " + what + " cannot be empty");
      }
      if (!Arrays.equals(first, second)) {
        throw CliException.usage("The passwords did not match");
      }
      return new String(first);
    } finally {
      if (first != null) {
        Arrays.fill(first, ' ');
      }
      if (second != null) {
        Arrays.fill(second, ' ');
      }
    }
  }
}
