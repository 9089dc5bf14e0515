package dev.switchboard.budget;

import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.BucketLimits.Dimension;
import dev.switchboard.spi.RateLimitInfo;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The limits of every budget pool ({@code organization/modelPool}): configured ones to start with,
 * then whatever the server's {@code anthropic-ratelimit-{requests,input-tokens,output-tokens}-limit}
 * headers say, which win (the server enforces them). A pool with no configured limits starts
 * unknown (nothing enforced locally) until its first response. Thread-safe.
 */
public final class PoolLimits {
  private final Map<String, BucketLimits> configured;
  private final ConcurrentHashMap<String, BucketLimits> current = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Boolean> learned = new ConcurrentHashMap<>();

  /** Returns limits starting from {@code configured} (pool id → limits). */
  public PoolLimits(Map<String, BucketLimits> configured) {
    this.configured = Map.copyOf(configured);
  }

  /** Returns the pool's limits now: learned, else configured, else {@link BucketLimits#UNKNOWN}. */
  public BucketLimits of(String pool) {
    BucketLimits l = current.get(pool);
    if (l != null) {
      return l;
    }
    return configured.getOrDefault(pool, BucketLimits.UNKNOWN);
  }

  /** Returns true when at least one of the pool's limits came from a response header. */
  public boolean isLearned(String pool) {
    return learned.containsKey(pool);
  }

  /**
   * Updates the pool from a response's {@code *-limit} headers and returns the limits now in
   * force; a header that is absent leaves its dimension as it was.
   */
  public BucketLimits learn(String pool, RateLimitInfo info) {
    long rpm = info.requests().limit();
    long itpm = info.inputTokens().limit();
    long otpm = info.outputTokens().limit();
    if (rpm <= 0 && itpm <= 0 && otpm <= 0) {
      return of(pool);
    }
    return current.compute(pool, (p, old) -> {
      BucketLimits l = old != null ? old : configured.getOrDefault(p, BucketLimits.UNKNOWN);
      if (rpm > 0) {
        l = l.with(Dimension.REQUESTS, rpm);
      }
      if (itpm > 0) {
        l = l.with(Dimension.INPUT_TOKENS, itpm);
      }
      if (otpm > 0) {
        l = l.with(Dimension.OUTPUT_TOKENS, otpm);
      }
      learned.put(p, Boolean.TRUE);
      return l;
    });
  }

  /** Returns every pool with known limits (configured or learned). */
  public Map<String, BucketLimits> all() {
    Map<String, BucketLimits> all = new java.util.TreeMap<>(configured);
    all.putAll(current);
    return all;
  }
}
