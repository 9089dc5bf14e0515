package dev.switchboard.testkit;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON in and out (Moshi over plain maps and lists) and the API's error bodies. */
final class Wire {
  private static final JsonAdapter<Object> ADAPTER =
      new Moshi.Builder().build().adapter(Object.class).serializeNulls();

  private Wire() {}

  /**
   * Parses a JSON document into maps, lists, strings, doubles, booleans and nulls.
   *
   * @throws IOException (or an unchecked Moshi exception) when the text is not one JSON value
   */
  static Object parse(String json) throws IOException {
    return ADAPTER.fromJson(json);
  }

  /** Returns compact JSON for a tree of maps, lists and leaves. */
  static String json(Object value) {
    return ADAPTER.toJson(value);
  }

  /** Returns {@code {"type":"error","error":{...},"request_id":...}}. */
  static Map<String, Object> errorBody(String type, String message, Map<String, Object> details,
      String requestId) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("type", type);
    error.put("message", message);
    if (details != null) {
      error.put("details", details);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "error");
    body.put("error", error);
    if (requestId != null) {
      body.put("request_id", requestId);
    }
    return body;
  }

  /** Returns an ordered map from alternating keys and values. */
  static Map<String, Object> obj(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** Returns a copy of a JSON object without its {@code cache_control} field. */
  static Object withoutCacheControl(Object node) {
    if (node instanceof Map<?, ?> map && map.containsKey("cache_control")) {
      Map<Object, Object> copy = new LinkedHashMap<>(map);
      copy.remove("cache_control");
      return copy;
    }
    return node;
  }
}
