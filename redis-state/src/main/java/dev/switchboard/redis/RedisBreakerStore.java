package dev.switchboard.redis;

import dev.switchboard.spi.BreakerConfig;
import dev.switchboard.spi.BreakerPermit;
import dev.switchboard.spi.BreakerState;
import dev.switchboard.spi.BreakerStore;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import redis.clients.jedis.UnifiedJedis;

/**
 * Circuit breakers in Redis, one hash per breaker ({@code {prefix}breaker:{name}}), judged by
 * {@code breaker.lua} with the Redis server's clock: the {@link BreakerConfig} semantics (count or
 * time window, minimum calls, failure rate, open period doubling up to its cap, half-open probes)
 * shared by the fleet. Acquiring, recording and releasing are one round trip each; a transition to
 * or from CLOSED costs a second one that updates the index of non-CLOSED breakers
 * ({@code {prefix}{breakers}:notclosed}, read by {@link #notClosed()}). Each breaker expires after
 * {@code idleMillis} without use (plus its open period), so idle per-user breakers cost nothing.
 * Thread-safe.
 */
final class RedisBreakerStore implements BreakerStore {
  private static final BreakerState[] STATES = {BreakerState.CLOSED, BreakerState.OPEN, BreakerState.HALF_OPEN};

  private final UnifiedJedis jedis;
  private final Keys keys;
  private final String idleMillis;
  private final Guard guard;
  private final FallbackBreakers fallback;
  private final ScriptClock clock;

  RedisBreakerStore(UnifiedJedis jedis, Keys keys, long idleMillis, Guard guard, FallbackBreakers fallback,
      ScriptClock clock) {
    this.jedis = jedis;
    this.clock = clock;
    this.keys = keys;
    this.idleMillis = Long.toString(idleMillis);
    this.guard = guard;
    this.fallback = fallback;
  }

  @Override
  public BreakerPermit tryAcquire(String name, BreakerConfig config) {
    check(name, config);
    return guard.call(() -> {
      List<?> r = run(name, config, "acquire", "0", "0");
      return new BreakerPermit(number(r, 0) == 1, number(r, 1) == 1, state(r, 2), state(r, 3),
          Duration.ofNanos(Math.max(0, number(r, 4)) * 1000));
    }, () -> fallback.tryAcquire(name, config));
  }

  @Override
  public BreakerState record(String name, BreakerConfig config, BreakerPermit permit, boolean failure) {
    check(name, config);
    Objects.requireNonNull(permit, "permit");
    return guard.call(() -> {
      List<?> r = run(name, config, "record", permit.probe() ? "1" : "0", failure ? "1" : "0");
      BreakerState after = state(r, 0);
      BreakerState before = state(r, 1);
      if (after != before) {
        index(name, after, number(r, 2));
      }
      return after;
    }, () -> fallback.record(name, config, permit, failure));
  }

  @Override
  public void release(String name, BreakerConfig config, BreakerPermit permit) {
    check(name, config);
    Objects.requireNonNull(permit, "permit");
    if (!permit.probe()) {
      return; // only probe slots are counted: nothing to give back, no round trip
    }
    guard.run(() -> run(name, config, "release", "1", "0"), () -> fallback.release(name, permit));
  }

  @Override
  public BreakerState state(String name, BreakerConfig config) {
    check(name, config);
    return guard.call(() -> state(run(name, config, "state", "0", "0"), 0), () -> fallback.state(name));
  }

  @Override
  public Map<String, BreakerState> notClosed() {
    return guard.call(() -> {
      List<?> r = (List<?>) Scripts.BREAKER_INDEX.run(jedis, clock, List.of(keys.breakerIndex()),
          List.of("list", idleMillis));
      long now = number(r, 0);
      Map<String, BreakerState> out = new TreeMap<>();
      for (int i = 1; i + 1 < r.size(); i += 2) {
        out.put((String) r.get(i), number(r, i + 1) > now ? BreakerState.OPEN : BreakerState.HALF_OPEN);
      }
      return Collections.unmodifiableMap(out);
    }, () -> Collections.unmodifiableMap(fallback.notClosed()));
  }

  /**
   * Updates the index of non-CLOSED breakers after a transition. Best effort: the breaker itself
   * is already recorded, so a failure here only hides it from {@link #notClosed()} snapshots, and
   * must not make the guard record the outcome a second time in the fallback.
   */
  private void index(String name, BreakerState after, long openUntilMillis) {
    try {
      if (after == BreakerState.CLOSED) {
        Scripts.BREAKER_INDEX.run(jedis, clock, List.of(keys.breakerIndex()), List.of("del", idleMillis, name));
      } else {
        Scripts.BREAKER_INDEX.run(jedis, clock, List.of(keys.breakerIndex()),
            List.of("set", idleMillis, name, Long.toString(openUntilMillis)));
      }
    } catch (RuntimeException e) {
      // the next transition or the index's TTL corrects it
    }
  }

  private List<?> run(String name, BreakerConfig config, String op, String probe, String failure) {
    return (List<?>) Scripts.BREAKER.run(jedis, clock, List.of(keys.breaker(name)), List.of(op,
        config.windowType() == BreakerConfig.WindowType.COUNT ? "0" : "1",
        Integer.toString(config.windowSize()), Integer.toString(config.minimumCalls()),
        Double.toString(config.failureRateThreshold()), micros(config.openDuration()),
        micros(config.maxOpenDuration()), Integer.toString(config.halfOpenProbes()), idleMillis, probe,
        failure));
  }

  private static String micros(Duration d) {
    return Long.toString(Math.max(1, Durations.nanos(d) / 1000));
  }

  private static long number(List<?> reply, int index) {
    return (Long) reply.get(index);
  }

  private static BreakerState state(List<?> reply, int index) {
    return STATES[(int) number(reply, index)];
  }

  private static void check(String name, BreakerConfig config) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(config, "config");
  }
}
