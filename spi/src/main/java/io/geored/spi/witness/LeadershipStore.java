package io.geored.spi.witness;

import java.util.List;
import java.util.Optional;

/**
 * What one site remembers about leading peer groups under a witness, kept in the site's own
 * database beside its other stores so that it survives a restart: per group, the newest leader
 * epoch the site has seen (peer writes carrying an older one are refused), and the groups it has
 * fenced. Each method is atomic on its own. Thread-safe.
 */
public interface LeadershipStore {

  /**
   * The newest leader epoch counter this site has seen for a group (its own or a peer's).
   *
   * @param group the peer group's name
   * @return the counter, 0 when none was seen
   */
  long highestEpoch(String group);

  /**
   * Raises the newest epoch seen for a group to a counter, when the counter is greater; never
   * lowers it.
   *
   * @param group the peer group's name
   * @param counter an epoch counter, positive
   * @return the newest counter after the call (the given one or a greater one stored before)
   * @throws IllegalArgumentException when the counter is not positive
   */
  long raiseEpoch(String group, long counter);

  /**
   * The fence mark of a group.
   *
   * @param group the peer group's name
   * @return the mark, or empty when this site has not fenced the group
   */
  Optional<FencedGroup> fenced(String group);

  /**
   * Every fence mark.
   *
   * @return the marks in group name order
   */
  List<FencedGroup> fencedGroups();

  /**
   * Stores a fence mark, replacing the group's earlier one.
   *
   * @param fenced the mark
   */
  void putFenced(FencedGroup fenced);

  /**
   * Removes a group's fence mark; does nothing when there is none.
   *
   * @param group the peer group's name
   */
  void removeFenced(String group);
}
