package dev.switchboard.redis;

import dev.switchboard.spi.CachedResponse;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.ResponseCacheStore;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Cached responses in Redis: one string per entry ({@code {prefix}cache:{key}}) holding
 * {@code "ttlMs staleMs\n"} and the response's compact JSON ({@link ResponseCodec}), expiring with
 * {@code PX = ttl + staleFor}. Freshness needs no clock: an entry whose remaining time to live
 * ({@code PTTL}) exceeds {@code staleFor} is fresh. {@link #get} is one round trip (a script
 * returning the value and its PTTL), {@link #put} one {@code SET … PX}. A value that cannot be
 * read is a miss, never an exception. The size is bounded by the TTLs and the server's
 * {@code maxmemory} policy, not by an entry count. Thread-safe.
 */
final class RedisResponseCacheStore implements ResponseCacheStore {
  private final UnifiedJedis jedis;
  private final Keys keys;
  private final Guard guard;
  private final FallbackCache fallback;

  RedisResponseCacheStore(UnifiedJedis jedis, Keys keys, Guard guard, FallbackCache fallback) {
    this.jedis = jedis;
    this.keys = keys;
    this.guard = guard;
    this.fallback = fallback;
  }

  @Override
  public Optional<CachedResponse> get(String key, boolean allowStale) {
    Objects.requireNonNull(key, "key");
    return guard.call(() -> {
      Object reply = Scripts.CACHE_GET.run(jedis, List.of(keys.cache(key)), List.of());
      if (!(reply instanceof List<?> pair) || pair.size() != 2) {
        return Optional.<CachedResponse>empty();
      }
      return parse((String) pair.get(0), (Long) pair.get(1), allowStale);
    }, () -> fallback.get(key, allowStale));
  }

  static Optional<CachedResponse> parse(String value, long remainingMillis, boolean allowStale) {
    int space = value.indexOf(' ');
    int newline = value.indexOf('\n');
    if (space < 0 || newline < space || remainingMillis <= 0) {
      return Optional.empty();
    }
    long ttl;
    long stale;
    try {
      ttl = Long.parseLong(value.substring(0, space));
      stale = Long.parseLong(value.substring(space + 1, newline));
    } catch (NumberFormatException e) {
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
    Duration age = Duration.ofMillis(Math.max(0, ttl + stale - remainingMillis));
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
        String value = ttlMs + " " + staleMs + "\n" + ResponseCodec.encode(response);
        jedis.set(keys.cache(key), value, SetParams.setParams().px(ttlMs + staleMs));
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
