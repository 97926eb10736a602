package io.geored.core.subcloud;

import io.geored.spi.model.SubcloudPeerGroup;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * What an update asks of the subcloud's peer group membership, with the group it names resolved.
 */
public sealed interface PeerGroupRequest {

  /** The text that asks to leave the group, in any case. */
  String LEAVE_KEYWORD = "none";

  /** The request names no peer group: membership stays. */
  record Unchanged() implements PeerGroupRequest {}

  /** The request names {@code none}: leave the current group, if any. */
  record Leave() implements PeerGroupRequest {}

  /**
   * The request names a group to join.
   *
   * @param ref the id or name as given
   * @param group the group it names, or empty when there is none
   */
  record Join(String ref, Optional<SubcloudPeerGroup> group) implements PeerGroupRequest {}

  /**
   * Reads the request's {@code peer_group} value.
   *
   * @param ref the value, may be null (not given)
   * @param lookup finds a group by id or name
   * @return what it asks
   */
  static PeerGroupRequest of(String ref, Function<String, Optional<SubcloudPeerGroup>> lookup) {
    if (ref == null) {
      return new Unchanged();
    }
    if (ref.trim().toLowerCase(Locale.ROOT).equals(LEAVE_KEYWORD)) {
      return new Leave();
    }
    return new Join(ref, lookup.apply(ref.trim()));
  }
}
