package io.geored.adapters.keystone;

import java.util.Objects;

/**
 * A Keystone password login: user and project, each in a domain named by name ({@code Default} as
 * StarlingX uses them). The password never appears in {@link #toString()}.
 *
 * @param userName the user's name
 * @param password the user's password: a secret
 * @param userDomainName the user's domain, e.g. {@code Default}
 * @param projectName the project the token is scoped to, e.g. {@code services} or {@code admin}
 * @param projectDomainName the project's domain, e.g. {@code Default}
 */
public record PasswordCredentials(
    String userName,
    String password,
    String userDomainName,
    String projectName,
    String projectDomainName) {

  /** The domain StarlingX's users and projects are in. */
  public static final String DEFAULT_DOMAIN = "Default";

  /**
   * Checks that nothing is blank.
   *
   * @throws IllegalArgumentException when a value is blank
   * @throws NullPointerException when a value is null
   */
  public PasswordCredentials {
    requireText(userName, "userName");
    Objects.requireNonNull(password, "password");
    if (password.isEmpty()) {
      throw new IllegalArgumentException("password must not be empty");
    }
    requireText(userDomainName, "userDomainName");
    requireText(projectName, "projectName");
    requireText(projectDomainName, "projectDomainName");
  }

  /**
   * A user and a project in domain {@code Default}.
   *
   * @param userName the user's name
   * @param password its password
   * @param projectName the project
   * @return the credentials
   */
  public static PasswordCredentials inDefaultDomain(
      String userName, String password, String projectName) {
    return new PasswordCredentials(userName, password, DEFAULT_DOMAIN, projectName, DEFAULT_DOMAIN);
  }

  private static void requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }

  @Override
  public String toString() {
    return "PasswordCredentials[user="
        + userName
        + " domain="
        + userDomainName
        + " project="
        + projectName
        + " domain="
        + projectDomainName
        + "]";
  }
}
