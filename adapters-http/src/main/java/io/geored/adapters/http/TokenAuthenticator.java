package io.geored.adapters.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The default {@link Authenticator}: a fixed set of tokens, each with a name and either roles (an
 * operator) or the system peer uuid of the peer site that holds it. Tokens are compared in constant
 * time (digests compared with {@link MessageDigest#isEqual}, every configured token checked whether
 * or not one already matched), so the answer time tells nothing about how close a guess was.
 * Immutable and thread-safe.
 */
public final class TokenAuthenticator implements Authenticator {

  private record Entry(byte[] digest, Principal principal) {}

  private final List<Entry> entries;

  private TokenAuthenticator(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * An empty builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Optional<Principal> authenticate(String token) {
    if (token == null || token.isEmpty()) {
      return Optional.empty();
    }
    byte[] digest = digest(token);
    Principal found = null;
    for (Entry entry : entries) {
      // No early exit: the time spent does not depend on which token (if any) matched.
      if (MessageDigest.isEqual(entry.digest(), digest) && found == null) {
        found = entry.principal();
      }
    }
    return Optional.ofNullable(found);
  }

  @Override
  public String toString() {
    return "TokenAuthenticator[tokens=" + entries.size() + "]";
  }

  /**
   * A SHA-256 digest never used itself, only copied: looking the algorithm up among the security
   * providers on every request cost more than hashing the token.
   */
  private static final MessageDigest SHA_256 = sha256();

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static byte[] digest(String token) {
    MessageDigest sha;
    try {
      sha = (MessageDigest) SHA_256.clone();
    } catch (CloneNotSupportedException e) {
      sha = sha256();
    }
    return sha.digest(token.getBytes(StandardCharsets.UTF_8));
  }

  /** Collects the tokens; not thread-safe. */
  public static final class Builder {
    private final List<Entry> entries = new ArrayList<>();

    private Builder() {}

    /**
     * Accepts an operator's token.
     *
     * @param token the secret value, not empty
     * @param name who holds it, for logs
     * @param role what it may do
     * @param more further roles
     * @return this builder
     */
    public Builder token(String token, String name, Role role, Role... more) {
      Objects.requireNonNull(token, "token");
      if (token.isEmpty()) {
        throw new IllegalArgumentException("a token must not be empty");
      }
      Set<Role> roles = new java.util.HashSet<>(List.of(more));
      roles.add(Objects.requireNonNull(role, "role"));
      entries.add(new Entry(digest(token), new Principal(name, roles)));
      return this;
    }

    /**
     * Accepts the token of a peer site: its holder is that system peer, confined to peer work on
     * what an association with it covers.
     *
     * @param token the secret value, not empty
     * @param name who holds it, for logs
     * @param systemPeerUuid the uuid of the system peer that holds it
     * @return this builder
     */
    public Builder peerToken(String token, String name, String systemPeerUuid) {
      Objects.requireNonNull(token, "token");
      if (token.isEmpty()) {
        throw new IllegalArgumentException("a token must not be empty");
      }
      entries.add(new Entry(digest(token), Principal.peer(name, systemPeerUuid)));
      return this;
    }

    /**
     * The authenticator.
     *
     * @return it, immutable
     */
    public TokenAuthenticator build() {
      return new TokenAuthenticator(entries);
    }
  }
}
