package io.geored.core.service;

import io.geored.core.internal.SiteContext;
import io.geored.spi.api.*;
import io.geored.spi.model.*;
import jakarta.inject.Inject;
import java.util.List;

/** Peer-group associations: create, read, update, delete. */
public class AssociationService {

  private final SiteContext context;

  /**
   * Creates the service.
   *
   * @param context the engine's ports
   */
  @Inject
  public AssociationService(SiteContext context) {
    this.context = context;
  }

  public PeerGroupAssociation create(Caller caller, AssociationCreate request) {
    throw new UnsupportedOperationException("AssociationService.create");
  }

  public PeerGroupAssociation get(Caller caller, long id) {
    throw new UnsupportedOperationException("AssociationService.get");
  }

  public List<PeerGroupAssociation> list(Caller caller) {
    throw new UnsupportedOperationException("AssociationService.list");
  }

  public PeerGroupAssociation update(Caller caller, long id, AssociationUpdate request) {
    throw new UnsupportedOperationException("AssociationService.update");
  }

  public void delete(Caller caller, long id) {
    throw new UnsupportedOperationException("AssociationService.delete");
  }
}
