package dev.switchboard.redis;

import dev.switchboard.spi.BreakerConfig;
import dev.switchboard.spi.BreakerPermit;
import dev.switchboard.spi.BreakerState;
import dev.switchboard.spi.BreakerStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import redis.clients.jedis.UnifiedJedis;

/**
 * Circuit breakers in Redis, one hash per breaker, judged by {@code breaker.lua} with the Redis
 * server's clock: the {@link BreakerConfig} semantics (count or time window, minimum calls,
 * failure rate, open period doubling up to its cap, half-open probes) shared by the fleet.
 * Acquiring, recording and releasing are one round trip each. Routing breakers (every name but
 * {@code user:…}) live under the routing hash tag with their index of non-CLOSED breakers, which
 * the record script updates in the same round trip, and every transition updates the store's
 * routing view at once; a per-user breaker lives in a slot of its own, so a transition of one
 * costs a second round trip to update its own index ({@code {prefix}{breakers}:notclosed}). Both
 * indexes are read by {@link #notClosed()}. Each breaker expires after {@code idleMillis}
 * without use (plus its open period), so idle per-user breakers cost nothing. Thread-safe.
 */
final class RedisBreakerStore implements BreakerStore {
  static final BreakerState[] STATES = {BreakerState.CLOSED, BreakerState.OPEN, BreakerState.HALF_OPEN};

  private final UnifiedJedis jedis;
  private final Keys keys;
  private final String idleMillis;
  private final Guard guard;
  private final FallbackBreakers fallback;
  private final ScriptClock clock;
  private final RoutingSnapshot view;

  RedisBreakerStore(UnifiedJedis jedis, Keys keys, long idleMillis, Guard guard, FallbackBreakers fallback,
      ScriptClock clock, RoutingSnapshot view) {
    this.jedis = jedis;
    this.clock = clock;
    this.keys = keys;
    this.idleMillis = Long.toString(idleMillis);
    this.guard = guard;
    this.fallback = fallback;
    this.view = view;
  }

  @Override
  public BreakerPermit tryAcquire(String name, BreakerConfig config) {
    check(name, config);
    return guard.call(() -> {
      List<?> r = run(name, config, "acquire", "0", "0");
      BreakerPermit permit = new BreakerPermit(number(r, 0) == 1, number(r, 1) == 1, state(r, 2), state(r, 3),
          Duration.ofNanos(Math.max(0, number(r, 4)) * 1000));
      if (permit.changed()) {
        view.breaker(name, permit.state(), 0);
      }
      return permit;
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
        if (Keys.routingBreaker(name)) {
          view.breaker(name, after, number(r, 3) * 1000);
        } else {
          indexUserBreaker(name, after, number(r, 2));
        }
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
    guard.run(() -> run(name, config, "release", "1", "0"), () -> fallback.release(name, config, permit));
  }

  @Override
  public BreakerState state(String name, BreakerConfig config) {
    check(name, config);
    return guard.call(() -> state(run(name, config, "state", "0", "0"), 0), () -> fallback.state(name, config));
  }

  /** Returns the non-CLOSED breakers of both indexes (routing and per-user): two round trips. */
  @Override
  public Map<String, BreakerState> notClosed() {
    return guard.call(() -> {
      Map<String, BreakerState> out = new TreeMap<>();
      for (String index : List.of(keys.routingBreakerIndex(), keys.userBreakerIndex())) {
        List<?> r = (List<?>) Scripts.BREAKER_INDEX.run(jedis, clock, List.of(index), List.of("list", idleMillis));
        long now = number(r, 0);
        for (int i = 1; i + 1 < r.size(); i += 2) {
          out.put((String) r.get(i), number(r, i + 1) > now ? BreakerState.OPEN : BreakerState.HALF_OPEN);
        }
      }
      return Collections.unmodifiableMap(out);
    }, fallback::notClosed);
  }

  /**
   * Updates the index of non-CLOSED per-user breakers after a transition. Best effort: the breaker
   * itself is already recorded, so a failure here only hides it from {@link #notClosed()}
   * snapshots, and must not make the guard record the outcome a second time in the fallback.
   */
  private void indexUserBreaker(String name, BreakerState after, long openUntilMillis) {
    try {
      if (after == BreakerState.CLOSED) {
        Scripts.BREAKER_INDEX.run(jedis, clock, List.of(keys.userBreakerIndex()), List.of("del", idleMillis, name));
      } else {
        Scripts.BREAKER_INDEX.run(jedis, clock, List.of(keys.userBreakerIndex()),
            List.of("set", idleMillis, name, Long.toString(openUntilMillis)));
      }
    } catch (RuntimeException e) {
      // the next transition or the index's TTL corrects it
    }
  }

  private List<?> run(String name, BreakerConfig config, String op, String probe, String failure) {
    List<String> keyList = Keys.routingBreaker(name) ? List.of(keys.breaker(name), keys.routingBreakerIndex())
        : List.of(keys.breaker(name));
    List<String> args = new ArrayList<>(12);
    args.add(op);
    addConfig(args, config, idleMillis);
    args.add(probe);
    args.add(failure);
    args.add(name);
    return (List<?>) Scripts.BREAKER.run(jedis, clock, keyList, args);
  }

  /** Appends the 8 config arguments {@code breaker-common.lua} reads. */
  static void addConfig(List<String> args, BreakerConfig config, String idleMillis) {
    args.add(config.windowType() == BreakerConfig.WindowType.COUNT ? "0" : "1");
    args.add(Integer.toString(config.windowSize()));
    args.add(Integer.toString(config.minimumCalls()));
    args.add(Double.toString(config.failureRateThreshold()));
    args.add(micros(config.openDuration()));
    args.add(micros(config.maxOpenDuration()));
    args.add(Integer.toString(config.halfOpenProbes()));
    args.add(idleMillis);
  }

  private static String micros(Duration d) {
    return Long.toString(Math.max(1, Durations.nanos(d) / 1000));
  }

  static long number(List<?> reply, int index) {
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
