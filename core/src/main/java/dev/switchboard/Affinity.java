package dev.switchboard;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.switchboard.spi.ContentBlock;
import dev.switchboard.spi.Message;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.Ticker;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Prompt-cache affinity: which organization last answered a conversation, per tenant, for as long
 * as Anthropic's prompt cache would keep its prefix (5 minutes, 1 hour for {@code "ttl": "1h"}),
 * measured by the router's ticker. Bounded (100,000 conversations) and thread-safe.
 *
 * <p>A conversation is named by the caller's session key, or else by a digest of what stays the same
 * from turn to turn: tools, system prompt and the first message. (The prefix up to the last {@code
 * cache_control} breakpoint changes every turn when the breakpoint moves with the conversation, so
 * it cannot name the conversation.)
 */
final class Affinity {
  static final long FIVE_MINUTES = TimeUnit.MINUTES.toNanos(5);
  static final long ONE_HOUR = TimeUnit.HOURS.toNanos(1);

  /** The organization a conversation is pinned to, and for how long each use extends the pin. */
  record Pin(String organization, long ttlNanos) {}

  private final Cache<String, Pin> pins;

  Affinity(Ticker ticker) {
    this.pins = Caffeine.newBuilder().maximumSize(100_000).ticker(ticker::read)
        .executor(Runnable::run)
        .expireAfter(new Expiry<String, Pin>() {
          @Override
          public long expireAfterCreate(String key, Pin pin, long now) {
            return pin.ttlNanos();
          }

          @Override
          public long expireAfterUpdate(String key, Pin pin, long now, long current) {
            return pin.ttlNanos();
          }

          @Override
          public long expireAfterRead(String key, Pin pin, long now, long current) {
            return current;
          }
        }).build();
  }

  /** Returns the conversation key of a call, or null when the call does not need affinity. */
  static String key(String tenant, String sessionKey, MessageRequest request) {
    if (sessionKey != null) {
      return tenant + "\u0000s:" + sessionKey;
    }
    if (!request.usesPromptCache()) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    sb.append(request.tools()).append('\u0001');
    for (ContentBlock b : request.system()) {
      sb.append(b.toJson()).append('\u0002');
    }
    sb.append('\u0001');
    if (!request.messages().isEmpty()) {
      Message first = request.messages().get(0);
      sb.append(first.role()).append(':');
      for (ContentBlock b : first.content()) {
        sb.append(b.toJson()).append('\u0002');
      }
    }
    return tenant + "\u0000p:" + sha256(sb.toString());
  }

  /** Returns the prompt cache's TTL asked for by the request: 1 hour if any breakpoint says so. */
  static long ttlNanos(MessageRequest request) {
    if (isOneHour(request.extra().get("cache_control"))) {
      return ONE_HOUR;
    }
    for (ContentBlock b : request.system()) {
      if (isOneHour(b.fields().get("cache_control"))) {
        return ONE_HOUR;
      }
    }
    for (Message m : request.messages()) {
      for (ContentBlock b : m.content()) {
        if (isOneHour(b.fields().get("cache_control"))) {
          return ONE_HOUR;
        }
      }
    }
    for (Map<String, Object> t : request.tools()) {
      if (isOneHour(t.get("cache_control"))) {
        return ONE_HOUR;
      }
    }
    return FIVE_MINUTES;
  }

  private static boolean isOneHour(Object cacheControl) {
    return cacheControl instanceof Map<?, ?> m && "1h".equals(m.get("ttl"));
  }

  /** Returns the organization the conversation is pinned to, or null. */
  String pinned(String key) {
    Pin p = pins.getIfPresent(key);
    return p == null ? null : p.organization();
  }

  /** Pins (or re-pins) the conversation to {@code organization}, restarting its TTL. */
  void pin(String key, String organization, long ttlNanos) {
    pins.put(key, new Pin(organization, ttlNanos));
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }
}
