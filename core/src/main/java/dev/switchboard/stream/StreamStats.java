package dev.switchboard.stream;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Timing of one caller-visible stream (all attempts and continuations together), for the
 * listener and the caller.
 *
 * @param timeToFirstToken from the start of the call to the first content delta the caller saw;
 *     empty when no content arrived
 * @param outputTokensPerSecond output tokens divided by the time from the first token to the end;
 *     0 when there was no content or no time passed
 * @param totalDuration from the start of the call to its end
 */
public record StreamStats(Optional<Duration> timeToFirstToken, double outputTokensPerSecond,
    Duration totalDuration) {

  /**
   * Validates.
   *
   * @throws IllegalArgumentException if the rate or the duration is negative
   */
  public StreamStats {
    Objects.requireNonNull(timeToFirstToken, "timeToFirstToken");
    Objects.requireNonNull(totalDuration, "totalDuration");
    if (!(outputTokensPerSecond >= 0)) {
      throw new IllegalArgumentException(
          "outputTokensPerSecond must be >= 0 but was " + outputTokensPerSecond);
    }
    if (totalDuration.isNegative()) {
      throw new IllegalArgumentException("totalDuration must be >= 0 but was " + totalDuration);
    }
  }

  /**
   * Returns the statistics of a stream measured on one ticker.
   *
   * @param startNanos the ticker reading when the call started
   * @param firstTokenNanos the reading at the first content delta, or a negative value for none
   * @param endNanos the reading at the end
   * @param outputTokens the output tokens generated
   * @throws IllegalArgumentException if {@code outputTokens} is negative
   */
  public static StreamStats measure(long startNanos, long firstTokenNanos, long endNanos,
      long outputTokens) {
    if (outputTokens < 0) {
      throw new IllegalArgumentException("outputTokens must be >= 0 but was " + outputTokens);
    }
    Duration total = Duration.ofNanos(Math.max(0, endNanos - startNanos));
    if (firstTokenNanos < 0) {
      return new StreamStats(Optional.empty(), 0, total);
    }
    Duration ttft = Duration.ofNanos(Math.max(0, firstTokenNanos - startNanos));
    long generating = endNanos - firstTokenNanos;
    double rate = generating > 0 ? outputTokens * 1e9 / generating : 0;
    return new StreamStats(Optional.of(ttft), rate, total);
  }
}
