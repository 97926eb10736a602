package io.geored.testkit.lease;

import io.geored.spi.api.Caller;
import io.geored.spi.api.PeerGroupCreate;
import io.geored.spi.api.SiteApi;
import io.geored.spi.api.SystemPeerCreate;
import io.geored.spi.model.AssociationType;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SyncStatus;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.Stores;
import java.time.Instant;

/**
 * Arranges a system peer that an engine monitors: the peer site-b, a primary group pg1 and an
 * in-sync association between them (stored directly, so no sync runs). Engines started afterwards
 * on the same stores watch site-b.
 */
public final class MonitoredPeer {

  /** The peer's uuid. */
  public static final String PEER_UUID = "bbbbbbbb-0000-4000-8000-000000000002";

  /** The peer's name. */
  public static final String PEER_NAME = "site-b";

  /** The peer's heartbeat interval, in seconds. */
  public static final int HEARTBEAT_SECONDS = 10;

  private MonitoredPeer() {}

  /**
   * Creates site-b (heartbeat every {@link #HEARTBEAT_SECONDS} s) and pg1 through the site's API
   * and stores their association.
   *
   * @param site the API of an engine on the stores
   * @param stores the stores the engines share
   * @return the peer as stored
   */
  public static SystemPeer arrange(SiteApi site, Stores stores) {
    SystemPeer peer =
        site.createSystemPeer(
            Caller.OPERATOR,
            SystemPeerCreate.builder()
                .peerUuid(PEER_UUID)
                .peerName(PEER_NAME)
                .managerEndpoint("https://10.10.10.2:5000/v3")
                .managerUsername("admin")
                .managerPassword("s3cret-Pw")
                .peerControllerGatewayAddress("10.10.10.1")
                .heartbeatInterval(HEARTBEAT_SECONDS)
                .build());
    SubcloudPeerGroup group =
        site.createPeerGroup(
            Caller.OPERATOR,
            PeerGroupCreate.builder().peerGroupName("pg1").groupPriority(0).build());
    stores
        .associations()
        .insert(
            PeerGroupAssociation.builder()
                .peerGroupId(group.id())
                .systemPeerId(peer.id())
                .peerGroupPriority(2)
                .associationType(AssociationType.PRIMARY)
                .syncStatus(SyncStatus.IN_SYNC)
                .createdAt(Instant.EPOCH)
                .build())
        .orElseThrow(r -> new IllegalStateException("association not stored: " + r));
    return peer;
  }
}
