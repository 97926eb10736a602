package io.geored.core.subcloud;

import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.model.AvailabilityStatus;
import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.ManagementState;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The decisions the update rules take about one subcloud, applied in one write. Not thread-safe:
 * one plan per attempt.
 */
public final class SubcloudUpdatePlan {

  private ManagementState managementState;
  private DeployStatus deployStatus;
  private boolean peerGroupChanged;
  private Long peerGroupId;
  private boolean rehomeDataChanged;
  private RehomeData rehomeData;
  private boolean handOverTargetChanged;
  private String handedOverTo;
  private final Set<Long> outOfSyncOnBothSites = new TreeSet<>();
  private final Set<Long> outOfSyncHere = new TreeSet<>();

  /**
   * The management state to set.
   *
   * @return the state, or null to keep it
   */
  public ManagementState managementState() {
    return managementState;
  }

  /**
   * Sets the management state.
   *
   * @param value the state, or null to keep it
   */
  public void managementState(ManagementState value) {
    this.managementState = value;
  }

  /**
   * Records to whom the subcloud is handed over (it is or becomes rehome-pending).
   *
   * @param siteUuid the migrating site's uuid, or null to hand it over to whichever site migrates
   *     the group next
   */
  public void handedOverTo(String siteUuid) {
    this.handOverTargetChanged = true;
    this.handedOverTo = siteUuid;
  }

  /**
   * To whom the subcloud is handed over, when a rule decided it.
   *
   * @return the site's uuid; null when no rule decided or one released the subcloud
   */
  public String handedOverTo() {
    return handedOverTo;
  }

  /**
   * The deploy status to set.
   *
   * @return the status, or null to keep it
   */
  public DeployStatus deployStatus() {
    return deployStatus;
  }

  /**
   * Sets the deploy status.
   *
   * @param value the status, or null to keep it
   */
  public void deployStatus(DeployStatus value) {
    this.deployStatus = value;
  }

  /**
   * Puts the subcloud into a peer group.
   *
   * @param groupId the group's id
   */
  public void joinPeerGroup(long groupId) {
    this.peerGroupChanged = true;
    this.peerGroupId = groupId;
  }

  /** Takes the subcloud out of its peer group. */
  public void leavePeerGroup() {
    this.peerGroupChanged = true;
    this.peerGroupId = null;
  }

  /**
   * Replaces the rehome data.
   *
   * @param value the new rehome data, may be null
   */
  public void rehomeData(RehomeData value) {
    this.rehomeDataChanged = true;
    this.rehomeData = value;
  }

  /**
   * Asks that, once the update is stored, every association of a group goes out-of-sync on this
   * site and on its peer: the group is a primary one led here, and the peer's copy is now stale.
   *
   * @param groupId the peer group's id
   */
  public void outOfSyncOnBothSites(long groupId) {
    outOfSyncOnBothSites.add(groupId);
  }

  /**
   * The groups whose associations go out-of-sync on both sites after the update.
   *
   * @return group ids in ascending order, empty for none
   */
  public Set<Long> groupsOutOfSyncOnBothSites() {
    return Collections.unmodifiableSet(outOfSyncOnBothSites);
  }

  /**
   * Asks that, once the update is stored, the associations of a group go out-of-sync on this site
   * only: a non-primary site corrected a subcloud while its primary is unreachable, and must not
   * call it.
   *
   * @param groupId the peer group's id
   */
  public void outOfSyncHere(long groupId) {
    outOfSyncHere.add(groupId);
  }

  /**
   * The groups whose associations go out-of-sync on this site only after the update.
   *
   * @return group ids in ascending order, empty for none
   */
  public Set<Long> groupsOutOfSyncHere() {
    return Collections.unmodifiableSet(outOfSyncHere);
  }

  /**
   * The subcloud with every decision and the request's plain fields applied. A subcloud that
   * becomes secondary is a copy whose twin runs elsewhere, so it is set offline too.
   *
   * @param current the subcloud as stored
   * @param request the request, for the fields stored as given
   * @param now the time of the update
   * @return the new values; {@code current} itself when nothing changes
   */
  public Subcloud applyTo(Subcloud current, SubcloudUpdate request, Instant now) {
    Subcloud.Builder b = current.toBuilder();
    if (managementState != null) {
      b.managementState(managementState);
    }
    if (deployStatus != null) {
      b.deployStatus(deployStatus);
      if (deployStatus == DeployStatus.SECONDARY) {
        b.availabilityStatus(AvailabilityStatus.OFFLINE);
      }
    }
    if (peerGroupChanged) {
      b.peerGroupId(peerGroupId);
    }
    if (rehomeDataChanged) {
      b.rehomeData(rehomeData);
    }
    if (handOverTargetChanged) {
      b.handedOverTo(handedOverTo);
    }
    if (request.description() != null) {
      b.description(request.description());
    }
    if (request.location() != null) {
      b.location(request.location());
    }
    if (request.groupId() != null) {
      b.groupId(request.groupId());
    }
    if (request.installValues() != null) {
      b.installValues(request.installValues());
    }
    if (request.release() != null) {
      b.softwareVersion(request.release());
    }
    Subcloud changed = b.build();
    if (Objects.equals(changed, current)) {
      return current;
    }
    return changed.toBuilder().updatedAt(now).build();
  }
}
