/**
 * The HTTP adapter: a {@link io.geored.spi.peer.PeerSites} client and a server exposing a {@link
 * io.geored.spi.api.SiteApi}, both in the dcmanager v1 REST dialect.
 */
package io.geored.adapters.http;
