package io.geored.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.geored.spi.api.SiteApi;
import io.geored.testkit.contract.SiteApiClientContract;
import io.geored.testkit.sim.SingleSite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;

/**
 * The client contract once more over real HTTP, every request and answer recorded and checked
 * against docs/openapi.yaml: each call's path, method, status, request body and answer body must be
 * described there, so the document cannot drift from what the server reads and answers.
 */
@DisplayName("docs/openapi.yaml describes every request and answer of the client contract")
class OpenApiContractTest extends SiteApiClientContract {

  private static final String TOKEN = "openapi-admin-token";

  private Recorder recorder;

  @Override
  protected SiteApi connect(SingleSite site) {
    try {
      recorder =
          new Recorder(
              new GeoredHttpHandler(
                  site.site(),
                  TokenAuthenticator.builder().token(TOKEN, "contract", Role.ADMIN).build()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HttpSiteClient.create(recorder.base(), TOKEN);
  }

  @Override
  protected void disconnect() {
    List<Recorder.Exchange> exchanges = recorder.exchanges();
    recorder.close();
    OpenApi api = OpenApi.get();
    List<String> problems = new ArrayList<>();
    for (Recorder.Exchange e : exchanges) {
      problems.addAll(
          api.check(
              e.request().method(),
              e.request().path(),
              e.request().header("Content-Type"),
              e.request().body(),
              e.answer().status(),
              e.answer().contentType(),
              e.answer().body()));
    }
    assertThat(exchanges).isNotEmpty();
    assertThat(problems).isEmpty();
  }
}
