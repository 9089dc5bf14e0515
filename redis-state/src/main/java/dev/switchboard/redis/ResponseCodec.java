package dev.switchboard.redis;

import dev.switchboard.spi.ContentBlock;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.Usage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compact JSON form of {@link MessageResponse} for the shared cache: the API's own field names
 * ({@code id, model, role, content, stop_reason, stop_sequence, usage}) plus every extra top-level
 * field verbatim. Integral numbers read back as {@code Long}, others as {@code Double}.
 * {@link #decode} never throws: a value it cannot read (corrupt, truncated, written by a future
 * version) is reported as null and treated as a cache miss. Stateless and thread-safe.
 */
final class ResponseCodec {
  private ResponseCodec() {}

  /** Returns the JSON form of {@code response}. */
  static String encode(MessageResponse response) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", response.id());
    json.put("model", response.model());
    json.put("role", response.role());
    List<Object> content = new ArrayList<>();
    for (ContentBlock b : response.content()) {
      content.add(b.toJson());
    }
    json.put("content", content);
    json.put("stop_reason", response.stopReason());
    json.put("stop_sequence", response.stopSequence());
    Usage u = response.usage();
    Map<String, Object> usage = new LinkedHashMap<>();
    usage.put("input_tokens", u.inputTokens());
    usage.put("output_tokens", u.outputTokens());
    usage.put("cache_creation_input_tokens", u.cacheCreationInputTokens());
    usage.put("cache_read_input_tokens", u.cacheReadInputTokens());
    usage.put("ephemeral_5m_input_tokens", u.cacheCreation5mInputTokens());
    usage.put("ephemeral_1h_input_tokens", u.cacheCreation1hInputTokens());
    usage.put("service_tier", u.serviceTier());
    json.put("usage", usage);
    json.put("extra", response.extra());
    StringBuilder sb = new StringBuilder(256);
    write(sb, json);
    return sb.toString();
  }

  /** Returns the response encoded in {@code text}, or null when it is not a valid encoding. */
  static MessageResponse decode(String text) {
    try {
      Reader r = new Reader(text);
      Object value = r.value();
      r.end();
      if (!(value instanceof Map<?, ?> json)) {
        return null;
      }
      List<ContentBlock> content = new ArrayList<>();
      for (Object block : (List<?>) json.get("content")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> b = (Map<String, Object>) block;
        content.add(ContentBlock.fromJson(b));
      }
      Map<?, ?> u = (Map<?, ?>) json.get("usage");
      Usage usage = new Usage(count(u, "input_tokens"), count(u, "output_tokens"),
          count(u, "cache_creation_input_tokens"), count(u, "cache_read_input_tokens"),
          count(u, "ephemeral_5m_input_tokens"), count(u, "ephemeral_1h_input_tokens"),
          (String) u.get("service_tier"));
      @SuppressWarnings("unchecked")
      Map<String, Object> extra = (Map<String, Object>) json.get("extra");
      return new MessageResponse((String) json.get("id"), (String) json.get("model"),
          (String) json.get("role"), content, (String) json.get("stop_reason"),
          (String) json.get("stop_sequence"), usage, extra);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static long count(Map<?, ?> map, String name) {
    return ((Number) map.get(name)).longValue();
  }

  static void write(StringBuilder sb, Object value) {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof String s) {
      writeString(sb, s);
    } else if (value instanceof Boolean || value instanceof Long || value instanceof Integer
        || value instanceof Short || value instanceof Byte) {
      sb.append(value);
    } else if (value instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        sb.append("null");
      } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        sb.append((long) d);
      } else {
        sb.append(Double.toString(d));
      }
    } else if (value instanceof Map<?, ?> map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        writeString(sb, String.valueOf(e.getKey()));
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
      writeString(sb, value.toString());
    }
  }

  private static void writeString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /** A strict recursive-descent JSON reader; throws IllegalArgumentException on bad input. */
  private static final class Reader {
    private static final int MAX_DEPTH = 200;
    private final String s;
    private int i;
    private int depth;

    Reader(String s) {
      this.s = s;
    }

    void end() {
      skip();
      if (i != s.length()) {
        throw new IllegalArgumentException("trailing data at " + i);
      }
    }

    Object value() {
      skip();
      if (i >= s.length()) {
        throw new IllegalArgumentException("unexpected end");
      }
      char c = s.charAt(i);
      switch (c) {
        case '{':
          return object();
        case '[':
          return array();
        case '"':
          return string();
        case 't':
          literal("true");
          return Boolean.TRUE;
        case 'f':
          literal("false");
          return Boolean.FALSE;
        case 'n':
          literal("null");
          return null;
        default:
          return number();
      }
    }

    private Map<String, Object> object() {
      enter();
      i++;
      Map<String, Object> map = new LinkedHashMap<>();
      skip();
      if (peek() == '}') {
        i++;
        depth--;
        return map;
      }
      while (true) {
        skip();
        if (peek() != '"') {
          throw new IllegalArgumentException("expected a name at " + i);
        }
        String name = string();
        skip();
        expect(':');
        map.put(name, value());
        skip();
        char c = next();
        if (c == '}') {
          depth--;
          return map;
        }
        if (c != ',') {
          throw new IllegalArgumentException("expected ',' or '}' at " + (i - 1));
        }
      }
    }

    private List<Object> array() {
      enter();
      i++;
      List<Object> list = new ArrayList<>();
      skip();
      if (peek() == ']') {
        i++;
        depth--;
        return list;
      }
      while (true) {
        list.add(value());
        skip();
        char c = next();
        if (c == ']') {
          depth--;
          return list;
        }
        if (c != ',') {
          throw new IllegalArgumentException("expected ',' or ']' at " + (i - 1));
        }
      }
    }

    private String string() {
      i++;
      StringBuilder sb = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return sb.toString();
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        char e = next();
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'u' -> {
            if (i + 4 > s.length()) {
              throw new IllegalArgumentException("bad escape at " + i);
            }
            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
          }
          default -> throw new IllegalArgumentException("bad escape at " + (i - 1));
        }
      }
    }

    private Object number() {
      int start = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
        i++;
      }
      String n = s.substring(start, i);
      if (n.isEmpty()) {
        throw new IllegalArgumentException("unexpected character at " + start);
      }
      if (n.indexOf('.') < 0 && n.indexOf('e') < 0 && n.indexOf('E') < 0) {
        try {
          return Long.parseLong(n);
        } catch (NumberFormatException tooLong) {
          return Double.parseDouble(n);
        }
      }
      return Double.parseDouble(n);
    }

    private void literal(String word) {
      if (!s.startsWith(word, i)) {
        throw new IllegalArgumentException("unexpected token at " + i);
      }
      i += word.length();
    }

    private void enter() {
      if (++depth > MAX_DEPTH) {
        throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH);
      }
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private char peek() {
      if (i >= s.length()) {
        throw new IllegalArgumentException("unexpected end");
      }
      return s.charAt(i);
    }

    private char next() {
      char c = peek();
      i++;
      return c;
    }

    private void expect(char c) {
      if (next() != c) {
        throw new IllegalArgumentException("expected '" + c + "' at " + (i - 1));
      }
    }
  }
}
