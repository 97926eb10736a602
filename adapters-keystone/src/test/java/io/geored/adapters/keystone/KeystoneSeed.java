package io.geored.adapters.keystone;

import io.geored.testkit.realservice.Keystone;
import io.geored.testkit.realservice.KeystoneAdmin;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The users, projects and roles the Keystone tests need, created through a real Keystone's API:
 * project {@code services} and {@code demo}; roles {@code service}, {@code configurator} and {@code
 * operator} (bootstrap makes only admin, member and reader); the validating user {@code geored}
 * with role {@code service} in {@code services}; one user per geored role; a user with admin in
 * {@code demo} only; a peer site's user {@code peer-b} (admin in {@code admin}, to show a peer user
 * is confined whatever its roles). Every password is {@code pw-<user>}.
 */
final class KeystoneSeed {

  /** The system peer uuid {@code peer-b} is mapped to. */
  static final String PEER_B_UUID = "bbbbbbbb-0000-4000-8000-000000000002";

  /** The validating (service) user. */
  static final String SERVICE_USER = "geored";

  final Keystone keystone;
  final Map<String, String> userIds = new LinkedHashMap<>();

  private KeystoneSeed(Keystone keystone) {
    this.keystone = keystone;
  }

  static KeystoneSeed seed(Keystone keystone) {
    KeystoneSeed seed = new KeystoneSeed(keystone);
    KeystoneAdmin a = keystone.admin();
    String admin = a.projectId("admin");
    String services = a.createProject("services");
    String demo = a.createProject("demo");
    String service = a.createRole("service");
    String configurator = a.createRole("configurator");
    String operator = a.createRole("operator");
    String adminRole = a.roleId("admin");
    seed.userIds.put("admin", a.userId("admin"));
    seed.user(SERVICE_USER, services, service);
    seed.user("conf", admin, configurator);
    seed.user("oper", services, operator);
    seed.user("read", admin, a.roleId("reader"));
    seed.user("memb", admin, a.roleId("member"));
    seed.user("demo-admin", demo, adminRole);
    seed.user("peer-b", admin, adminRole);
    // A service user that may also list users (admin in services), as StarlingX's are.
    seed.user("geored-admin", services, service);
    a.grant(seed.userIds.get("geored-admin"), services, adminRole);
    return seed;
  }

  private void user(String name, String project, String role) {
    KeystoneAdmin a = keystone.admin();
    String id = a.createUser(name, "pw-" + name);
    a.grant(id, project, role);
    userIds.put(name, id);
  }

  /** A token of a seeded user (the bootstrap admin included), scoped to a project. */
  String token(String user, String project) {
    String password = user.equals("admin") ? keystone.adminPassword() : "pw-" + user;
    return keystone.admin().login(user, password, project).id();
  }

  KeystoneClient client() {
    return KeystoneClient.of(keystone.authUrl());
  }

  PasswordCredentials serviceUser() {
    return PasswordCredentials.inDefaultDomain(SERVICE_USER, "pw-" + SERVICE_USER, "services");
  }

  KeystoneAuthenticator.Builder authenticator() {
    return KeystoneAuthenticator.builder(client(), serviceUser())
        .peerUser(userIds.get("peer-b"), PEER_B_UUID);
  }
}
