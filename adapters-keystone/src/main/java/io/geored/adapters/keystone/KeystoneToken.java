package io.geored.adapters.keystone;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What Keystone says about a token: whose it is, what it is scoped to, its roles, when it expires,
 * and (when asked for) its service catalog. The token itself is a secret: it is never part of
 * {@link #toString()}.
 *
 * @param id the token (the {@code X-Subject-Token} header): a secret
 * @param userId the user's id
 * @param userName the user's name
 * @param userDomainId the id of the user's domain
 * @param projectId the id of the project it is scoped to, empty when it is not project-scoped
 * @param projectName that project's name, empty when it is not project-scoped
 * @param projectDomainId the id of that project's domain, empty when it is not project-scoped
 * @param roles the names of its roles in that scope, implied roles included (Keystone expands them)
 * @param expiresAt when Keystone stops accepting it
 * @param catalog the services and endpoints, empty when not asked for
 */
public record KeystoneToken(
    String id,
    String userId,
    String userName,
    String userDomainId,
    Optional<String> projectId,
    Optional<String> projectName,
    Optional<String> projectDomainId,
    Set<String> roles,
    Instant expiresAt,
    List<CatalogEntry> catalog) {

  /**
   * Copies the collections and checks nothing is missing.
   *
   * @throws NullPointerException when a value is null
   */
  public KeystoneToken {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(userName, "userName");
    Objects.requireNonNull(userDomainId, "userDomainId");
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(projectName, "projectName");
    Objects.requireNonNull(projectDomainId, "projectDomainId");
    roles = Set.copyOf(roles);
    Objects.requireNonNull(expiresAt, "expiresAt");
    catalog = List.copyOf(catalog);
  }

  /**
   * One endpoint of one service in a token's catalog.
   *
   * @param type the service type, e.g. {@code dcmanager} or {@code platform}
   * @param name the service name
   * @param region the endpoint's region id, e.g. {@code SystemController}
   * @param iface {@code public}, {@code internal} or {@code admin}
   * @param url the endpoint
   */
  public record CatalogEntry(String type, String name, String region, String iface, String url) {}

  /**
   * The URL of a service's endpoint in the catalog.
   *
   * @param type the service type
   * @param region the region id
   * @param iface the interface, e.g. {@code public}
   * @return the first matching endpoint's URL, or empty
   */
  public Optional<String> endpoint(String type, String region, String iface) {
    return catalog.stream()
        .filter(e -> e.type().equals(type) && e.region().equals(region) && e.iface().equals(iface))
        .map(CatalogEntry::url)
        .findFirst();
  }

  /**
   * Whether Keystone no longer accepts it at an instant.
   *
   * @param now the instant
   * @return true at or after {@link #expiresAt()}
   */
  public boolean expiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  @Override
  public String toString() {
    return "KeystoneToken[user="
        + userName
        + " ("
        + userId
        + ") project="
        + projectName.orElse("none")
        + " roles="
        + roles
        + " expires_at="
        + expiresAt
        + "]";
  }
}
