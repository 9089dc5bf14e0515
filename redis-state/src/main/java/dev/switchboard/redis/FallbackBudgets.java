package dev.switchboard.redis;

import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.BucketLimits.Dimension;
import dev.switchboard.spi.BudgetGrant;
import dev.switchboard.spi.BudgetLevels;
import dev.switchboard.spi.BudgetStore;
import dev.switchboard.spi.Demand;
import dev.switchboard.spi.RateLimitInfo;
import dev.switchboard.spi.Ticker;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The token buckets used while Redis is unreachable: the same continuous refill as the Lua
 * scripts, timed by the store's ticker, with every limit divided by the number of router
 * instances expected to share the pool (at least 1 per dimension), so that a fleet that lost its
 * shared state together does not over-spend. A demand larger than a divided bucket is clamped to
 * that bucket's size (it is granted when the bucket is full), so a call that fits the real limit
 * is never refused for good during an outage. Each pool is guarded by its own monitor.
 */
final class FallbackBudgets implements BudgetStore {
  private static final double NANOS_PER_MINUTE = 60_000_000_000.0;
  private static final Dimension[] DIMENSIONS = Dimension.values();

  private final Ticker ticker;
  private final int instances;
  private final ConcurrentHashMap<String, Pool> pools = new ConcurrentHashMap<>();

  FallbackBudgets(Ticker ticker, int instances) {
    this.ticker = ticker;
    this.instances = instances;
  }

  /** Returns the share of {@code limits} this instance may use alone. */
  BucketLimits share(BucketLimits limits) {
    return new BucketLimits(divide(limits.requestsPerMinute()), divide(limits.inputTokensPerMinute()),
        divide(limits.outputTokensPerMinute()));
  }

  private long divide(long limit) {
    return limit == 0 ? 0 : Math.max(1, limit / instances);
  }

  @Override
  public BudgetGrant tryAcquire(String pool, BucketLimits limits, Demand demand) {
    BucketLimits mine = share(limits);
    Pool p = pools.computeIfAbsent(pool, k -> new Pool(ticker.read()));
    synchronized (p) {
      p.advance(ticker.read(), mine);
      long wait = 0;
      Dimension slowest = null;
      for (int i = 0; i < 3; i++) {
        long limit = p.limits[i];
        if (limit == 0) {
          continue;
        }
        if (limits.limit(DIMENSIONS[i]) < demand.amount(DIMENSIONS[i])) {
          return BudgetGrant.refused(Long.MAX_VALUE, DIMENSIONS[i]);
        }
        double deficit = Math.min(limit, demand.amount(DIMENSIONS[i])) - p.levels[i];
        if (deficit > limit * 1e-9) {
          long w = Math.max(1L, (long) Math.ceil(deficit * NANOS_PER_MINUTE / limit));
          if (slowest == null || w > wait) {
            wait = w;
            slowest = DIMENSIONS[i];
          }
        }
      }
      if (slowest != null) {
        return BudgetGrant.refused(wait, slowest);
      }
      for (int i = 0; i < 3; i++) {
        if (p.limits[i] != 0) {
          p.levels[i] -= demand.amount(DIMENSIONS[i]);
        }
      }
      return BudgetGrant.GRANTED;
    }
  }

  @Override
  public void settle(String pool, BucketLimits limits, Demand reserved, Demand actual) {
    Pool p = pools.computeIfAbsent(pool, k -> new Pool(ticker.read()));
    synchronized (p) {
      p.advance(ticker.read(), share(limits));
      for (int i = 0; i < 3; i++) {
        if (p.limits[i] != 0) {
          double delta = (double) reserved.amount(DIMENSIONS[i]) - actual.amount(DIMENSIONS[i]);
          p.levels[i] = Math.min(p.limits[i], p.levels[i] + delta);
        }
      }
    }
  }

  @Override
  public void observe(String pool, BucketLimits limits, RateLimitInfo info) {
    Pool p = pools.computeIfAbsent(pool, k -> new Pool(ticker.read()));
    synchronized (p) {
      p.advance(ticker.read(), share(limits));
      lower(p, 0, info.requests().remaining(), 0);
      lower(p, 1, info.inputTokens().remaining(), RedisBudgetStore.TOKEN_ROUNDING);
      lower(p, 2, info.outputTokens().remaining(), RedisBudgetStore.TOKEN_ROUNDING);
    }
  }

  @Override
  public BudgetLevels levels(String pool, BucketLimits limits) {
    BucketLimits mine = share(limits);
    Pool p = pools.computeIfAbsent(pool, k -> new Pool(ticker.read()));
    synchronized (p) {
      p.advance(ticker.read(), mine);
      return new BudgetLevels(mine, p.levels[0], p.levels[1], p.levels[2]);
    }
  }

  private static void lower(Pool p, int i, long remaining, double tolerance) {
    if (remaining >= 0 && p.limits[i] != 0 && p.levels[i] > remaining + tolerance) {
      p.levels[i] = remaining + tolerance;
    }
  }

  /** One pool's fill; guarded by its own monitor. */
  private static final class Pool {
    final long[] limits = new long[3];
    final double[] levels = new double[3];
    long last;

    Pool(long now) {
      this.last = now;
    }

    void advance(long now, BucketLimits current) {
      long elapsed = now - last;
      if (elapsed > 0) {
        last = now;
        for (int i = 0; i < 3; i++) {
          if (limits[i] > 0 && levels[i] < limits[i]) {
            levels[i] = Math.min(limits[i], levels[i] + elapsed * (limits[i] / NANOS_PER_MINUTE));
          }
        }
      }
      for (int i = 0; i < 3; i++) {
        long next = current.limit(DIMENSIONS[i]);
        long previous = limits[i];
        if (next != previous) {
          limits[i] = next;
          if (next == 0) {
            levels[i] = 0;
          } else if (previous == 0) {
            levels[i] = next;
          } else if (levels[i] > next) {
            levels[i] = next;
          }
        }
      }
    }
  }
}
