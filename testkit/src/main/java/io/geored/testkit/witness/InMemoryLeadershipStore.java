package io.geored.testkit.witness;

import io.geored.spi.witness.FencedGroup;
import io.geored.spi.witness.LeadershipStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A site's {@link LeadershipStore} in memory, for tests and the simulation: it survives an engine
 * restart as long as the same instance is handed to the new engine (as the site's database would).
 * Deterministic (sorted maps). Thread-safe.
 */
public final class InMemoryLeadershipStore implements LeadershipStore {

  private final Map<String, Long> epochs = new TreeMap<>();
  private final Map<String, FencedGroup> fenced = new TreeMap<>();

  @Override
  public synchronized long highestEpoch(String group) {
    return epochs.getOrDefault(Objects.requireNonNull(group, "group"), 0L);
  }

  @Override
  public synchronized long raiseEpoch(String group, long counter) {
    Objects.requireNonNull(group, "group");
    if (counter <= 0) {
      throw new IllegalArgumentException("epoch counter must be positive, was " + counter);
    }
    return epochs.merge(group, counter, Math::max);
  }

  @Override
  public synchronized Optional<FencedGroup> fenced(String group) {
    return Optional.ofNullable(fenced.get(Objects.requireNonNull(group, "group")));
  }

  @Override
  public synchronized List<FencedGroup> fencedGroups() {
    return List.copyOf(new ArrayList<>(fenced.values()));
  }

  @Override
  public synchronized void putFenced(FencedGroup mark) {
    Objects.requireNonNull(mark, "fenced");
    fenced.put(mark.group(), mark);
  }

  @Override
  public synchronized void removeFenced(String group) {
    fenced.remove(Objects.requireNonNull(group, "group"));
  }
}
