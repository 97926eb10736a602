package io.geored.core.service;

import static io.geored.core.service.SubcloudFixtures.assertRefused;
import static io.geored.core.service.SubcloudFixtures.insert;
import static io.geored.core.service.SubcloudFixtures.recordedSite;
import static io.geored.core.service.SubcloudFixtures.reload;
import static io.geored.core.service.SubcloudFixtures.subcloud;
import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.NotFoundException;
import io.geored.spi.ValidationException;
import io.geored.spi.api.Caller;
import io.geored.spi.api.Messages;
import io.geored.spi.api.SubcloudUpdate;
import io.geored.spi.api.WithInfo;
import io.geored.spi.model.Subcloud;
import io.geored.testkit.sim.SingleSite;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Updating a subcloud's plain fields")
class SubcloudUpdateFieldsTest {

  @Test
  @DisplayName("description, location, group id, install values and release are stored as given")
  void stored() {
    SubcloudFixtures.Recorded recorded = recordedSite();
    SingleSite site = recorded.site;
    Subcloud sc = insert(site, subcloud(site, "sc1").description("old").location("old"));
    site.scheduler().advance(Duration.ofMinutes(1));
    Map<String, Object> install = Map.of("bootstrap_address", "10.10.10.2", "image", "iso");

    WithInfo<Subcloud> answer =
        site.site()
            .updateSubcloud(
                Caller.OPERATOR,
                "sc1",
                SubcloudUpdate.builder()
                    .description("edge one")
                    .location("Ottawa")
                    .groupId(4L)
                    .installValues(install)
                    .release("24.09")
                    .build());

    Subcloud expected =
        sc.toBuilder()
            .description("edge one")
            .location("Ottawa")
            .groupId(4L)
            .installValues(install)
            .softwareVersion("24.09")
            .updatedAt(site.scheduler().now())
            .version(sc.version() + 1)
            .build();
    assertThat(answer).isEqualTo(WithInfo.of(expected));
    assertThat(answer.info()).isEmpty();
    assertThat(reload(site, sc)).isEqualTo(expected);
    // None of these is a state field: no state event.
    assertThat(recorded.stateChanges()).isEmpty();
  }

  @Test
  @DisplayName("values equal to the current ones are answered unchanged, without a write or event")
  void sameValues() {
    SubcloudFixtures.Recorded recorded = recordedSite();
    SingleSite site = recorded.site;
    Subcloud sc = insert(site, subcloud(site, "sc1").description("d").location("l"));

    WithInfo<Subcloud> answer =
        site.site()
            .updateSubcloud(
                Caller.OPERATOR,
                "sc1",
                SubcloudUpdate.builder().description("d").location("l").build());

    assertThat(answer.value()).isEqualTo(sc);
    assertThat(reload(site, sc)).isEqualTo(sc);
    assertThat(recorded.events).isEmpty();
  }

  @Test
  @DisplayName("a subcloud is found by id as well as by name")
  void byId() {
    SingleSite site = SingleSite.create();
    Subcloud sc = insert(site, subcloud(site, "sc1"));

    site.site()
        .updateSubcloud(
            Caller.OPERATOR,
            String.valueOf(sc.id()),
            SubcloudUpdate.builder().location("x").build());

    assertThat(reload(site, sc).location()).isEqualTo("x");
  }

  @Nested
  @DisplayName("refused, nothing changed")
  class Refused {

    @Test
    @DisplayName("no body")
    void noBody() {
      SingleSite site = SingleSite.create();
      insert(site, subcloud(site, "sc1"));

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.OPERATOR, "sc1", null),
          ValidationException.class,
          Messages.BODY_REQUIRED);
    }

    @Test
    @DisplayName("an unknown subcloud is 404 before the body is looked at")
    void unknownFirst() {
      SingleSite site = SingleSite.create();

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.OPERATOR, "nope", null),
          NotFoundException.class,
          Messages.SUBCLOUD_NOT_FOUND);
    }

    @Test
    @DisplayName("a request naming no field")
    void nothing() {
      SingleSite site = SingleSite.create();
      insert(site, subcloud(site, "sc1"));

      assertRefused(
          site,
          () ->
              site.site().updateSubcloud(Caller.OPERATOR, "sc1", SubcloudUpdate.builder().build()),
          ValidationException.class,
          Messages.NOTHING_TO_UPDATE);
    }
  }

  @Nested
  @DisplayName("text limits (255 characters)")
  class Limits {

    @Test
    @DisplayName("description, location and release of 255 characters are accepted")
    void atLimit() {
      SingleSite site = SingleSite.create();
      insert(site, subcloud(site, "sc1"));
      String text = "x".repeat(255);

      Subcloud after =
          site.site()
              .updateSubcloud(
                  Caller.OPERATOR,
                  "sc1",
                  SubcloudUpdate.builder().description(text).location(text).release(text).build())
              .value();

      assertThat(after.description()).isEqualTo(text);
      assertThat(after.location()).isEqualTo(text);
      assertThat(after.softwareVersion()).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"description", "location", "release"})
    @DisplayName("a field of 256 characters is refused, naming the field")
    void pastLimit(String field) {
      SingleSite site = SingleSite.create();
      insert(site, subcloud(site, "sc1"));
      String text = "x".repeat(256);
      SubcloudUpdate.Builder request = SubcloudUpdate.builder();
      switch (field) {
        case "description" -> request.description(text);
        case "location" -> request.location(text);
        default -> request.release(text);
      }

      assertRefused(
          site,
          () -> site.site().updateSubcloud(Caller.OPERATOR, "sc1", request.build()),
          ValidationException.class,
          Messages.fieldTooLong(field, 255));
    }
  }
}
