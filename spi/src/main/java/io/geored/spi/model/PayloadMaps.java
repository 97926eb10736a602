package io.geored.spi.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep, unmodifiable copies of parsed YAML or JSON values (maps, lists, scalars). Null values are
 * kept, as YAML allows them; insertion order is kept.
 */
public final class PayloadMaps {

  private PayloadMaps() {}

  /**
   * Copies a map and everything in it into unmodifiable collections.
   *
   * @param source the map, not null
   * @return an unmodifiable deep copy
   */
  public static Map<String, Object> deepCopy(Map<String, ?> source) {
    Map<String, Object> copy = new LinkedHashMap<>();
    source.forEach((k, v) -> copy.put(String.valueOf(k), copyValue(v)));
    return Collections.unmodifiableMap(copy);
  }

  private static Object copyValue(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), copyValue(v)));
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(copyValue(v)));
      return Collections.unmodifiableList(copy);
    }
    return value;
  }
}
