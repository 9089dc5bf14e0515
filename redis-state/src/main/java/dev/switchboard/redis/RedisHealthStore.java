package dev.switchboard.redis;

import dev.switchboard.spi.HealthStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.UnifiedJedis;

/**
 * Cooldowns and disables in Redis. A cooldown is a key holding its end time and expiring with
 * {@code PX} (set by a script that never shortens a longer one, and indexes it for
 * {@link #cooldowns()}); reading one is one {@code EVALSHA} that compares the end with the
 * scripts' clock (the server's {@code TIME}). Disables live in one hash without TTL, until
 * {@link #enable}. All health keys share the routing hash tag (see {@link Keys}). Durations have
 * millisecond precision in Redis (rounded up). Every write also updates the store's routing view
 * at once. While Redis is degraded, the fallback answers (with the disables last seen in Redis
 * still in force), and what it recorded (disables, cooldowns) is written to Redis when Redis
 * answers again ({@link #replay}).
 *
 * <p>The store also keeps its own record of every disable it wrote, and forgets one when it
 * enables that scope ({@link #ownDisables}); they are few (keys and key × model pairs) and must
 * survive Redis. On recovery it writes back every one Redis no longer has (a Redis restarted
 * empty), so a revoked key is never used again because of an outage. Cooldowns and breakers are
 * not recorded: they expire anyway. Thread-safe.
 */
final class RedisHealthStore implements HealthStore {
  private final UnifiedJedis jedis;
  private final Keys keys;
  private final Guard guard;
  private final FallbackHealth fallback;
  private final ScriptClock clock;
  private final RoutingSnapshot view;
  /** Every disable this store wrote (in Redis or the fallback) and did not enable since: scope → reason. */
  private final ConcurrentHashMap<String, String> ownDisables = new ConcurrentHashMap<>();

  RedisHealthStore(UnifiedJedis jedis, Keys keys, Guard guard, FallbackHealth fallback, ScriptClock clock,
      RoutingSnapshot view) {
    this.jedis = jedis;
    this.clock = clock;
    this.keys = keys;
    this.guard = guard;
    this.fallback = fallback;
    this.view = view;
  }

