package dev.switchboard.retry;

import dev.switchboard.spi.RateLimitInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * Computes how long a 429 cools a rate-limit pool down.
 *
 * <ol>
 *   <li>With a usable {@code retry-after} (or {@code retry-after-ms}, which wins): that delay is
 *       a floor, plus a positive jitter of up to 20% (at least 1 ms, at most 5 s) so a fleet does
 *       not come back in lock-step.
 *   <li>Without one (absent, garbage): the reset time of an exhausted window ({@code remaining}
 *       0) when the headers give one in the future.
 *   <li>Otherwise {@code fallback}.
 * </ol>
 *
 * <p>The result never exceeds {@code max}; a value that had to be capped is reported by {@link
 * Cooldown#capped()}. Thread-safe (stateless).
 */
public final class Cooldowns {
  private static final long MIN_JITTER_NANOS = 1_000_000L;
  private static final long MAX_JITTER_NANOS = 5_000_000_000L;

  private Cooldowns() {}

  /**
   * A cooldown decision.
   *
   * @param nanos how long, in nanoseconds, at least 1 ms
   * @param source where it came from ({@code "retry-after"}, {@code "reset"}, {@code "backoff"})
   * @param capped true when the server asked for more than the maximum
   */
  public record Cooldown(long nanos, String source, boolean capped) {
    /** Returns the cooldown as a duration. */
    public Duration duration() {
      return Duration.ofNanos(nanos);
    }
  }

  /**
   * Returns the cooldown for a 429 whose headers said {@code info}.
   *
   * @param now the wall-clock time, against which {@code *-reset} instants are measured
   * @param max the longest cooldown, positive
   * @param fallback the cooldown when the headers say nothing usable
   */
  public static Cooldown forRateLimit(RateLimitInfo info, Instant now, Duration max,
      Duration fallback, RandomGenerator random) {
    long maxNanos = max.toNanos();
    Duration retryAfter = info.retryAfter().orElse(null);
    if (retryAfter != null) {
      long floor = retryAfter.toNanos();
      long jitterCeiling = Math.min(MAX_JITTER_NANOS, Math.max(MIN_JITTER_NANOS, floor / 5));
      long jitter = MIN_JITTER_NANOS + random.nextLong(jitterCeiling - MIN_JITTER_NANOS + 1);
      long total = floor > Long.MAX_VALUE - jitter ? Long.MAX_VALUE : floor + jitter;
      boolean capped = info.retryAfterClamped() || floor > maxNanos;
      return new Cooldown(Math.min(total, maxNanos), "retry-after", capped);
    }
    Instant reset = exhaustedReset(info);
    if (reset != null && reset.isAfter(now)) {
      long nanos = Duration.between(now, reset).toNanos() + MIN_JITTER_NANOS;
      return new Cooldown(Math.min(nanos, maxNanos), "reset", nanos > maxNanos);
    }
    long nanos = Math.max(MIN_JITTER_NANOS, fallback.toNanos());
    return new Cooldown(Math.min(nanos, maxNanos), "backoff", false);
  }

  /** Returns the earliest reset among windows with nothing remaining, or null. */
  static Instant exhaustedReset(RateLimitInfo info) {
    Instant earliest = null;
    for (RateLimitInfo.Window w : new RateLimitInfo.Window[] {
        info.requests(), info.inputTokens(), info.outputTokens(), info.tokens()}) {
      if (w.remaining() == 0 && w.reset() != null
          && (earliest == null || w.reset().isBefore(earliest))) {
        earliest = w.reset();
      }
    }
    return earliest;
  }
}
