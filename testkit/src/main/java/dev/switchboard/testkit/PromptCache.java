package dev.switchboard.testkit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Prompt caching per organization and model: a {@code cache_control} breakpoint caches the prompt
 * prefix up to and including its block (order: tools, system, messages); a later request of the
 * same organization and model with the same prefix reads it. Expiry follows the injected ticker
 * (5 minutes, or 1 hour for {@code "ttl": "1h"}); a read refreshes the entry. Thread-safe.
 *
 * <p>Unlike the real API there is no minimum cacheable length.
 */
final class PromptCache {
  static final long FIVE_MINUTES = TimeUnit.MINUTES.toNanos(5);
  static final long ONE_HOUR = TimeUnit.HOURS.toNanos(1);

  /** One cacheable unit of the prompt; {@code ttlNanos} > 0 marks a breakpoint. */
  record Segment(long tokens, String canonical, long ttlNanos) {}

  /** A new cache entry to write if the request is admitted. */
  record Pending(String key, long ttlNanos) {}

  /** How a request's input splits into uncached, written and read tokens. */
  record Plan(long totalTokens, long inputTokens, long readTokens, long creation5m, long creation1h,
      List<Pending> writes) {
    long creationTokens() {
      return creation5m + creation1h;
    }
  }

  private record Entry(long expiresAt, long ttlNanos) {}

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  /**
   * Splits a request body into segments.
   *
   * @throws ApiHandler.Rejection for a {@code cache_control.ttl} other than 5m or 1h
   */
  static List<Segment> segments(Map<String, Object> body) {
    List<Segment> out = new ArrayList<>();
    if (body.get("tools") instanceof List<?> tools) {
      for (Object t : tools) {
        out.add(segment("t:", t, ttlOf(t)));
      }
    }
    Object system = body.get("system");
    if (system instanceof String s) {
      out.add(segment("s:", Wire.obj("type", "text", "text", s), 0));
    } else if (system instanceof List<?> blocks) {
      for (Object b : blocks) {
        out.add(segment("s:", b, ttlOf(b)));
      }
    }
    if (body.get("messages") instanceof List<?> messages) {
      for (Object m : messages) {
        if (!(m instanceof Map<?, ?> msg)) {
          continue;
        }
        String role = String.valueOf(msg.get("role")).substring(0, 1) + ":";
        Object content = msg.get("content");
        if (content instanceof String s) {
          out.add(segment(role, Wire.obj("type", "text", "text", s), 0));
        } else if (content instanceof List<?> blocks) {
          for (Object b : blocks) {
            out.add(segment(role, b, ttlOf(b)));
          }
        }
      }
    }
    Object top = body.get("cache_control");
    if (top != null && !out.isEmpty()) {
      int last = out.size() - 1;
      Segment s = out.get(last);
      if (s.ttlNanos() == 0) {
        out.set(last, new Segment(s.tokens(), s.canonical(), ttl(top)));
      }
    }
    return out;
  }

  private static Segment segment(String prefix, Object node, long ttlNanos) {
    return new Segment(TokenCounter.node(node), prefix + Wire.json(Wire.withoutCacheControl(node)),
        ttlNanos);
  }

  private static long ttlOf(Object node) {
    if (node instanceof Map<?, ?> m && m.get("cache_control") != null) {
      return ttl(m.get("cache_control"));
    }
    return 0;
  }

  private static long ttl(Object cacheControl) {
    if (!(cacheControl instanceof Map<?, ?> cc)) {
      throw new ApiHandler.Rejection(400, "invalid_request_error",
          "cache_control: Input should be a valid dictionary");
    }
    Object ttl = cc.get("ttl");
    if (ttl == null || "5m".equals(ttl)) {
      return FIVE_MINUTES;
    }
    if ("1h".equals(ttl)) {
      return ONE_HOUR;
    }
    throw new ApiHandler.Rejection(400, "invalid_request_error",
        "cache_control.ttl: Input should be '5m' or '1h' but was " + Wire.json(ttl));
  }

  /** Works out the split for {@code segments} without changing the cache. */
  Plan plan(String organization, String model, List<Segment> segments, long now) {
    long total = 0;
    for (Segment s : segments) {
      total += s.tokens();
    }
    List<Integer> breakpoints = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    MessageDigest digest = sha256();
    for (int i = 0; i < segments.size(); i++) {
      digest.update(segments.get(i).canonical().getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      if (segments.get(i).ttlNanos() > 0) {
        breakpoints.add(i);
        keys.add(organization + '\u0000' + model + '\u0000' + HexFormat.of().formatHex(copy(digest)));
      }
    }
    if (breakpoints.isEmpty()) {
      return new Plan(total, total, 0, 0, 0, List.of());
    }
    int hit = -1;
    for (int j = breakpoints.size() - 1; j >= 0; j--) {
      Entry e = entries.get(keys.get(j));
      if (e != null && e.expiresAt() - now > 0) {
        hit = j;
        break;
      }
    }
    long prefixEnd = -1;
    long read = 0;
    List<Pending> writes = new ArrayList<>();
    if (hit >= 0) {
      prefixEnd = breakpoints.get(hit);
      for (int i = 0; i <= prefixEnd; i++) {
        read += segments.get(i).tokens();
      }
      writes.add(new Pending(keys.get(hit), entries.get(keys.get(hit)).ttlNanos()));
    }
    long c5 = 0;
    long c1h = 0;
    for (int j = hit + 1; j < breakpoints.size(); j++) {
      int end = breakpoints.get(j);
      long tokens = 0;
      for (long i = prefixEnd + 1; i <= end; i++) {
        tokens += segments.get((int) i).tokens();
      }
      long ttl = segments.get(end).ttlNanos();
      if (ttl == ONE_HOUR) {
        c1h += tokens;
      } else {
        c5 += tokens;
      }
      writes.add(new Pending(keys.get(j), ttl));
      prefixEnd = end;
    }
    long after = 0;
    for (long i = prefixEnd + 1; i < segments.size(); i++) {
      after += segments.get((int) i).tokens();
    }
    return new Plan(total, after, read, c5, c1h, List.copyOf(writes));
  }

  /** Writes (or refreshes) the plan's entries: called once the request is admitted. */
  void commit(Plan plan, long now) {
    for (Pending p : plan.writes()) {
      entries.put(p.key(), new Entry(now + p.ttlNanos(), p.ttlNanos()));
    }
    if (entries.size() > 10_000) {
      entries.values().removeIf(e -> e.expiresAt() - now <= 0);
    }
  }

  private static byte[] copy(MessageDigest digest) {
    try {
      return ((MessageDigest) digest.clone()).digest();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digests are cloneable in every JDK", e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }
}
