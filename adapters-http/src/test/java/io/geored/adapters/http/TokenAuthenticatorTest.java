package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the token authenticator")
class TokenAuthenticatorTest {

  private final TokenAuthenticator tokens =
      TokenAuthenticator.builder()
          .token("operator-token", "op", Role.ADMIN)
          .token("reader-token", "rd", Role.READER)
          .peerToken("peer-token", "site-b", "b-uuid")
          .build();

  @Test
  @DisplayName("names the holder of each configured token, and nobody for any other value")
  void holders() {
    assertThat(tokens.authenticate("operator-token"))
        .contains(new Authenticator.Principal("op", Set.of(Role.ADMIN), Optional.empty()));
    assertThat(tokens.authenticate("reader-token").orElseThrow().name()).isEqualTo("rd");
    assertThat(tokens.authenticate("peer-token").orElseThrow().systemPeerUuid()).contains("b-uuid");
    assertThat(tokens.authenticate("operator-token ")).isEmpty();
    assertThat(tokens.authenticate("OPERATOR-TOKEN")).isEmpty();
    assertThat(tokens.authenticate("")).isEmpty();
    assertThat(tokens.authenticate(null)).isEmpty();
  }

  @Test
  @DisplayName("answers right when many threads ask at once (each hash on a digest of its own)")
  void concurrent() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> answers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        answers.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 5_000; i++) {
                    boolean good = (i + thread) % 2 == 0;
                    Optional<Authenticator.Principal> who =
                        tokens.authenticate(good ? "reader-token" : "reader-token-" + i);
                    if (who.isPresent() != good || good && !who.get().name().equals("rd")) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> answer : answers) {
        assertThat(answer.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
