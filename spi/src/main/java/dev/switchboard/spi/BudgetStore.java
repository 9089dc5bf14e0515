package dev.switchboard.spi;

/**
 * Token buckets per rate-limit pool, three dimensions each (requests, input tokens, output
 * tokens), refilled continuously at limit/60 per second up to the limit. The limits travel with
 * every call (they may be configured or learned), so a store keeps only levels.
 *
 * <p>Implementations must be thread-safe, and {@link #tryAcquire} must be atomic across the three
 * dimensions: either all are debited or none. A pool never seen before starts full.
 */
public interface BudgetStore {

  /**
   * Takes {@code demand} from the pool's three buckets if all three hold enough; dimensions whose
   * limit is unknown (0) always grant.
   */
  BudgetGrant tryAcquire(String pool, BucketLimits limits, Demand demand);

  /**
   * Corrects an earlier grant of {@code reserved} to the {@code actual} usage: gives back what was
   * reserved and not used, or takes the excess (which may drive a bucket negative: debt).
   */
  void settle(String pool, BucketLimits limits, Demand reserved, Demand actual);

  /**
   * Re-syncs the pool from a response's {@code anthropic-ratelimit-*-remaining} headers: a bucket
   * that holds more than the server says remains is lowered to it (never raised).
   */
  void observe(String pool, BucketLimits limits, RateLimitInfo info);

  /** Returns the pool's current levels (refilled to now). */
  BudgetLevels levels(String pool, BucketLimits limits);
}
