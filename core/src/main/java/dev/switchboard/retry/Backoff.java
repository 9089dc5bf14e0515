package dev.switchboard.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: retry {@code n} (0-based) waits a uniformly random time in
 * {@code [0, min(cap, base·2^n)]}. The cap is applied <em>before</em> the jitter, so clients at the
 * cap still spread out instead of retrying in lock-step. Immutable and thread-safe.
 *
 * @param base the ceiling of the first retry's delay, positive
 * @param cap the largest ceiling, at least {@code base}
 */
public record Backoff(Duration base, Duration cap) {
  /** 500 ms base, 8 s cap (the official SDKs' range). */
  public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(8));

  /**
   * Validates.
   *
   * @throws IllegalArgumentException naming the field and value when base is not positive or cap
   *     is below base
   */
  public Backoff {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(cap, "cap");
    if (base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("backoff base must be positive but was " + base);
    }
    if (cap.compareTo(base) < 0) {
      throw new IllegalArgumentException(
          "backoff cap must be >= base (" + base + ") but was " + cap);
    }
  }

  /** Returns {@code min(cap, base·2^retry)} in nanoseconds: the ceiling of retry {@code retry}. */
  public long ceilingNanos(int retry) {
    long b = base.toNanos();
    long c = cap.toNanos();
    int shift = Math.max(0, Math.min(retry, 62));
    if (shift >= Long.numberOfLeadingZeros(b) - 1) {
      return c;
    }
    return Math.min(c, b << shift);
  }

  /** Returns the jittered delay of retry {@code retry} (0-based) in nanoseconds. */
  public long delayNanos(int retry, RandomGenerator random) {
    long ceiling = ceilingNanos(retry);
    return ceiling == 0 ? 0 : random.nextLong(ceiling + 1);
  }
}
