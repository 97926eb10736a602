package io.geored.testkit.contract;

import io.geored.spi.model.DeployStatus;
import io.geored.spi.model.PeerGroupAssociation;
import io.geored.spi.model.RehomeData;
import io.geored.spi.model.Subcloud;
import io.geored.spi.model.SubcloudPeerGroup;
import io.geored.spi.model.SystemPeer;
import io.geored.spi.store.AssociationStore;
import io.geored.spi.store.PeerGroupStore;
import io.geored.spi.store.StoreResult;
import io.geored.spi.store.Stores;
import io.geored.spi.store.SubcloudStore;
import io.geored.spi.store.SystemPeerStore;
import io.geored.spi.store.Transactions;
import io.geored.testkit.store.InMemoryStores;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * In-memory stores with one promise broken each, and the contract classes that run against them.
 * Not tests themselves (the name matches no test pattern): {@link ContractsCatchBrokenStoresTest}
 * runs them through the JUnit launcher and checks which contract tests fail.
 */
final class BrokenStores {

  private BrokenStores() {}

  /** Replaces one method of a port; every other call, default methods included, goes through. */
  @FunctionalInterface
  interface Replacement {
    Object call(Object[] args) throws Throwable;
  }

  @SuppressWarnings("unchecked")
  static <S> S overriding(Class<S> port, S target, String method, Replacement replacement) {
    InvocationHandler handler =
        (proxy, m, args) -> {
          if (m.getName().equals(method)) {
            return replacement.call(args);
          }
          if (m.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, m, args);
          }
          return invoke(m, target, args);
        };
    return (S) Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, handler);
  }

  private static Object invoke(Method m, Object target, Object[] args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static Stores with(SystemPeerStore peers) {
    Stores s = InMemoryStores.create();
    return new Stores(peers, s.peerGroups(), s.associations(), s.subclouds(), s.transactions());
  }

  private static Stores withGroups(Stores s, PeerGroupStore groups) {
    return new Stores(s.systemPeers(), groups, s.associations(), s.subclouds(), s.transactions());
  }

  private static Stores withAssociations(Stores s, AssociationStore associations) {
    return new Stores(
        s.systemPeers(), s.peerGroups(), associations, s.subclouds(), s.transactions());
  }

  private static Stores withSubclouds(Stores s, SubcloudStore subclouds) {
    return new Stores(
        s.systemPeers(), s.peerGroups(), s.associations(), subclouds, s.transactions());
  }

  /** The real in-memory stores: every contract passes. */
  static class IntactPeers extends SystemPeerStoreContract {
    @Override
    protected Stores newStores() {
      return InMemoryStores.create();
    }
  }

  /** An update that ignores the version it is given: last writer wins. */
  static class NoCompareAndSet extends SystemPeerStoreContract {
    @Override
    protected Stores newStores() {
      SystemPeerStore real = InMemoryStores.create().systemPeers();
      return with(
          overriding(
              SystemPeerStore.class,
              real,
              "update",
              args -> {
                SystemPeer given = (SystemPeer) args[0];
                Optional<SystemPeer> current = real.findById(given.id());
                if (current.isEmpty()) {
                  return new StoreResult.Missing<>();
                }
                return real.update(given.toBuilder().version(current.get().version()).build());
              }));
    }
  }

  /** Timestamps cut to milliseconds on the way in, as a DATETIME(3) column would. */
  static class MillisecondTimestamps extends SystemPeerStoreContract {
    @Override
    protected Stores newStores() {
      SystemPeerStore real = InMemoryStores.create().systemPeers();
      return with(
          overriding(
              SystemPeerStore.class,
              real,
              "insert",
              args -> {
                SystemPeer given = (SystemPeer) args[0];
                return real.insert(
                    given.toBuilder()
                        .createdAt(given.createdAt().truncatedTo(ChronoUnit.MILLIS))
                        .build());
              }));
    }
  }

  /** findAll in the reverse order of ids. */
  static class UnorderedFindAll extends PeerGroupStoreContract {
    @Override
    protected Stores newStores() {
      Stores s = InMemoryStores.create();
      PeerGroupStore real = s.peerGroups();
      return withGroups(
          s,
          overriding(
              PeerGroupStore.class,
              real,
              "findAll",
              args -> {
                List<SubcloudPeerGroup> all = new ArrayList<>(real.findAll());
                java.util.Collections.reverse(all);
                return all;
              }));
    }
  }

  /** findByName that ignores case, as a case-insensitive collation would. */
  static class CaseInsensitiveNames extends PeerGroupStoreContract {
    @Override
    protected Stores newStores() {
      Stores s = InMemoryStores.create();
      PeerGroupStore real = s.peerGroups();
      return withGroups(
          s,
          overriding(
              PeerGroupStore.class,
              real,
              "findByName",
              args ->
                  real.findAll().stream()
                      .filter(g -> g.peerGroupName().equalsIgnoreCase((String) args[0]))
                      .findFirst()));
    }
  }

  /** An update of an unknown id answering Stale instead of Missing. */
  static class MissingAsStale extends AssociationStoreContract {
    @Override
    protected Stores newStores() {
      Stores s = InMemoryStores.create();
      AssociationStore real = s.associations();
      return withAssociations(
          s,
          overriding(
              AssociationStore.class,
              real,
              "update",
              args -> {
                StoreResult<PeerGroupAssociation> result =
                    real.update((PeerGroupAssociation) args[0]);
                return result instanceof StoreResult.Missing ? new StoreResult.Stale<>() : result;
              }));
    }
  }

  /** findByDeployStatus failing on an empty set, as a naive {@code IN ()} would. */
  static class EmptyStatusSetFails extends SubcloudStoreContract {
    @Override
    protected Stores newStores() {
      Stores s = InMemoryStores.create();
      SubcloudStore real = s.subclouds();
      return withSubclouds(
          s,
          overriding(
              SubcloudStore.class,
              real,
              "findByDeployStatus",
              args -> {
                if (((Collection<?>) args[0]).isEmpty()) {
                  throw new IllegalStateException("syntax error at or near \")\"");
                }
                return real.findByDeployStatus(statuses(args[0]));
              }));
    }
  }

  @SuppressWarnings("unchecked")
  private static Collection<DeployStatus> statuses(Object arg) {
    return (Collection<DeployStatus>) arg;
  }

  /** Rehome data whose integers come back as longs, as a careless JSON mapping would. */
  static class IntegersReadAsLongs extends SubcloudStoreContract {
    @Override
    protected Stores newStores() {
      Stores s = InMemoryStores.create();
      SubcloudStore real = s.subclouds();
      return withSubclouds(
          s,
          overriding(
              SubcloudStore.class,
              real,
              "findById",
              args -> real.findById((Long) args[0]).map(BrokenStores::widenIntegers)));
    }
  }

  private static Subcloud widenIntegers(Subcloud subcloud) {
    if (subcloud.rehomeData() == null) {
      return subcloud;
    }
    return subcloud.toBuilder()
        .rehomeData(new RehomeData(widen(subcloud.rehomeData().content())))
        .build();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> widen(Map<String, Object> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach(
        (k, v) -> {
          if (v instanceof Integer i) {
            copy.put(k, i.longValue());
          } else if (v instanceof Map<?, ?> nested) {
            copy.put(k, widen((Map<String, Object>) nested));
          } else {
            copy.put(k, v);
          }
        });
    return copy;
  }

  /** A region-name clash reported under the name rule. */
  static class WrongDuplicateKey extends SubcloudStoreContract {
    @Override
    protected Stores newStores() {
      Stores s = InMemoryStores.create();
      SubcloudStore real = s.subclouds();
      return withSubclouds(
          s,
          overriding(
              SubcloudStore.class,
              real,
              "insert",
              args -> {
                StoreResult<Subcloud> result = real.insert((Subcloud) args[0]);
                return result instanceof StoreResult.Duplicate
                    ? new StoreResult.Duplicate<>(SubcloudStore.UNIQUE_NAME)
                    : result;
              }));
    }
  }

  /** A transaction boundary that never rolls back. */
  static class NoRollback extends TransactionsContract {
    @Override
    protected Stores newStores() {
      Stores s = InMemoryStores.create();
      Transactions none =
          new Transactions() {
            @Override
            public <T> T inTransaction(Supplier<T> work) {
              return work.get();
            }
          };
      return new Stores(s.systemPeers(), s.peerGroups(), s.associations(), s.subclouds(), none);
    }
  }
}
