package io.geored.spi.witness;

import java.util.List;
import java.util.Objects;

/**
 * A stored mark that this site fenced a peer group it led: it lost (or never had, after a start)
 * the group's witness lease, so it stopped acting for the group and unmanaged the listed members
 * itself. The mark survives restarts; it is removed when the site leads the group again (it then
 * manages the listed members again if no other site led the group meanwhile) or when another site
 * is seen leading it.
 *
 * @param group the peer group's name
 * @param epoch the counter of the last tenure this site held for the group when it fenced, 0 when
 *     it held none (fenced at start)
 * @param members the names of the members this site unmanaged when it fenced, in name order
 */
public record FencedGroup(String group, long epoch, List<String> members) {

  /**
   * Checks the parts and copies the member list.
   *
   * @param group the peer group's name, not blank
   * @param epoch the last tenure's counter, 0 or more
   * @param members the names of the members unmanaged by fencing
   * @throws IllegalArgumentException when the group is blank or the epoch negative
   */
  public FencedGroup {
    Objects.requireNonNull(group, "group");
    if (group.isBlank()) {
      throw new IllegalArgumentException("fenced group name must not be blank");
    }
    if (epoch < 0) {
      throw new IllegalArgumentException("fenced group epoch must be 0 or more, was " + epoch);
    }
    members = List.copyOf(members);
  }
}
