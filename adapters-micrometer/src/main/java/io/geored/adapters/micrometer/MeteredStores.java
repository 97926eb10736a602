package io.geored.adapters.micrometer;

import io.geored.spi.lease.LeaseStore;
import io.geored.spi.store.AssociationStore;
import io.geored.spi.store.PeerGroupStore;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.Stores;
import io.geored.spi.store.SubcloudStore;
import io.geored.spi.store.SystemPeerStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.BiConsumer;

/**
 * Decorates every store of a {@link Stores} (and a {@link LeaseStore}): each call is timed under
 * {@link MeterNames#STORE_OPERATIONS} by store, operation and outcome, each {@link
 * StoreResult.Stale} counts a {@link MeterNames#STORE_CONFLICTS}, and what the stores return or
 * save keeps the {@link StoreGauges} series up to date. The transaction boundary is handed on
 * unchanged. Answers and exceptions pass through untouched.
 */
final class MeteredStores {

  private final MeterRegistry registry;

  MeteredStores(MeterRegistry registry) {
    this.registry = registry;
  }

  Stores wrap(Stores stores, StoreGauges gauges) {
    return new Stores(
        wrap(SystemPeerStore.class, stores.systemPeers(), "system_peers", gauges),
        wrap(PeerGroupStore.class, stores.peerGroups(), "peer_groups", gauges),
        wrap(AssociationStore.class, stores.associations(), "associations", gauges),
        wrap(SubcloudStore.class, stores.subclouds(), "subclouds", gauges),
        stores.transactions());
  }

  LeaseStore wrap(LeaseStore leases, BiConsumer<Method, Object> seen) {
    return wrap(LeaseStore.class, leases, "leases", seen);
  }

  private <T> T wrap(Class<T> port, T delegate, String store, StoreGauges gauges) {
    return wrap(
        port,
        delegate,
        store,
        (method, result) -> {
          if (method.getName().equals("delete")) {
            return;
          }
          gauges.seen(result instanceof StoreResult.Saved<?> saved ? saved.value() : result);
        },
        gauges);
  }

  private <T> T wrap(Class<T> port, T delegate, String store, BiConsumer<Method, Object> seen) {
    return wrap(port, delegate, store, seen, null);
  }

  private <T> T wrap(
      Class<T> port,
      T delegate,
      String store,
      BiConsumer<Method, Object> seen,
      StoreGauges gauges) {
    Counter conflicts =
        Counter.builder(MeterNames.STORE_CONFLICTS)
            .tag(MeterNames.STORE, store)
            .description("compare-and-set writes refused because the record had changed")
            .register(registry);
    Object proxy =
        Proxy.newProxyInstance(
            port.getClassLoader(),
            new Class<?>[] {port},
            (self, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return objectMethod(self, delegate, method, args, store);
              }
              Timer.Sample sample = Timer.start(registry);
              String outcome = "error";
              try {
                Object result = method.invoke(delegate, args);
                outcome = outcomeOf(result);
                if (result instanceof StoreResult.Stale<?>) {
                  conflicts.increment();
                }
                seen.accept(method, result);
                if (gauges != null
                    && method.getName().equals("delete")
                    && Boolean.TRUE.equals(result)) {
                  gauges.deleted(store, (Long) args[0]);
                }
                return result;
              } catch (InvocationTargetException e) {
                throw e.getCause();
              } finally {
                sample.stop(
                    Timer.builder(MeterNames.STORE_OPERATIONS)
                        .tags(
                            MeterNames.STORE,
                            store,
                            MeterNames.OPERATION,
                            MeterNames.snake(method.getName()),
                            MeterNames.OUTCOME,
                            outcome)
                        .description("store operations by store, operation and outcome")
                        .register(registry));
              }
            });
    return port.cast(proxy);
  }

  private static Object objectMethod(
      Object self, Object delegate, Method method, Object[] args, String store) {
    return switch (method.getName()) {
      case "equals" -> self == args[0];
      case "hashCode" -> System.identityHashCode(self);
      default -> "Metered[" + store + " " + delegate + "]";
    };
  }

  private static String outcomeOf(Object result) {
    if (result instanceof StoreResult.Saved<?>) {
      return "saved";
    }
    if (result instanceof StoreResult.Stale<?>) {
      return "stale";
    }
    if (result instanceof StoreResult.Duplicate<?>) {
      return "duplicate";
    }
    if (result instanceof StoreResult.Missing<?>) {
      return "missing";
    }
    if (result instanceof Boolean deleted) {
      return deleted ? "deleted" : "missing";
    }
    return "ok";
  }
}
