package io.geored.core.subcloud;

import io.geored.spi.api.Caller;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the update rules look at, read once per attempt so the rules stay pure.
 *
 * @param caller who asks
 * @param current the subcloud as stored now
 * @param request what is asked, not null
 * @param localSystemUuid this site's uuid, to tell whether it leads a group
 * @param currentGroup the peer group the subcloud is in now, or empty
 * @param currentGroupPeerAvailable whether the current group counts as having an available system
 *     peer: true when one of its associations' peers is available, and also when it has no
 *     association at all (the conservative reading docs/concepts.md gives)
 * @param peerGroup what the request asks of the membership
 * @param handedOverToName the name this site gives the site the subcloud is handed over to ({@link
 *     Subcloud#handedOverTo()}: the system peer's name, its uuid when no system peer has it), or
 *     null when it is handed over to no named site
 */
public record UpdateFacts(
    Caller caller,
    Subcloud current,
    SubcloudUpdate request,
    String localSystemUuid,
    Optional<SubcloudPeerGroup> currentGroup,
    boolean currentGroupPeerAvailable,
    PeerGroupRequest peerGroup,
    String handedOverToName) {

  /** Checks every part is present. */
  public UpdateFacts {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(localSystemUuid, "localSystemUuid");
    Objects.requireNonNull(currentGroup, "currentGroup");
    Objects.requireNonNull(peerGroup, "peerGroup");
  }

  /**
   * Whether this site leads a group.
   *
   * @param group the group
   * @return true when its system_leader_id is this site's uuid
   */
  public boolean ledHere(SubcloudPeerGroup group) {
    return localSystemUuid.equalsIgnoreCase(String.valueOf(group.systemLeaderId()));
  }

  /**
   * Whether the request comes from another site.
   *
   * @return true for a peer site
   */
  public boolean fromPeerSite() {
    return caller.isPeerSite();
  }
}
