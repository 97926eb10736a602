package io.geored.examples;

import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.Subcloud;
import io.geored.spi.work.SubcloudProbe;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes each subcloud by running the operator's {@code probe.command}: exit status 0 means online;
 * any other status, a command that runs past {@code probe.timeout} (it is destroyed) or one that
 * cannot start means offline. The subcloud's name and region are in the environment variables
 * {@code GEORED_SUBCLOUD_NAME} and {@code GEORED_SUBCLOUD_REGION} and replace {@code {name}} and
 * {@code {region}} in the command's words. Its output is discarded. At most {@code
 * probe.max-concurrent} commands run at once; the others wait their turn.
 */
final class CommandProbe implements SubcloudProbe, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CommandProbe.class);

  private final List<String> command;
  private final Duration timeout;
  private final Duration grace;
  private final ExecutorService pool;

  /**
   * A probe running a command.
   *
   * @param command the split command
   * @param timeout the longest one run may take
   * @param grace how long a destroyed command has before it is killed
   * @param maxConcurrent commands running at once
   */
  CommandProbe(List<String> command, Duration timeout, Duration grace, int maxConcurrent) {
    this.command = List.copyOf(command);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.grace = Objects.requireNonNull(grace, "grace");
    this.pool = CommandPool.fixed("geored-probe", maxConcurrent);
  }

  @Override
  public CompletionStage<AvailabilityStatus> probe(Subcloud subcloud) {
    Objects.requireNonNull(subcloud, "subcloud");
    try {
      return CompletableFuture.supplyAsync(() -> run(subcloud), pool);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(AvailabilityStatus.OFFLINE);
    }
  }

  private AvailabilityStatus run(Subcloud subcloud) {
    String region = String.valueOf(subcloud.regionName());
    List<String> argv =
        CommandLine.expand(command, Map.of("name", subcloud.name(), "region", region));
    Map<String, String> env =
        Map.of(
            CommandRehomer.NAME_VARIABLE, subcloud.name(), CommandRehomer.REGION_VARIABLE, region);
    CommandRun.Result result;
    try {
      result = CommandRun.run(argv, env, null, timeout, grace);
    } catch (IOException e) {
      LOG.warn("probe command could not start name={} error={}", subcloud.name(), e.toString());
      return AvailabilityStatus.OFFLINE;
    }
    boolean online = result.ending() == CommandRun.Ending.EXITED && result.exitCode() == 0;
    if (result.ending() == CommandRun.Ending.TIMED_OUT) {
      LOG.warn(
          "probe command timed out name={} timeout={}",
          subcloud.name(),
          SiteConfig.format(timeout));
    } else {
      LOG.debug(
          "probe command ended name={} ending={} exit_code={}",
          subcloud.name(),
          result.ending(),
          result.exitCode());
    }
    return online ? AvailabilityStatus.ONLINE : AvailabilityStatus.OFFLINE;
  }

  /** Destroys running commands and stops the threads. */
  @Override
  public void close() {
    CommandPool.stop(pool);
  }

  @Override
  public String toString() {
    return "CommandProbe[program=" + command.get(0) + ", timeout=" + timeout + "]";
  }
}
