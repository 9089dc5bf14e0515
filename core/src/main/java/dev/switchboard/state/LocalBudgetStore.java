package dev.switchboard.state;

import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.BucketLimits.Dimension;
import dev.switchboard.spi.BudgetGrant;
import dev.switchboard.spi.BudgetLevels;
import dev.switchboard.spi.BudgetStore;
import dev.switchboard.spi.Demand;
import dev.switchboard.spi.RateLimitInfo;
import dev.switchboard.spi.Ticker;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-process token buckets: per pool, three continuous buckets refilled at limit/60 per second.
 *
 * <p>Each pool is guarded by its own monitor. The critical section is a handful of arithmetic
 * operations on three doubles (refill, compare, debit), so an uncontended lock costs about as much
 * as one CAS, never blocks on I/O, and — unlike a CAS over an immutable snapshot — allocates
 * nothing per call and never retries. Different pools never contend. Pools are few (organizations
 * × model pools), so all are kept.
 *
 * <p>Limits travel with every call and may change (configured or learned): a dimension that
 * becomes known starts full, a lowered limit clamps the level to it, a raised one keeps the level
 * and refills faster from then on. A dimension whose limit is unknown (0) is not enforced and its
 * level reads 0. A dimension in debt (level below zero after {@link #settle}) refuses every demand,
 * even one of 0 in that dimension, until refill repays it — as the API does.
 */
final class LocalBudgetStore implements BudgetStore {
  /** Refill rate unit: a limit is per minute. */
  private static final double NANOS_PER_MINUTE = 60_000_000_000.0;
  /**
   * Tolerance, relative to the limit, so that waiting exactly the computed time always suffices
   * despite floating-point rounding (1e-9 of a bucket: 60 ns of refill).
   */
  private static final double RELATIVE_EPSILON = 1e-9;
  /** The API rounds token {@code remaining} to the nearest thousand. */
  private static final double TOKEN_ROUNDING = 500.0;
  private static final Dimension[] DIMENSIONS = Dimension.values();

  private final Ticker ticker;
  private final ConcurrentHashMap<String, Pool> pools = new ConcurrentHashMap<>();

  LocalBudgetStore(Ticker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
  }

  @Override
  public BudgetGrant tryAcquire(String pool, BucketLimits limits, Demand demand) {
    Objects.requireNonNull(demand, "demand");
    Pool p = pool(pool, limits);
    synchronized (p) {
      p.advance(ticker.read(), limits);
      long wait = 0;
      Dimension slowest = null;
      for (int i = 0; i < DIMENSIONS.length; i++) {
        long limit = p.limits[i];
        long amount = demand.amount(DIMENSIONS[i]);
        if (limit == 0) {
          continue;
        }
        if (amount > limit) {
          return BudgetGrant.refused(Long.MAX_VALUE, DIMENSIONS[i]);
        }
        double deficit = amount - p.levels[i];
        if (deficit > limit * RELATIVE_EPSILON) {
          long w = nanosToRefill(deficit, limit);
          if (slowest == null || w > wait) {
            wait = w;
            slowest = DIMENSIONS[i];
          }
        }
      }
      if (slowest != null) {
        return BudgetGrant.refused(wait, slowest);
      }
      for (int i = 0; i < DIMENSIONS.length; i++) {
        if (p.limits[i] != 0) {
          p.levels[i] -= demand.amount(DIMENSIONS[i]);
        }
      }
      return BudgetGrant.GRANTED;
    }
  }

  @Override
  public void settle(String pool, BucketLimits limits, Demand reserved, Demand actual) {
    Objects.requireNonNull(reserved, "reserved");
    Objects.requireNonNull(actual, "actual");
    Pool p = pool(pool, limits);
    synchronized (p) {
      p.advance(ticker.read(), limits);
      for (int i = 0; i < DIMENSIONS.length; i++) {
        long limit = p.limits[i];
        if (limit == 0) {
          continue;
        }
        double delta = (double) reserved.amount(DIMENSIONS[i]) - actual.amount(DIMENSIONS[i]);
        p.levels[i] = Math.min(limit, p.levels[i] + delta);
      }
    }
  }

  @Override
  public void observe(String pool, BucketLimits limits, RateLimitInfo info) {
    Objects.requireNonNull(info, "info");
    Pool p = pool(pool, limits);
    synchronized (p) {
      p.advance(ticker.read(), limits);
      lower(p, 0, info.requests().remaining(), 0.0);
      lower(p, 1, info.inputTokens().remaining(), TOKEN_ROUNDING);
      lower(p, 2, info.outputTokens().remaining(), TOKEN_ROUNDING);
    }
  }

  @Override
  public BudgetLevels levels(String pool, BucketLimits limits) {
    Pool p = pool(pool, limits);
    synchronized (p) {
      p.advance(ticker.read(), limits);
      return new BudgetLevels(limits, p.levels[0], p.levels[1], p.levels[2]);
    }
  }

  private static void lower(Pool p, int i, long remaining, double tolerance) {
    if (remaining < 0 || p.limits[i] == 0) {
      return;
    }
    double ceiling = remaining + tolerance;
    if (p.levels[i] > ceiling) {
      p.levels[i] = ceiling;
    }
  }

  /** Returns the nanoseconds a bucket refilling at {@code limit}/min needs to gain {@code deficit}. */
  static long nanosToRefill(double deficit, long limit) {
    double nanos = Math.ceil(deficit * NANOS_PER_MINUTE / limit);
    return nanos >= Long.MAX_VALUE ? Long.MAX_VALUE - 1 : Math.max(1L, (long) nanos);
  }

  private Pool pool(String pool, BucketLimits limits) {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(limits, "limits");
    Pool p = pools.get(pool);
    if (p != null) {
      return p;
    }
    return pools.computeIfAbsent(pool, k -> new Pool(ticker.read()));
  }

  /** The mutable fill of one pool; guarded by its own monitor. */
  private static final class Pool {
    /** The limits the levels were last measured against (0 = unknown, not enforced). */
    final long[] limits = new long[3];
    /** Fill per dimension; meaningful only where the limit is known; may be negative (debt). */
    final double[] levels = new double[3];
    long lastNanos;

    Pool(long now) {
      this.lastNanos = now;
    }

    /**
     * Refills to {@code now} at the limits in force since the last call, then adopts
     * {@code current}: a newly known limit starts full, a lowered one clamps the level, a raised
     * one keeps the level (it refills faster from now on).
     */
    void advance(long now, BucketLimits current) {
      long elapsed = now - lastNanos;
      if (elapsed > 0) {
        lastNanos = now;
        for (int i = 0; i < 3; i++) {
          long limit = limits[i];
          if (limit > 0 && levels[i] < limit) {
            levels[i] = Math.min(limit, levels[i] + elapsed * (limit / NANOS_PER_MINUTE));
          }
        }
      }
      for (int i = 0; i < 3; i++) {
        long next = current.limit(DIMENSIONS[i]);
        long previous = limits[i];
        if (next == previous) {
          continue;
        }
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
