package dev.switchboard.redis;

import dev.switchboard.spi.HealthStore;
import dev.switchboard.spi.Ticker;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cooldowns and disables kept in memory while Redis is unreachable, on top of the disables last
 * seen in Redis ({@link #known}), which stay in force during an outage. What is recorded here is
 * replayed to Redis when it answers again (see {@link RedisHealthStore#replay}), so a key
 * disabled during an outage stays disabled for the whole fleet. As a {@link HealthStore}, it
 * answers the way the Redis store answers while degraded. Thread-safe.
 */
final class FallbackHealth implements HealthStore {
  private final Ticker ticker;
  final ConcurrentHashMap<String, Long> cooldownUntil = new ConcurrentHashMap<>();
  /** Disables recorded during the outage, to replay. */
  final ConcurrentHashMap<String, String> disabled = new ConcurrentHashMap<>();
  /** Enables recorded during the outage, to replay. */
  final Set<String> enabled = ConcurrentHashMap.newKeySet();
  /** The disables last seen in Redis, answered from during an outage. */
  final ConcurrentHashMap<String, String> known = new ConcurrentHashMap<>();

  FallbackHealth(Ticker ticker) {
    this.ticker = ticker;
  }

  void coolDown(String scope, long nanos) {
    long now = ticker.read();
    long until = now + nanos < now ? Long.MAX_VALUE : now + nanos;
    cooldownUntil.merge(scope, until, Math::max);
  }

  @Override
  public void coolDown(String scope, Duration duration) {
    Objects.requireNonNull(scope, "scope");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must be >= 0 but was " + duration);
    }
    if (!duration.isZero()) {
      coolDown(scope, Durations.nanos(duration));
    }
  }

  /** Returns the nanoseconds {@code scope} stays cooled down; 0 when it is not. */
  long cooldownNanos(String scope) {
    Long until = cooldownUntil.get(scope);
    if (until == null) {
      return 0;
    }
    long left = until - ticker.read();
    if (left <= 0) {
      cooldownUntil.remove(scope, until);
      return 0;
    }
    return left;
  }

  @Override
  public Duration cooldownRemaining(String scope) {
    long left = cooldownNanos(scope);
    return left == 0 ? Duration.ZERO : Duration.ofNanos(left);
  }

  @Override
  public void disable(String scope, String reason) {
    enabled.remove(scope);
    disabled.put(scope, reason == null || reason.isBlank() ? "disabled" : reason);
  }

  /** Records an enable to replay; returns true when the scope was disabled (here or in Redis, last seen). */
  @Override
  public boolean enable(String scope) {
    boolean pending = disabled.remove(scope) != null;
    enabled.add(scope);
    return known.remove(scope) != null || pending;
  }

  @Override
  public String disabledReason(String scope) {
    String reason = disabled.get(scope);
    return reason != null ? reason : known.get(scope);
  }

  @Override
  public Map<String, String> disabled() {
    Map<String, String> all = new TreeMap<>(known);
    all.putAll(disabled);
    return Collections.unmodifiableMap(all);
  }

  @Override
  public Map<String, Duration> cooldowns() {
    Map<String, Duration> out = new TreeMap<>();
    for (String scope : cooldownUntil.keySet()) {
      Duration left = cooldownRemaining(scope);
      if (!left.isZero()) {
        out.put(scope, left);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** Remembers every disable Redis holds now (and forgets the others). */
  void seen(Map<String, String> all) {
    known.keySet().retainAll(all.keySet());
    known.putAll(all);
  }
}
