package io.geored.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code geored} command: an operator's client of a site's HTTP API, with the subcommands and
 * options of StarlingX's {@code dcmanager} client for system peers, subcloud peer groups, peer
 * group associations and subclouds (docs/cli.md).
 *
 * <p>Exit codes: {@value #EXIT_OK} done; {@value #EXIT_REFUSED} refused by the site (4xx, its
 * message on standard error); {@value #EXIT_USAGE} usage error; {@value #EXIT_SITE_FAILED} site
 * unreachable or failing (5xx, transport); {@value #EXIT_WAIT_FAILED} a followed migration ended
 * with some subclouds failed (or still in flight at its timeout).
 */
@Command(
    name = "geored",
    mixinStandardHelpOptions = true,
    versionProvider = GeoredCli.Version.class,
    description = "Drives a geored site over its HTTP API, as dcmanager's client does.",
    subcommands = {
      SystemPeerCommand.class,
      PeerGroupCommand.class,
      AssociationCommand.class,
      SubcloudCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done",
      "1:refused by the site (HTTP 4xx); the site's message is printed",
      "2:usage error",
      "3:site unreachable or failing (HTTP 5xx, transport)",
      "4:--wait ended with some subclouds failed or still in flight"
    })
public final class GeoredCli implements Runnable {

  /** Done. */
  public static final int EXIT_OK = 0;

  /** Refused by the site (4xx). */
  public static final int EXIT_REFUSED = 1;

  /** A usage error. */
  public static final int EXIT_USAGE = 2;

  /** The site is unreachable or failing (5xx, transport). */
  public static final int EXIT_SITE_FAILED = 3;

  /** A followed migration ended with some subclouds failed. */
  public static final int EXIT_WAIT_FAILED = 4;

  /** The default site URL. */
  public static final String DEFAULT_URL = "http://127.0.0.1:8119/v1.0";

  static final String URL_VARIABLE = "GEORED_URL";
  static final String TOKEN_VARIABLE = "GEORED_TOKEN";

  private final Env env;

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--url",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description =
          "The site's API, e.g. http://site-a:8119/v1.0 (default: $GEORED_URL, else "
              + DEFAULT_URL
              + ").")
  String url;

  @Option(
      names = "--token-file",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description = "A file holding the token (default: $GEORED_TOKEN).")
  Path tokenFile;

  @Option(
      names = {"-f", "--format"},
      scope = ScopeType.INHERIT,
      paramLabel = "FORMAT",
      description = "table (default), json, yaml or value.")
  Output.Format format = Output.Format.table;

  GeoredCli(Env env) {
    this.env = env;
  }

  /**
   * Runs a command line in this process.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(commandLine(Env.system()).execute(args));
  }

  /**
   * The command, ready to {@link CommandLine#execute execute}; set its output with {@link
   * CommandLine#setOut} and {@link CommandLine#setErr}.
   *
   * @param env the environment it reads
   * @return the command line
   */
  public static CommandLine commandLine(Env env) {
    CommandLine cl = new CommandLine(new GeoredCli(env));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          if (e instanceof CliException c) {
            err.println(c.getMessage());
            err.flush();
            return c.exitCode();
          }
          err.println("Unexpected error: " + e);
          err.flush();
          return EXIT_SITE_FAILED;
        });
    return cl;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command");
  }

  Env env() {
    return env;
  }

  /** The site, from --url or $GEORED_URL, with the token from --token-file or $GEORED_TOKEN. */
  SiteClient site() {
    String base = url;
    if (base == null || base.isBlank()) {
      base = env.variable(URL_VARIABLE);
    }
    if (base == null || base.isBlank()) {
      base = DEFAULT_URL;
    }
    return new SiteClient(base.strip(), token());
  }

  private String token() {
    String token;
    if (tokenFile != null) {
      try {
        token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw CliException.usage("Cannot read the token file " + tokenFile);
      }
    } else {
      token = env.variable(TOKEN_VARIABLE);
    }
    if (token == null || token.isBlank()) {
      throw CliException.usage("No token: set " + TOKEN_VARIABLE + " or pass --token-file FILE");
    }
    return token.strip();
  }

  Output output(CommandLine.Model.CommandSpec command) {
    return new Output(command.commandLine().getOut(), format);
  }

  /** The version in the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = GeoredCli.class.getPackage().getImplementationVersion();
      return new String[] {"geored " + (v == null ? "(development build)" : v)};
    }
  }
}
