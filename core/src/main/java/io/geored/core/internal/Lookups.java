package io.geored.core.internal;

import io.geored.spi.NotFoundException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.Stores;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Finds resources by the references the API accepts, or answers 404 with the exact text. */
public final class Lookups {

  private final Stores stores;

  public Lookups(Stores stores) {
    this.stores = stores;
  }

  /**
   * The system peers associated with a group, in the order of its associations (an association
   * whose system peer is gone is left out).
   *
   * @param groupId the group's id, or null
   * @return the peers; empty for a null id
   */
  public List<SystemPeer> associatedPeers(Long groupId) {
    List<SystemPeer> peers = new ArrayList<>();
    if (groupId == null) {
      return peers;
    }
    for (PeerGroupAssociation association : stores.associations().findByPeerGroup(groupId)) {
      stores.systemPeers().findById(association.systemPeerId()).ifPresent(peers::add);
    }
    return peers;
  }

  /** By id (digits), uuid or name. */
  public SystemPeer systemPeer(String ref) {
    return findSystemPeer(ref)
        .orElseThrow(() -> new NotFoundException(Messages.SYSTEM_PEER_NOT_FOUND));
  }

  /** By id (digits), uuid or name; empty when none. */
  public Optional<SystemPeer> findSystemPeer(String ref) {
    if (ref == null || ref.isBlank()) {
      return Optional.empty();
    }
    Optional<Long> id = asId(ref);
    if (id.isPresent()) {
      return stores.systemPeers().findById(id.get());
    }
    if (isUuid(ref)) {
      Optional<SystemPeer> byUuid = stores.systemPeers().findByUuid(ref);
      if (byUuid.isPresent()) {
        return byUuid;
      }
    }
    return stores.systemPeers().findByName(ref);
  }

  /** By id (digits) or name. */
  public SubcloudPeerGroup peerGroup(String ref) {
    return findPeerGroup(ref)
        .orElseThrow(() -> new NotFoundException(Messages.PEER_GROUP_NOT_FOUND));
  }

  /** By id (digits) or name; empty when none. */
  public Optional<SubcloudPeerGroup> findPeerGroup(String ref) {
    if (ref == null || ref.isBlank()) {
      return Optional.empty();
    }
    Optional<Long> id = asId(ref);
    return id.isPresent()
        ? stores.peerGroups().findById(id.get())
        : stores.peerGroups().findByName(ref);
  }

  /** By id. */
  public PeerGroupAssociation association(long id) {
    return stores
        .associations()
        .findById(id)
        .orElseThrow(() -> new NotFoundException(Messages.ASSOCIATION_NOT_FOUND));
  }

  /**
   * By id (digits), else by name; a peer site's non-numeric ref is a region name (a name is
   * accepted too, as DELETE takes one).
   */
  public Subcloud subcloud(Caller caller, String ref) {
    return findSubcloud(caller, ref)
        .orElseThrow(() -> new NotFoundException(Messages.SUBCLOUD_NOT_FOUND));
  }

  /** As {@link #subcloud} but empty when none. */
  public Optional<Subcloud> findSubcloud(Caller caller, String ref) {
    if (ref == null || ref.isBlank()) {
      return Optional.empty();
    }
    Optional<Long> id = asId(ref);
    if (id.isPresent()) {
      return stores.subclouds().findById(id.get());
    }
    if (caller.isPeerSite()) {
      Optional<Subcloud> byRegion = stores.subclouds().findByRegionName(ref);
      if (byRegion.isPresent()) {
        return byRegion;
      }
    }
    return stores.subclouds().findByName(ref);
  }

  /** The id a ref made of digits names. */
  public static Optional<Long> asId(String ref) {
    if (ref == null || ref.isEmpty() || ref.length() > 18) {
      return Optional.empty();
    }
    for (int i = 0; i < ref.length(); i++) {
      if (!Character.isDigit(ref.charAt(i))) {
        return Optional.empty();
      }
    }
    return Optional.of(Long.parseLong(ref));
  }

  /** Whether a text is a uuid in its canonical 8-4-4-4-12 hex form. */
  public static boolean isUuid(String value) {
    if (value == null || value.length() != 36) {
      return false;
    }
    try {
      return UUID.fromString(value).toString().equalsIgnoreCase(value);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
