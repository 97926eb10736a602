package io.geored.core.subcloud;

/**
 * One rule of a subcloud update: it refuses the request with an exception, or records what it
 * decides in the plan. Steps run in a fixed order, so the first broken rule answers, as upstream's
 * checks do.
 */
@FunctionalInterface
public interface UpdateStep {

  /**
   * Checks the request and records decisions.
   *
   * @param facts what the rule may look at
   * @param plan the decisions so far, to read and add to
   * @throws io.geored.spi.GeoredException when the rule refuses the request
   */
  void apply(UpdateFacts facts, SubcloudUpdatePlan plan);
}
