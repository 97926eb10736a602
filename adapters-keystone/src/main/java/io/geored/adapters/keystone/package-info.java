/**
 * OpenStack Keystone (identity v3) for geored's HTTP adapter, as a StarlingX system controller uses
 * it: {@link io.geored.adapters.keystone.KeystoneClient} (password login, token validation, the
 * catalog) and the HTTP adapter's extension points implemented on it. Optional: a host without
 * Keystone does not need this module (docs/adr/0022-keystone-in-its-own-module.md).
 */
package io.geored.adapters.keystone;
