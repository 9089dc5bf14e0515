package dev.switchboard.okhttp;

import dev.switchboard.spi.ApiError;
import dev.switchboard.spi.ContentBlock;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.ProviderResponse;
import dev.switchboard.spi.Usage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes Messages API response bodies into SPI values, never throwing at the caller: a body that
 * is not what its status promised (an HTML page from a proxy, an empty or truncated body, JSON of
 * the wrong shape, a message without {@code id}) becomes a {@link ProviderResponse} marked
 * {@linkplain ProviderResponse.Builder#malformedBody malformed} with a descriptive
 * {@link ApiError} whose message names the problem and, where there is one, its JSON path.
 * Stateless and thread-safe.
 */
final class WireResponses {
  /** Top-level message fields that are typed; the rest go to {@link MessageResponse#extra()}. */
  private static final Set<String> MESSAGE_FIELDS = Set.of(
      "id", "type", "role", "model", "content", "stop_reason", "stop_sequence", "usage");

  private WireResponses() {}

  /** A JSON document of the wrong shape; the message names the JSON path. */
  static final class ShapeException extends Exception {
    private static final long serialVersionUID = 1L;

    ShapeException(String message) {
      super(message, null, false, false);
    }
  }

  /** Which endpoint a body came from, and so what a 2xx body must hold. */
  enum Endpoint {
    MESSAGES, COUNT_TOKENS
  }

  /**
   * Fills {@code builder} from a complete body.
   *
   * @param status the HTTP status
   * @param body the whole body as text (may be empty)
   */
  static ProviderResponse decode(ProviderResponse.Builder builder, int status, String body,
      Endpoint endpoint) {
    boolean success = status >= 200 && status < 300;
    Object json;
    try {
      if (body.isBlank()) {
        return malformed(builder, status, body, "the HTTP " + status + " response had an empty body");
      }
      json = JsonTrees.parse(body);
    } catch (IOException | RuntimeException e) {
      return malformed(builder, status, body, "the HTTP " + status + " response body is not JSON ("
          + describe(body) + "): " + e.getMessage());
    }
    if (!success) {
      return decodeError(builder, status, body, json);
    }
    try {
      Map<String, Object> object = object(json, "$");
      if ("error".equals(object.get("type")) && object.get("error") instanceof Map<?, ?>) {
        ApiError embedded = error(object);
        return builder.error(embedded).malformedBody(body).build();
      }
      if (endpoint == Endpoint.COUNT_TOKENS) {
        if (object.get("input_tokens") == null) {
          throw new ShapeException("$.input_tokens is missing");
        }
        return builder.tokenCount(count(object, "input_tokens", "$")).build();
      }
      return builder.message(message(object, "$")).build();
    } catch (ShapeException | RuntimeException e) {
      String what = endpoint == Endpoint.COUNT_TOKENS ? "token count" : "message";
      return malformed(builder, status, body,
          "the HTTP " + status + " body is not a " + what + ": " + e.getMessage());
    }
  }

  /** Fills {@code builder} with an error read from an error body, or a malformed-body error. */
  private static ProviderResponse decodeError(ProviderResponse.Builder builder, int status,
      String body, Object json) {
    if (json instanceof Map<?, ?> map && map.get("error") instanceof Map<?, ?> err
        && err.get("type") instanceof String) {
      return builder.error(error(map)).build();
    }
    return malformed(builder, status, body, "the HTTP " + status
        + " body is JSON but not an API error (no string $.error.type): " + describe(body));
  }

  /** Returns a malformed-body response whose error type is the one the status implies. */
  static ProviderResponse malformed(ProviderResponse.Builder builder, int status, String body,
      String description) {
    return builder.error(ApiError.of(impliedErrorType(status), description)).malformedBody(body)
        .build();
  }

  /**
   * Returns the API error type a status implies when the body does not say: {@code unknown} for
   * 2xx and for statuses the API does not document.
   */
  static String impliedErrorType(int status) {
    return switch (status) {
      case 400 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 409 -> "conflict_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 500 -> "api_error";
      case 504 -> "timeout_error";
      case 529 -> "overloaded_error";
      default -> "unknown";
    };
  }

  /**
   * Returns the error of {@code {"type":"error","error":{"type","message","details":{"error_code"}},
   * "request_id"}}; fields that are missing or not strings are null.
   */
  static ApiError error(Map<?, ?> body) {
    Map<?, ?> err = body.get("error") instanceof Map<?, ?> m ? m : Map.of();
    String errorCode = err.get("details") instanceof Map<?, ?> details
        && details.get("error_code") instanceof String code ? code : null;
    return new ApiError(stringOrNull(err.get("type")), stringOrNull(err.get("message")), errorCode,
        stringOrNull(body.get("request_id")));
  }

  /** Returns a message from its wire object; {@code id} and {@code model} are required. */
  static MessageResponse message(Map<String, Object> json, String path) throws ShapeException {
    String id = string(json, "id", path, true);
    String model = string(json, "model", path, true);
    String role = string(json, "role", path, false);
    List<ContentBlock> content = new ArrayList<>();
    Object rawContent = json.get("content");
    if (rawContent != null) {
      if (!(rawContent instanceof List<?> list)) {
        throw new ShapeException(path + ".content must be an array but was " + kind(rawContent));
      }
      for (int i = 0; i < list.size(); i++) {
        content.add(block(list.get(i), path + ".content[" + i + "]"));
      }
    }
    String stopReason = string(json, "stop_reason", path, false);
    String stopSequence = string(json, "stop_sequence", path, false);
    Usage usage = usage(json.get("usage"), path + ".usage");
    Map<String, Object> extra = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : json.entrySet()) {
      if (!MESSAGE_FIELDS.contains(e.getKey())) {
        extra.put(e.getKey(), e.getValue());
      }
    }
    return new MessageResponse(id, model, role, content, stopReason, stopSequence, usage, extra);
  }

  /** Returns a content block from its wire object, kept verbatim. */
  static ContentBlock block(Object json, String path) throws ShapeException {
    Map<String, Object> object = object(json, path);
    if (!(object.get("type") instanceof String type) || type.isBlank()) {
      throw new ShapeException(path + ".type must be a non-blank string but was "
          + kind(object.get("type")));
    }
    return ContentBlock.fromJson(object);
  }

  /**
   * Returns usage from a {@code usage} object; missing counts are 0, {@code cache_creation} is
   * split into its 5-minute and 1-hour parts. A missing or null object is {@link Usage#ZERO}.
   */
  static Usage usage(Object json, String path) throws ShapeException {
    if (json == null) {
      return Usage.ZERO;
    }
    Map<String, Object> u = object(json, path);
    long c5m = 0;
    long c1h = 0;
    Object cacheCreation = u.get("cache_creation");
    if (cacheCreation != null) {
      Map<String, Object> cc = object(cacheCreation, path + ".cache_creation");
      c5m = count(cc, "ephemeral_5m_input_tokens", path + ".cache_creation");
      c1h = count(cc, "ephemeral_1h_input_tokens", path + ".cache_creation");
    }
    return new Usage(count(u, "input_tokens", path), count(u, "output_tokens", path),
        count(u, "cache_creation_input_tokens", path), count(u, "cache_read_input_tokens", path),
        c5m, c1h, string(u, "service_tier", path, false));
  }

  /** Returns a non-negative integral count; absent or null is 0. */
  static long count(Map<String, Object> json, String name, String path) throws ShapeException {
    Object v = json.get(name);
    if (v == null) {
      return 0;
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (d >= 0 && d == Math.rint(d) && d <= Long.MAX_VALUE) {
        return n.longValue();
      }
      throw new ShapeException(path + "." + name + " must be a count >= 0 but was " + n);
    }
    throw new ShapeException(path + "." + name + " must be a number but was " + kind(v));
  }

  /** Returns an integer index field, required. */
  static int index(Map<String, Object> json, String path) throws ShapeException {
    if (!(json.get("index") instanceof Number)) {
      throw new ShapeException(path + ".index must be a number but was " + kind(json.get("index")));
    }
    long n = count(json, "index", path);
    if (n > Integer.MAX_VALUE) {
      throw new ShapeException(path + ".index is too large: " + n);
    }
    return (int) n;
  }

  /** Returns {@code json} as an object, or throws naming the path. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object json, String path) throws ShapeException {
    if (json instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new ShapeException(path + " must be an object but was " + kind(json));
  }

  /** Returns a string field; null when absent or JSON null, unless required. */
  static String string(Map<String, Object> json, String name, String path, boolean required)
      throws ShapeException {
    Object v = json.get(name);
    if (v == null) {
      if (required) {
        throw new ShapeException(path + "." + name + " is missing");
      }
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    throw new ShapeException(path + "." + name + " must be a string but was " + kind(v));
  }

  private static String stringOrNull(Object v) {
    return v instanceof String s ? s : null;
  }

  /** Returns the JSON kind of a tree value, for messages. */
  static String kind(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Map) {
      return "an object";
    }
    if (v instanceof List) {
      return "an array";
    }
    if (v instanceof String) {
      return "a string";
    }
    if (v instanceof Number) {
      return "a number";
    }
    if (v instanceof Boolean) {
      return "a boolean";
    }
    return "a " + v.getClass().getSimpleName();
  }

  /** Returns a short, single-line description of a body for messages. */
  static String describe(String body) {
    String trimmed = body.strip();
    String kind = trimmed.startsWith("<") ? "looks like HTML/XML" : "starts with";
    String head = trimmed.length() > 60 ? trimmed.substring(0, 60) + "…" : trimmed;
    return body.length() + " chars, " + kind + " '" + head.replaceAll("\\s+", " ") + "'";
  }
}
