package dev.switchboard.redis;

import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.BudgetGrant;
import dev.switchboard.spi.BudgetLevels;
import dev.switchboard.spi.BudgetStore;
import dev.switchboard.spi.Demand;
import dev.switchboard.spi.RateLimitInfo;
import java.util.List;
import java.util.Objects;
import redis.clients.jedis.UnifiedJedis;

/**
 * Token buckets in Redis: one hash per pool ({@code {prefix}budget:{pool}}), refilled and debited
 * by Lua scripts that read the Redis server's clock, so every router of the fleet sees one bucket
 * and no JVM clock matters. Each operation is exactly one {@code EVALSHA} round trip on the
 * caller's thread (two after the server forgot its scripts). Answers come from the local fallback
 * while Redis is degraded (see {@link Guard}). Thread-safe.
 */
final class RedisBudgetStore implements BudgetStore {
  /** The API rounds token {@code remaining} to the nearest thousand. */
  static final double TOKEN_ROUNDING = 500.0;
  private static final BucketLimits.Dimension[] DIMENSIONS = BucketLimits.Dimension.values();

  private final UnifiedJedis jedis;
  private final Keys keys;
  private final String idleMillis;
  private final Guard guard;
  private final FallbackBudgets fallback;
  private final ScriptClock clock;

  RedisBudgetStore(UnifiedJedis jedis, Keys keys, long idleMillis, Guard guard, FallbackBudgets fallback,
      ScriptClock clock) {
    this.jedis = jedis;
    this.clock = clock;
    this.keys = keys;
    this.idleMillis = Long.toString(idleMillis);
    this.guard = guard;
    this.fallback = fallback;
  }

  @Override
  public BudgetGrant tryAcquire(String pool, BucketLimits limits, Demand demand) {
    check(pool, limits);
    Objects.requireNonNull(demand, "demand");
    return guard.call(() -> {
      List<?> reply = (List<?>) Scripts.BUDGET_ACQUIRE.run(jedis, clock, List.of(keys.budget(pool)),
          args(limits, Long.toString(demand.requests()), Long.toString(demand.inputTokens()),
              Long.toString(demand.outputTokens())));
      if (((Long) reply.get(0)) == 1L) {
        return BudgetGrant.GRANTED;
      }
      long wait = (Long) reply.get(1);
      BucketLimits.Dimension dimension = DIMENSIONS[(int) (long) (Long) reply.get(2) - 1];
      return BudgetGrant.refused(wait < 0 ? Long.MAX_VALUE : wait, dimension);
    }, () -> fallback.tryAcquire(pool, limits, demand));
  }

  @Override
  public void settle(String pool, BucketLimits limits, Demand reserved, Demand actual) {
    check(pool, limits);
    Objects.requireNonNull(reserved, "reserved");
    Objects.requireNonNull(actual, "actual");
    guard.run(() -> Scripts.BUDGET_SETTLE.run(jedis, clock, List.of(keys.budget(pool)),
        args(limits, Long.toString(reserved.requests()), Long.toString(reserved.inputTokens()),
            Long.toString(reserved.outputTokens()), Long.toString(actual.requests()),
            Long.toString(actual.inputTokens()), Long.toString(actual.outputTokens()))),
        () -> fallback.settle(pool, limits, reserved, actual));
  }

  @Override
  public void observe(String pool, BucketLimits limits, RateLimitInfo info) {
    check(pool, limits);
    Objects.requireNonNull(info, "info");
    if (info.requests().remaining() < 0 && info.inputTokens().remaining() < 0
        && info.outputTokens().remaining() < 0) {
      return; // nothing to learn: no round trip
    }
    guard.run(() -> Scripts.BUDGET_OBSERVE.run(jedis, clock, List.of(keys.budget(pool)),
        args(limits, Long.toString(info.requests().remaining()),
            Long.toString(info.inputTokens().remaining()), Long.toString(info.outputTokens().remaining()),
            Double.toString(TOKEN_ROUNDING))),
        () -> fallback.observe(pool, limits, info));
  }

  @Override
  public BudgetLevels levels(String pool, BucketLimits limits) {
    check(pool, limits);
    return guard.call(() -> {
      List<?> reply = (List<?>) Scripts.BUDGET_LEVELS.run(jedis, clock, List.of(keys.budget(pool)), args(limits));
      return new BudgetLevels(limits, Double.parseDouble((String) reply.get(0)),
          Double.parseDouble((String) reply.get(1)), Double.parseDouble((String) reply.get(2)));
    }, () -> fallback.levels(pool, limits));
  }

  private List<String> args(BucketLimits limits, String... more) {
    String[] all = new String[4 + more.length];
    all[0] = Long.toString(limits.requestsPerMinute());
    all[1] = Long.toString(limits.inputTokensPerMinute());
    all[2] = Long.toString(limits.outputTokensPerMinute());
    all[3] = idleMillis;
    System.arraycopy(more, 0, all, 4, more.length);
    return List.of(all);
  }

  private static void check(String pool, BucketLimits limits) {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(limits, "limits");
  }
}
