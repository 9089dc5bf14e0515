package dev.switchboard.redis;

import dev.switchboard.spi.CachedResponse;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.ResponseCacheStore;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * Cached responses in Redis: one string per entry ({@code {prefix}cache:{key}}) holding
 * {@code "ttlMs staleMs storedAtMs\n"} and the response's compact JSON ({@link ResponseCodec}),
 * expiring with {@code PX = ttl + staleFor}. The store time and the lookup time both come from the
 * scripts' clock (the server's {@code TIME}), so the age and freshness of an entry are the same
 * for every router. {@link #get} is one round trip (a script returning the value and the time),
 * {@link #put} one (a script doing {@code SET … PX}). A value that cannot be read is a miss, never
 * an exception. The size is bounded by the TTLs and the server's
 * {@code maxmemory} policy, not by an entry count. Thread-safe.
 */
final class RedisResponseCacheStore implements ResponseCacheStore {
  private final UnifiedJedis jedis;
  private final Keys keys;
  private final Guard guard;
  private final FallbackCache fallback;
  private final ScriptClock clock;

  RedisResponseCacheStore(UnifiedJedis jedis, Keys keys, Guard guard, FallbackCache fallback,
      ScriptClock clock) {
    this.jedis = jedis;
    this.clock = clock;
    this.keys = keys;
    this.guard = guard;
    this.fallback = fallback;
  }

  @Override
  public Optional<CachedResponse> get(String key, boolean allowStale) {
    Objects.requireNonNull(key, "key");
    return guard.call(() -> {
      Object reply = Scripts.CACHE_GET.run(jedis, clock, List.of(keys.cache(key)), List.of());
      if (!(reply instanceof List<?> pair) || pair.size() != 2
          || !(pair.get(0) instanceof String value) || !(pair.get(1) instanceof Long now)) {
        return Optional.<CachedResponse>empty();
      }
      return parse(value, now, allowStale);
    }, () -> fallback.get(key, allowStale));
  }

  /**
   * Reads a stored value at {@code nowMillis} (the scripts' clock): empty when it is malformed,
   * expired, or only stale and {@code allowStale} is false.
   */
  static Optional<CachedResponse> parse(String value, long nowMillis, boolean allowStale) {
    int newline = value.indexOf('\n');
    if (newline < 0) {
      return Optional.empty();
    }
    String[] header = value.substring(0, newline).split(" ");
    if (header.length != 3) {
      return Optional.empty();
    }
    long ttl;
    long stale;
    long storedAt;
    try {
      ttl = Long.parseLong(header[0]);
      stale = Long.parseLong(header[1]);
      storedAt = Long.parseLong(header[2]);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    long remainingMillis = storedAt + ttl + stale - nowMillis;
    if (ttl < 0 || stale < 0 || remainingMillis <= 0) {
      return Optional.empty();
    }
    MessageResponse response = ResponseCodec.decode(value.substring(newline + 1));
    if (response == null) {
      return Optional.empty();
    }
    boolean fresh = remainingMillis > stale;
    if (!fresh && !allowStale) {
      return Optional.empty();
    }
    Duration age = Duration.ofMillis(Math.max(0, nowMillis - storedAt));
    return Optional.of(new CachedResponse(response, age, fresh));
  }

  @Override
  public void put(String key, MessageResponse response, Duration ttl, Duration staleFor) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(staleFor, "staleFor");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must be >= 0 but was " + ttl);
    }
    if (staleFor.isNegative()) {
      throw new IllegalArgumentException("staleFor must be >= 0 but was " + staleFor);
    }
    long ttlMs = millisCeil(ttl);
    long staleMs = millisCeil(staleFor);
    guard.run(() -> {
      if (ttlMs + staleMs <= 0) {
        jedis.del(keys.cache(key));
      } else {
        Scripts.CACHE_PUT.run(jedis, clock, List.of(keys.cache(key)),
            List.of(Long.toString(ttlMs), Long.toString(staleMs), ResponseCodec.encode(response)));
      }
    }, () -> fallback.put(key, response, Durations.nanos(ttl),
        Durations.nanos(staleFor)));
  }

  @Override
  public void invalidate(String key) {
    Objects.requireNonNull(key, "key");
    fallback.invalidate(key);
    guard.run(() -> jedis.del(keys.cache(key)), () -> {});
  }

  private static long millisCeil(Duration d) {
    long nanos = Durations.nanos(d);
    return Math.min(Long.MAX_VALUE / 4, (nanos + 999_999) / 1_000_000);
  }
}
