package dev.switchboard.redis;

import java.time.Duration;

/** Duration arithmetic that saturates instead of overflowing. */
final class Durations {
  private Durations() {}

  /** Returns {@code d} in nanoseconds, or a quarter of {@code Long.MAX_VALUE} (73 years) when longer. */
  static long nanos(Duration d) {
    try {
      return Math.min(d.toNanos(), Long.MAX_VALUE / 4);
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE / 4 : Long.MAX_VALUE / 4;
    }
  }
}
