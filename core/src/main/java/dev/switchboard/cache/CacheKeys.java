package dev.switchboard.cache;

import dev.switchboard.spi.ContentBlock;
import dev.switchboard.spi.Message;
import dev.switchboard.spi.MessageRequest;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Computes response-cache keys: a SHA-256 digest (64 lower-case hex digits) of a canonical form of
 * a request, scoped so that one tenant's answer is never served to another.
 *
 * <h2>What the key covers</h2>
 * The scope; the model chain (the model ids the call may be served by, primary first — or the
 * request's own model when no chain is given); {@code system}, {@code messages}, {@code tools},
 * {@code tool_choice}, {@code temperature}, {@code top_p}, {@code top_k}, {@code stop_sequences},
 * {@code max_tokens}, {@code thinking}, every field of {@link MessageRequest#extra()}, and every
 * {@code metadata} field except {@code user_id}. Not covered: {@code stream} (a streamed and a
 * non-streamed call get the same answer) and {@code metadata.user_id} (it identifies the end user
 * for abuse detection, not the question; isolation between tenants comes from the scope).
 *
 * <h2>Canonical form</h2>
 * A JSON-like text in which object keys are sorted (so field order never matters), numbers are
 * written in one form ({@code 1}, {@code 1.0} and {@code 1.00} are equal; so are {@code 0} and
 * {@code -0.0}), strings are quoted with escapes, and list order is kept (it means something). The
 * form starts with a version tag, so a future change of the form changes every key rather than
 * colliding with old ones.
 *
 * <h2>Scopes</h2>
 * Use {@link #tenantScope(String)} — the default, and the only safe choice when tenants' prompts
 * may differ in what they are allowed to see. Use {@link #sharedScope(String)} only where it was
 * configured on purpose (e.g. public documentation answers shared by all tenants). The two kinds
 * never collide, whatever the names.
 *
 * <p>Stateless and thread-safe.
 */
public final class CacheKeys {
  private static final String VERSION = "switchboard-cache-key/1";
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private CacheKeys() {}

  /**
   * Returns the scope of one tenant's private cache entries.
   *
   * @throws IllegalArgumentException if {@code tenant} is blank
   */
  public static String tenantScope(String tenant) {
    return "tenant:" + nonBlank("tenant", tenant);
  }

  /**
   * Returns a scope shared by every tenant that uses it; only for caches configured to be shared.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static String sharedScope(String name) {
    return "shared:" + nonBlank("shared scope name", name);
  }

  /**
   * Returns the cache key of {@code request} within {@code scope}, for a call that may be served
   * by any model of {@code chain} (empty: by the request's model only).
   *
   * @param scope from {@link #tenantScope} or {@link #sharedScope}; any non-blank string is taken
   * @param chain model ids, primary first; empty means {@code List.of(request.model())}
   * @throws IllegalArgumentException if scope is blank or a model id in the chain is blank
   * @throws NullPointerException if an argument or a chain element is null
   */
  public static String key(String scope, List<String> chain, MessageRequest request) {
    return sha256Hex(canonical(scope, chain, request));
  }

  /** Returns {@link #key(String, List, MessageRequest)} for the request's own model. */
  public static String key(String scope, MessageRequest request) {
    return key(scope, List.of(), request);
  }

  /** Returns the canonical form that {@link #key} digests; for tests and debugging. */
  static String canonical(String scope, List<String> chain, MessageRequest request) {
    nonBlank("scope", scope);
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(request, "request");
    List<Object> models = new ArrayList<>();
    if (chain.isEmpty()) {
      models.add(request.model());
    }
    for (int i = 0; i < chain.size(); i++) {
      models.add(nonBlank("chain[" + i + "]", chain.get(i)));
    }
    Map<String, Object> form = new TreeMap<>();
    form.put("scope", scope);
    form.put("models", models);
    form.put("max_tokens", request.maxTokens());
    form.put("system", blocks(request.system()));
    List<Object> messages = new ArrayList<>();
    for (Message m : request.messages()) {
      Map<String, Object> message = new TreeMap<>();
      message.put("role", m.role());
      message.put("content", blocks(m.content()));
      messages.add(message);
    }
    form.put("messages", messages);
    form.put("tools", request.tools());
    putIfPresent(form, "tool_choice", request.toolChoice());
    if (request.temperature().isPresent()) {
      form.put("temperature", request.temperature().getAsDouble());
    }
    if (request.topP().isPresent()) {
      form.put("top_p", request.topP().getAsDouble());
    }
    if (request.topK().isPresent()) {
      form.put("top_k", request.topK().getAsInt());
    }
    form.put("stop_sequences", request.stopSequences());
    putIfPresent(form, "thinking", request.thinking());
    if (request.metadata() != null) {
      Map<String, Object> metadata = new TreeMap<>(request.metadata());
      metadata.remove("user_id");
      if (!metadata.isEmpty()) {
        form.put("metadata", metadata);
      }
    }
    form.put("extra", request.extra());
    StringBuilder sb = new StringBuilder(256).append(VERSION).append('\n');
    write(sb, form);
    return sb.toString();
  }

  private static List<Object> blocks(List<ContentBlock> blocks) {
    List<Object> out = new ArrayList<>(blocks.size());
    for (ContentBlock b : blocks) {
      out.add(b.toJson());
    }
    return out;
  }

  private static void putIfPresent(Map<String, Object> form, String name, Object value) {
    if (value != null) {
      form.put(name, value);
    }
  }

  private static void write(StringBuilder sb, Object value) {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof String s) {
      writeString(sb, s);
    } else if (value instanceof Boolean b) {
      sb.append(b.booleanValue());
    } else if (value instanceof Number n) {
      sb.append(number(n));
    } else if (value instanceof Map<?, ?> map) {
      TreeMap<String, Object> sorted = new TreeMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        sorted.put(String.valueOf(e.getKey()), e.getValue());
      }
      sb.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : sorted.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        writeString(sb, e.getKey());
        sb.append(':');
        write(sb, e.getValue());
      }
      sb.append('}');
    } else if (value instanceof List<?> list) {
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        write(sb, list.get(i));
      }
      sb.append(']');
    } else {
      // the SPI only holds JSON trees; anything else is written by type and text, never thrown
      writeString(sb, value.getClass().getName() + ":" + value);
    }
  }

  /** Returns one canonical text per numeric value: 1, 1.0, 1L and 1.00 all give "1". */
  static String number(Number n) {
    BigDecimal d;
    if (n instanceof Double || n instanceof Float) {
      double v = n.doubleValue();
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        return "\"" + v + "\"";
      }
      d = new BigDecimal(Double.toString(v));
    } else if (n instanceof BigDecimal b) {
      d = b;
    } else if (n instanceof BigInteger b) {
      d = new BigDecimal(b);
    } else if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
      d = BigDecimal.valueOf(n.longValue());
    } else {
      d = new BigDecimal(n.toString());
    }
    if (d.signum() == 0) {
      return "0";
    }
    return d.stripTrailingZeros().toPlainString();
  }

  private static void writeString(StringBuilder sb, String s) {
    JsonQuote.append(sb, s, JsonQuote.Escape.CONTROLS_AND_SURROGATES);
  }

  private static String sha256Hex(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      char[] out = new char[digest.length * 2];
      for (int i = 0; i < digest.length; i++) {
        out[2 * i] = HEX[(digest[i] >> 4) & 0xf];
        out[2 * i + 1] = HEX[digest[i] & 0xf];
      }
      return new String(out);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }

  private static String nonBlank(String name, String value) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank but was '" + value + "'");
    }
    return value;
  }
}
