package io.geored.testkit.sim;

import io.geored.spi.api.Caller;
import io.geored.spi.api.SiteApi;
import io.geored.spi.model.LocalSystem;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A site that records what reaches it and answers from a script: the far end of the network in
 * tests of the network itself, where a real engine would only get in the way.
 */
final class StubSite {

  /** One call that reached the site. */
  record Received(Caller caller, String kind, List<Object> args, Instant at) {}

  private final LocalSystem system;
  private final Clock clock;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, Function<Object[], Object>> answers = new ConcurrentHashMap<>();
  private final SiteApi api;

  StubSite(LocalSystem system, Clock clock) {
    this.system = system;
    this.clock = clock;
    this.api =
        (SiteApi)
            Proxy.newProxyInstance(
                SiteApi.class.getClassLoader(),
                new Class<?>[] {SiteApi.class},
                (proxy, method, args) -> {
                  if (method.getDeclaringClass() == Object.class) {
                    return method.getName().equals("equals")
                        ? proxy == args[0]
                        : method.getName().equals("hashCode")
                            ? System.identityHashCode(proxy)
                            : "StubSite[" + system.name() + "]";
                  }
                  List<Object> rest = Arrays.asList(args).subList(1, args.length);
                  received.add(
                      new Received(
                          (Caller) args[0],
                          method.getName(),
                          Collections.unmodifiableList(new ArrayList<>(rest)),
                          clock.instant()));
                  Function<Object[], Object> answer = answers.get(method.getName());
                  if (answer != null) {
                    return answer.apply(args);
                  }
                  if (method.getName().equals("identity")) {
                    return system;
                  }
                  if (method.getReturnType() == List.class) {
                    return List.of();
                  }
                  return null;
                });
  }

  /** The site's API, to attach to the network. */
  SiteApi api() {
    return api;
  }

  /** Scripts the answer to one kind of call; the function may throw. */
  StubSite answer(String kind, Function<Object[], Object> answer) {
    answers.put(kind, answer);
    return this;
  }

  /** Scripts one kind of call to throw. */
  StubSite failWith(String kind, RuntimeException e) {
    return answer(
        kind,
        args -> {
          throw e;
        });
  }

  /** Scripts one kind of call to throw an error. */
  StubSite failWithError(String kind, Error e) {
    return answer(
        kind,
        args -> {
          throw e;
        });
  }

  /** Every call that reached the site, in order. */
  List<Received> received() {
    return List.copyOf(received);
  }
}