  @Override
  public void coolDown(String scope, Duration duration) {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must be >= 0 but was " + duration);
    }
    if (duration.isZero()) {
      return;
    }
    long nanos = Durations.nanos(duration);
    guard.run(() -> coolDownInRedis(scope, nanos), () -> fallback.coolDown(scope, nanos));
    view.cooled(scope, nanos);
  }

  private void coolDownInRedis(String scope, long nanos) {
    long millis = Math.max(1, (nanos + 999_999) / 1_000_000);
    Scripts.COOL_DOWN.run(jedis, clock, List.of(keys.cooldown(scope), keys.cooldownIndex()),
        List.of(Long.toString(millis), scope));
  }

  @Override
  public Duration cooldownRemaining(String scope) {
    Objects.requireNonNull(scope, "scope");
    return guard.call(() -> {
      long ms = (Long) Scripts.COOLDOWN_REMAINING.run(jedis, clock, List.of(keys.cooldown(scope)), List.of());
      return ms > 0 ? Duration.ofMillis(ms) : Duration.ZERO;
    }, () -> fallback.cooldownRemaining(scope));
  }

  @Override
  public void disable(String scope, String reason) {
    Objects.requireNonNull(scope, "scope");
    String why = reason == null || reason.isBlank() ? "disabled" : reason;
    ownDisables.put(scope, why);
    guard.run(() -> {
      jedis.hset(keys.disabled(), scope, why);
      fallback.known.put(scope, why);
    }, () -> fallback.disable(scope, why));
    view.disabled(scope, why);
  }

  @Override
  public boolean enable(String scope) {
    Objects.requireNonNull(scope, "scope");
    ownDisables.remove(scope);
    boolean pending = fallback.disabled.remove(scope) != null;
    boolean shared = guard.call(() -> {
      boolean removed = jedis.hdel(keys.disabled(), scope) > 0;
      fallback.known.remove(scope); // only once Redis answered: a failed HDEL leaves it to the fallback
      return removed;
    }, () -> fallback.enable(scope));
    view.enabled(scope);
    return pending || shared;
  }

  @Override
  public String disabledReason(String scope) {
    Objects.requireNonNull(scope, "scope");
    return guard.call(() -> {
      String reason = jedis.hget(keys.disabled(), scope);
      if (reason == null) {
        fallback.known.remove(scope);
      } else {
        fallback.known.put(scope, reason);
      }
      return reason;
    }, () -> fallback.disabledReason(scope));
  }

  @Override
  public Map<String, String> disabled() {
    return guard.call(() -> {
      Map<String, String> all = jedis.hgetAll(keys.disabled());
      fallback.seen(all);
      return Collections.unmodifiableMap(new TreeMap<>(all));
    }, fallback::disabled);
  }

  /** Writes back the disables of this store's record that Redis lost; tells the listener which. */
  private void reassertOwnDisables() {
    if (ownDisables.isEmpty()) {
      return;
    }
    Map<String, String> inRedis = jedis.hgetAll(keys.disabled());
    List<String> restored = new ArrayList<>();
    for (Map.Entry<String, String> e : ownDisables.entrySet()) {
      String scope = e.getKey();
      String reason = inRedis.get(scope);
      if (reason == null) {
        reason = e.getValue();
        if (jedis.hsetnx(keys.disabled(), scope, reason) == 1) {
          if (!ownDisables.containsKey(scope)) { // enabled meanwhile: the enable wins
            jedis.hdel(keys.disabled(), scope);
            continue;
          }
          restored.add(scope);
        } else {
          reason = jedis.hget(keys.disabled(), scope);
        }
      }
      if (reason != null) {
        fallback.known.put(scope, reason);
        view.disabled(scope, reason);
      }
    }
    if (!restored.isEmpty()) {
      Collections.sort(restored);
      guard.tell("redis-state wrote back " + restored.size() + " disable(s) Redis no longer had: "
          + String.join(", ", restored));
    }
  }

  /** Returns this store's own record of disables (scope → reason); for tests. */
  Map<String, String> ownDisables() {
    return Collections.unmodifiableMap(new TreeMap<>(ownDisables));
  }

  @Override
  public Map<String, Duration> cooldowns() {
    return guard.call(() -> {
      List<?> reply = (List<?>) Scripts.COOLDOWNS.run(jedis, clock, List.of(keys.cooldownIndex()), List.of());
      Map<String, Duration> out = new TreeMap<>();
      for (int i = 0; i + 1 < reply.size(); i += 2) {
        long ms = (Long) reply.get(i + 1);
        if (ms > 0) {
          out.put((String) reply.get(i), Duration.ofMillis(ms));
        }
      }
      return Collections.unmodifiableMap(out);
    }, fallback::cooldowns);
  }

  /**
   * Writes local state back to Redis, before the store uses Redis again after an outage: every
   * enable and disable the fallback recorded during the outage, then every disable of this
   * store's own record that Redis no longer has (one {@code HGETALL}, then one {@code HSETNX} per
   * missing scope, so a reason another router wrote meanwhile is kept), then every cooldown still
   * running. An outage must never re-enable a key for the fleet. Run by each probe; idempotent;
   * throws when Redis fails meanwhile (the next probe runs it again).
   */
  void replay() {
    for (String scope : fallback.enabled) {
      jedis.hdel(keys.disabled(), scope);
      fallback.enabled.remove(scope);
    }
    for (Map.Entry<String, String> e : fallback.disabled.entrySet()) {
      jedis.hset(keys.disabled(), e.getKey(), e.getValue());
      fallback.known.put(e.getKey(), e.getValue());
      fallback.disabled.remove(e.getKey(), e.getValue());
    }
    reassertOwnDisables();
    for (Map.Entry<String, Duration> e : fallback.cooldowns().entrySet()) {
      coolDownInRedis(e.getKey(), Durations.nanos(e.getValue()));
      fallback.cooldownUntil.remove(e.getKey());
    }
  }
}
