package dev.switchboard.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Helpers for the plain-Java JSON trees the SPI uses for fields it does not model: objects are
 * {@code Map<String, Object>} (insertion-ordered), arrays are {@code List<Object>}, and leaves are
 * {@code String}, {@code Number}, {@code Boolean} or {@code null}.
 */
final class Json {
  private Json() {}

  /** Returns a deep, unmodifiable copy of a JSON tree, rejecting values that are not JSON. */
  static Object freeze(Object value, String path) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      return freezeObject(map, path);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        copy.add(freeze(list.get(i), path + "[" + i + "]"));
      }
      return Collections.unmodifiableList(copy);
    }
    throw new IllegalArgumentException(
        "value at " + path + " is not JSON (a " + value.getClass().getName() + ")");
  }

  static Map<String, Object> freezeObject(Map<?, ?> map, String path) {
    if (map == null) {
      return Map.of();
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw new IllegalArgumentException("key at " + path + " is not a string: " + e.getKey());
      }
      copy.put(key, freeze(e.getValue(), path + "." + key));
    }
    return Collections.unmodifiableMap(copy);
  }
}
