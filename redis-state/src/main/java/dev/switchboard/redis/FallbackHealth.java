package dev.switchboard.redis;

import dev.switchboard.spi.Ticker;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cooldowns and disables kept in memory while Redis is unreachable; replayed to Redis when it
 * answers again (see {@link RedisHealthStore#replay}), so a key disabled during an outage stays
 * disabled for the whole fleet. Thread-safe.
 */
final class FallbackHealth {
  private final Ticker ticker;
  final ConcurrentHashMap<String, Long> cooldownUntil = new ConcurrentHashMap<>();
  /** Disables recorded during the outage, to replay. */
  final ConcurrentHashMap<String, String> disabled = new ConcurrentHashMap<>();
  /** Enables recorded during the outage, to replay. */
  final Set<String> enabled = ConcurrentHashMap.newKeySet();

  FallbackHealth(Ticker ticker) {
    this.ticker = ticker;
  }

  void coolDown(String scope, long nanos) {
    long now = ticker.read();
    long until = now + nanos < now ? Long.MAX_VALUE : now + nanos;
    cooldownUntil.merge(scope, until, Math::max);
  }

  Duration cooldownRemaining(String scope) {
    Long until = cooldownUntil.get(scope);
    if (until == null) {
      return Duration.ZERO;
    }
    long left = until - ticker.read();
    if (left <= 0) {
      cooldownUntil.remove(scope, until);
      return Duration.ZERO;
    }
    return Duration.ofNanos(left);
  }

  Map<String, Duration> cooldowns() {
    Map<String, Duration> out = new TreeMap<>();
    for (String scope : cooldownUntil.keySet()) {
      Duration left = cooldownRemaining(scope);
      if (!left.isZero()) {
        out.put(scope, left);
      }
    }
    return out;
  }
}
