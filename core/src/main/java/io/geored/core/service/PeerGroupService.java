package io.geored.core.service;

import io.geored.core.internal.SiteContext;
import io.geored.spi.api.*;
import io.geored.spi.model.*;
import jakarta.inject.Inject;
import java.util.List;

/** Subcloud peer groups: create, read, update, delete, status and members. */
public class PeerGroupService {

  private final SiteContext context;

  /**
   * Creates the service.
   *
   * @param context the engine's ports
   */
  @Inject
  public PeerGroupService(SiteContext context) {
    this.context = context;
  }

  public SubcloudPeerGroup create(Caller caller, PeerGroupCreate request) {
    throw new UnsupportedOperationException("PeerGroupService.create");
  }

  public SubcloudPeerGroup get(Caller caller, String ref) {
    throw new UnsupportedOperationException("PeerGroupService.get");
  }

  public List<SubcloudPeerGroup> list(Caller caller) {
    throw new UnsupportedOperationException("PeerGroupService.list");
  }

  public SubcloudPeerGroup update(Caller caller, String ref, PeerGroupUpdate request) {
    throw new UnsupportedOperationException("PeerGroupService.update");
  }

  public void delete(Caller caller, String ref) {
    throw new UnsupportedOperationException("PeerGroupService.delete");
  }

  public PeerGroupStatus status(Caller caller, String ref) {
    throw new UnsupportedOperationException("PeerGroupService.status");
  }

  public List<Subcloud> subclouds(Caller caller, String ref) {
    throw new UnsupportedOperationException("PeerGroupService.subclouds");
  }
}
