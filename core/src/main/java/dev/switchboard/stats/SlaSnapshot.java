package dev.switchboard.stats;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A point-in-time view of a router's SLA statistics: overall, per model and per route. Immutable;
 * the maps are sorted by key and unmodifiable.
 *
 * <p>Figures are read one after another while calls go on, not atomically, so two figures of one
 * snapshot may disagree by the few events recorded in between.
 *
 * @param window the length of the sliding window the {@code counts} and {@code latency} cover
 * @param overall every call and attempt of the router
 * @param byModel by model: a call counts under the model that answered it (or the last one tried),
 *     an attempt under its model
 * @param byRoute by route, keyed {@code keyAlias/model} (the key's alias and the model, as in the
 *     router's own snapshot): a call counts under the route of its last attempt, and cache hits
 *     count under no route
 */
public record SlaSnapshot(Duration window, Scope overall, Map<String, Scope> byModel,
    Map<String, Scope> byRoute) {

  /**
   * Validates and copies.
   *
   * @throws NullPointerException if any component is null, or a map holds a null key or value
   * @throws IllegalArgumentException if {@code window} is not positive
   */
  public SlaSnapshot {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(overall, "overall");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive but was " + window);
    }
    byModel = sortedCopy(byModel, "byModel");
    byRoute = sortedCopy(byRoute, "byRoute");
  }

  /** Returns the key under which {@link #byRoute()} files the route {@code keyAlias × model}. */
  public static String routeKey(String keyAlias, String model) {
    return keyAlias + "/" + model;
  }

  /** Returns the figures of {@code model}, or {@link Scope#EMPTY} if it has seen no event. */
  public Scope model(String model) {
    return byModel.getOrDefault(model, Scope.EMPTY);
  }

  /**
   * Returns the figures of the route {@code keyAlias × model}, or {@link Scope#EMPTY} if it has
   * seen no event.
   */
  public Scope route(String keyAlias, String model) {
    return byRoute.getOrDefault(routeKey(keyAlias, model), Scope.EMPTY);
  }

  private static SortedMap<String, Scope> sortedCopy(Map<String, Scope> map, String name) {
    Objects.requireNonNull(map, name);
    TreeMap<String, Scope> copy = new TreeMap<>();
    map.forEach((k, v) -> copy.put(Objects.requireNonNull(k, name + " key"),
        Objects.requireNonNull(v, name + " value of " + k)));
    return Collections.unmodifiableSortedMap(copy);
  }

  /**
   * The figures of one scope.
   *
   * @param counts the counters within the sliding window
   * @param lifetime the counters since the statistics were created
   * @param latency the latency of successes within the window: for the overall and per-model
   *     scopes, of successful calls end to end (retries, waits and cache hits included); for a
   *     route, of its successful attempts (what the route itself delivered)
   */
  public record Scope(Counts counts, Counts lifetime, Latency latency) {
    /** A scope that has seen nothing. */
    public static final Scope EMPTY = new Scope(Counts.ZERO, Counts.ZERO, Latency.EMPTY);

    /**
     * Validates.
     *
     * @throws NullPointerException if any component is null
     */
    public Scope {
      Objects.requireNonNull(counts, "counts");
      Objects.requireNonNull(lifetime, "lifetime");
      Objects.requireNonNull(latency, "latency");
    }

    /** Returns the availability within the window; see {@link Counts#availability()}. */
    public double availability() {
      return counts.availability();
    }

    /** Returns the error rate within the window; see {@link Counts#errorRate()}. */
    public double errorRate() {
      return counts.errorRate();
    }
  }

  /**
   * Counters of one scope over some span.
   *
   * @param calls calls that finished
   * @param successes calls that returned a response (fresh, cached or degraded)
   * @param failures calls that ended with an exception
   * @param cacheHits calls answered from the response cache
   * @param degraded calls that returned a degraded result
   * @param fallbacks calls that moved to a fallback model tier
   * @param attempts attempts that finished (sent to the API)
   * @param attemptFailures attempts whose outcome was not {@code SUCCESS}
   * @param rateLimited attempts answered with HTTP 429 (a rate limit or a spend cap)
   */
  public record Counts(long calls, long successes, long failures, long cacheHits, long degraded,
      long fallbacks, long attempts, long attemptFailures, long rateLimited) {
    /** All zero. */
    public static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * Validates.
     *
     * @throws IllegalArgumentException naming the first negative counter and its value
     */
    public Counts {
      nonNegative("calls", calls);
      nonNegative("successes", successes);
      nonNegative("failures", failures);
      nonNegative("cacheHits", cacheHits);
      nonNegative("degraded", degraded);
      nonNegative("fallbacks", fallbacks);
      nonNegative("attempts", attempts);
      nonNegative("attemptFailures", attemptFailures);
      nonNegative("rateLimited", rateLimited);
    }

    /**
     * Returns {@code successes / calls}, in [0, 1]; 1.0 when there were no calls (nothing failed,
     * so no error budget was spent).
     */
    public double availability() {
      return calls == 0 ? 1.0 : (double) successes / calls;
    }

    /** Returns {@code failures / calls}, in [0, 1]; 0.0 when there were no calls. */
    public double errorRate() {
      return calls == 0 ? 0.0 : (double) failures / calls;
    }

    private static void nonNegative(String name, long value) {
      if (value < 0) {
        throw new IllegalArgumentException(name + " must be >= 0 but was " + value);
      }
    }
  }

  /**
   * Latency percentiles from an HdrHistogram with 1 µs resolution and 3 significant digits (so a
   * percentile is within 0.1% of the truth, above 1 ms); samples are clamped to 10 minutes. All
   * zero when {@code count} is 0.
   *
   * @param count the number of samples
   * @param p50Nanos the median, in nanoseconds
   * @param p95Nanos the 95th percentile, in nanoseconds
   * @param p99Nanos the 99th percentile, in nanoseconds
   * @param maxNanos the exact maximum, in nanoseconds
   */
  public record Latency(long count, long p50Nanos, long p95Nanos, long p99Nanos, long maxNanos) {
    /** No samples. */
    public static final Latency EMPTY = new Latency(0, 0, 0, 0, 0);

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if a value is negative or the percentiles are not in
     *     order, naming the values
     */
    public Latency {
      if (count < 0 || p50Nanos < 0) {
        throw new IllegalArgumentException(
            "count and p50Nanos must be >= 0 but were " + count + " and " + p50Nanos);
      }
      if (p50Nanos > p95Nanos || p95Nanos > p99Nanos || p99Nanos > maxNanos) {
        throw new IllegalArgumentException("percentiles must be ordered p50 <= p95 <= p99 <= max"
            + " but were " + p50Nanos + ", " + p95Nanos + ", " + p99Nanos + ", " + maxNanos);
      }
    }

    /** Returns the median as a duration. */
    public Duration p50() {
      return Duration.ofNanos(p50Nanos);
    }

    /** Returns the 95th percentile as a duration. */
    public Duration p95() {
      return Duration.ofNanos(p95Nanos);
    }

    /** Returns the 99th percentile as a duration. */
    public Duration p99() {
      return Duration.ofNanos(p99Nanos);
    }

    /** Returns the exact maximum as a duration. */
    public Duration max() {
      return Duration.ofNanos(maxNanos);
    }
  }
}
