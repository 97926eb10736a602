package io.geored.core.service;

import io.geored.core.internal.SiteContext;
import io.geored.spi.api.*;
import io.geored.spi.model.*;
import jakarta.inject.Inject;
import java.util.List;

/** Subclouds: register, read, update under the peer-group rules, delete. */
public class SubcloudService {

  private final SiteContext context;

  /**
   * Creates the service.
   *
   * @param context the engine's ports
   */
  @Inject
  public SubcloudService(SiteContext context) {
    this.context = context;
  }

  public Subcloud create(Caller caller, SubcloudCreate request) {
    throw new UnsupportedOperationException("SubcloudService.create");
  }

  public Subcloud get(Caller caller, String ref) {
    throw new UnsupportedOperationException("SubcloudService.get");
  }

  public List<Subcloud> list(Caller caller) {
    throw new UnsupportedOperationException("SubcloudService.list");
  }

  public WithInfo<Subcloud> update(Caller caller, String ref, SubcloudUpdate request) {
    throw new UnsupportedOperationException("SubcloudService.update");
  }

  public void delete(Caller caller, String ref) {
    throw new UnsupportedOperationException("SubcloudService.delete");
  }
}
