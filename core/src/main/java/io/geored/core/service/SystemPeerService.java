package io.geored.core.service;

import io.geored.core.internal.SiteContext;
import io.geored.spi.api.*;
import io.geored.spi.model.*;
import jakarta.inject.Inject;
import java.util.List;

/** System peers: create, read, update, delete, with upstream's validation. */
public class SystemPeerService {

  private final SiteContext context;

  /**
   * Creates the service.
   *
   * @param context the engine's ports
   */
  @Inject
  public SystemPeerService(SiteContext context) {
    this.context = context;
  }

  public SystemPeer create(Caller caller, SystemPeerCreate request) {
    throw new UnsupportedOperationException("SystemPeerService.create");
  }

  public SystemPeer get(Caller caller, String ref) {
    throw new UnsupportedOperationException("SystemPeerService.get");
  }

  public List<SystemPeer> list(Caller caller) {
    throw new UnsupportedOperationException("SystemPeerService.list");
  }

  public WithInfo<SystemPeer> update(Caller caller, String ref, SystemPeerUpdate request) {
    throw new UnsupportedOperationException("SystemPeerService.update");
  }

  public void delete(Caller caller, String ref) {
    throw new UnsupportedOperationException("SystemPeerService.delete");
  }

  public List<SubcloudPeerGroup> peerGroupsOf(Caller caller, String ref) {
    throw new UnsupportedOperationException("SystemPeerService.peerGroupsOf");
  }
}
