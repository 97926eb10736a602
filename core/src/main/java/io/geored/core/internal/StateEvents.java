package io.geored.core.internal;

import io.geored.spi.event.GeoredEvent;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.model.WireValue;
import java.util.Objects;

/**
 * Tells the event listener which state fields a write changed. Services call it after every store
 * write of a record, with the record before (null when created) and after (null when deleted).
 */
public final class StateEvents {

  private final SiteContext context;

  public StateEvents(SiteContext context) {
    this.context = context;
  }

  public void subcloud(Subcloud before, Subcloud after) {
    Subcloud any = after != null ? after : before;
    String name = any.name();
    if (lifecycle("subcloud", name, before, after)) {
      return;
    }
    field("subcloud", name, "management_state", before.managementState(), after.managementState());
    field(
        "subcloud",
        name,
        "availability_status",
        before.availabilityStatus(),
        after.availabilityStatus());
    field("subcloud", name, "deploy_status", before.deployStatus(), after.deployStatus());
    field("subcloud", name, "peer_group_id", before.peerGroupId(), after.peerGroupId());
  }

  public void peerGroup(SubcloudPeerGroup before, SubcloudPeerGroup after) {
    SubcloudPeerGroup any = after != null ? after : before;
    String name = any.peerGroupName();
    if (lifecycle("peer_group", name, before, after)) {
      return;
    }
    field("peer_group", name, "group_priority", before.groupPriority(), after.groupPriority());
    field("peer_group", name, "system_leader_id", before.systemLeaderId(), after.systemLeaderId());
    field(
        "peer_group", name, "migration_status", before.migrationStatus(), after.migrationStatus());
  }

  public void association(PeerGroupAssociation before, PeerGroupAssociation after) {
    PeerGroupAssociation any = after != null ? after : before;
    String name = String.valueOf(any.id());
    if (lifecycle("association", name, before, after)) {
      return;
    }
    field("association", name, "sync_status", before.syncStatus(), after.syncStatus());
  }

  public void systemPeer(SystemPeer before, SystemPeer after) {
    SystemPeer any = after != null ? after : before;
    String name = any.peerName();
    if (lifecycle("system_peer", name, before, after)) {
      return;
    }
    field(
        "system_peer",
        name,
        "availability_state",
        before.availabilityState(),
        after.availabilityState());
  }

  private boolean lifecycle(String resource, String name, Object before, Object after) {
    if (before == null) {
      context.emit(
          new GeoredEvent.StateChanged(context.now(), resource, name, "exists", null, "created"));
      return true;
    }
    if (after == null) {
      context.emit(
          new GeoredEvent.StateChanged(context.now(), resource, name, "exists", "created", null));
      return true;
    }
    return false;
  }

  private void field(String resource, String name, String field, Object from, Object to) {
    if (!Objects.equals(from, to)) {
      context.emit(
          new GeoredEvent.StateChanged(
              context.now(), resource, name, field, spell(from), spell(to)));
    }
  }

  private static String spell(Object value) {
    if (value == null) {
      return null;
    }
    return value instanceof WireValue wire ? wire.wire() : String.valueOf(value);
  }
}
