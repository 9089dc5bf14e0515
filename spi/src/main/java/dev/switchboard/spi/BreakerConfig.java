package dev.switchboard.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * How a circuit breaker judges: a sliding window of recent outcomes (the last {@code windowSize}
 * calls, or the calls of the last {@code windowSize} seconds), tripping OPEN when at least
 * {@code minimumCalls} were recorded and the failure rate reaches {@code failureRateThreshold}.
 * OPEN lasts {@code openDuration}, doubled on each consecutive trip up to {@code maxOpenDuration};
 * then HALF_OPEN lets {@code halfOpenProbes} calls through: all succeed → CLOSED, one fails → OPEN.
 *
 * @param windowType count- or time-based window
 * @param windowSize calls (COUNT) or seconds (TIME), at least 1
 * @param minimumCalls outcomes needed before the rate is judged, at least 1
 * @param failureRateThreshold in (0, 1]
 * @param openDuration first open period, positive
 * @param maxOpenDuration cap of the growing open period, at least openDuration
 * @param halfOpenProbes calls let through while HALF_OPEN, at least 1
 */
public record BreakerConfig(WindowType windowType, int windowSize, int minimumCalls,
    double failureRateThreshold, Duration openDuration, Duration maxOpenDuration, int halfOpenProbes) {

  /** 20 calls, 10 minimum, 50%, open 5 s growing to 60 s, 2 probes. */
  public static final BreakerConfig DEFAULT = new BreakerConfig(WindowType.COUNT, 20, 10, 0.5,
      Duration.ofSeconds(5), Duration.ofSeconds(60), 2);

  /** Validates, naming the field and value. */
  public BreakerConfig {
    Objects.requireNonNull(windowType, "windowType");
    Objects.requireNonNull(openDuration, "openDuration");
    Objects.requireNonNull(maxOpenDuration, "maxOpenDuration");
    if (windowSize < 1) {
      throw new IllegalArgumentException("windowSize must be >= 1 but was " + windowSize);
    }
    if (minimumCalls < 1) {
      throw new IllegalArgumentException("minimumCalls must be >= 1 but was " + minimumCalls);
    }
    if (!(failureRateThreshold > 0.0 && failureRateThreshold <= 1.0)) {
      throw new IllegalArgumentException(
          "failureRateThreshold must be in (0, 1] but was " + failureRateThreshold);
    }
    if (openDuration.isNegative() || openDuration.isZero()) {
      throw new IllegalArgumentException("openDuration must be positive but was " + openDuration);
    }
    if (maxOpenDuration.compareTo(openDuration) < 0) {
      throw new IllegalArgumentException("maxOpenDuration must be >= openDuration (" + openDuration
          + ") but was " + maxOpenDuration);
    }
    if (halfOpenProbes < 1) {
      throw new IllegalArgumentException("halfOpenProbes must be >= 1 but was " + halfOpenProbes);
    }
  }

  /** Count- or time-based sliding window. */
  public enum WindowType {
    COUNT, TIME
  }
}
