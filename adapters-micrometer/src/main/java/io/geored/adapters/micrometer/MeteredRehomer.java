package io.geored.adapters.micrometer;

import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.work.RehomeOutcome;
import io.geored.spi.work.SubcloudRehomer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletionStage;

/**
 * Decorates the host's {@link SubcloudRehomer}: each rehome counts under {@link
 * MeterNames#GROUP_REHOMES} by the subcloud's peer group and outcome when its stage completes:
 * {@link RehomeOutcome.Rehomed} is a success; {@link RehomeOutcome.Failed}, an exceptional stage or
 * a rehomer that throws is a failure. The subcloud's name never becomes a tag. Answers, stages and
 * exceptions pass through untouched.
 */
final class MeteredRehomer implements SubcloudRehomer {

  /** Group tag value of a subcloud in no peer group, or in a group no longer stored. */
  static final String NO_GROUP = "none";

  private final SubcloudRehomer delegate;
  private final MeterRegistry registry;
  private final StoreGauges groups;

  MeteredRehomer(SubcloudRehomer delegate, MeterRegistry registry, StoreGauges groups) {
    this.delegate = delegate;
    this.registry = registry;
    this.groups = groups;
  }

  @Override
  public CompletionStage<RehomeOutcome> rehome(
      Subcloud subcloud, RehomeData rehomeData, String sysadminPassword) {
    String group = groups.groupName(subcloud.peerGroupId()).orElse(NO_GROUP);
    // Both outcomes exist from the group's first rehome on, so "no failure yet" reads 0.
    counter(group, MeterNames.SUCCESS);
    counter(group, MeterNames.FAILURE);
    CompletionStage<RehomeOutcome> stage;
    try {
      stage = delegate.rehome(subcloud, rehomeData, sysadminPassword);
    } catch (RuntimeException e) {
      count(group, MeterNames.FAILURE);
      throw e;
    }
    if (stage == null) {
      count(group, MeterNames.FAILURE);
      return null;
    }
    // The engine's stage completes after the count, with the same outcome or exception.
    return stage.whenComplete(
        (outcome, error) ->
            count(
                group,
                error == null && outcome instanceof RehomeOutcome.Rehomed
                    ? MeterNames.SUCCESS
                    : MeterNames.FAILURE));
  }

  private void count(String group, String outcome) {
    counter(group, outcome).increment();
  }

  private Counter counter(String group, String outcome) {
    return Counter.builder(MeterNames.GROUP_REHOMES)
        .tags(MeterNames.GROUP, group, MeterNames.OUTCOME, outcome)
        .description("rehomes of the peer group's subclouds, by outcome")
        .register(registry);
  }
}
