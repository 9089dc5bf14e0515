package dev.switchboard.stats;

import dev.switchboard.spi.Outcome;
import java.util.concurrent.atomic.LongAdder;

/** The counters of one scope over some span of time. Lock-free; sums are read one by one. */
final class Counters {
  /** The number of counters, the length of the arrays {@link #sumInto(long[])} fills. */
  static final int WIDTH = 9;

  private final LongAdder calls = new LongAdder();
  private final LongAdder successes = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder cacheHits = new LongAdder();
  private final LongAdder degraded = new LongAdder();
  private final LongAdder fallbacks = new LongAdder();
  private final LongAdder attempts = new LongAdder();
  private final LongAdder attemptFailures = new LongAdder();
  private final LongAdder rateLimited = new LongAdder();

  void recordCall(boolean success, boolean cached, boolean degradedResult, boolean fellBack) {
    calls.increment();
    (success ? successes : failures).increment();
    if (cached) {
      cacheHits.increment();
    }
    if (degradedResult) {
      degraded.increment();
    }
    if (fellBack) {
      fallbacks.increment();
    }
  }

  void recordAttempt(Outcome outcome, int status) {
    attempts.increment();
    if (outcome != Outcome.SUCCESS) {
      attemptFailures.increment();
    }
    if (status == 429 || outcome == Outcome.RATE_LIMITED) {
      rateLimited.increment();
    }
  }

  /** Adds this span's sums into {@code into}, an array of {@link #WIDTH} longs. */
  void sumInto(long[] into) {
    into[0] += calls.sum();
    into[1] += successes.sum();
    into[2] += failures.sum();
    into[3] += cacheHits.sum();
    into[4] += degraded.sum();
    into[5] += fallbacks.sum();
    into[6] += attempts.sum();
    into[7] += attemptFailures.sum();
    into[8] += rateLimited.sum();
  }

  static SlaSnapshot.Counts toCounts(long[] s) {
    return new SlaSnapshot.Counts(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8]);
  }
}
