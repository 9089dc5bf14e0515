package dev.switchboard.examples.demo;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * What one run (the router, or the naive loop) did: per-call results counted by the driver, and
 * per-route figures counted from attempts. Thread-safe: counters are {@link LongAdder}s, histograms
 * are guarded by their own monitors.
 */
final class Tally {
  /** How late after its deadline a call may end before it counts as past its deadline. */
  static final long DEADLINE_TOLERANCE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  final String name;
  final LongAdder requests = new LongAdder();
  final LongAdder completed = new LongAdder();
  final LongAdder succeeded = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder pastDeadline = new LongAdder();
  final LongAdder noHealthyRoute = new LongAdder();
  final LongAdder cacheHits = new LongAdder();
  final LongAdder fallbacks = new LongAdder();
  final LongAdder attempts = new LongAdder();
  final LongAdder rateLimitedAttempts = new LongAdder();
  final LongAdder cooldowns = new LongAdder();
  final LongAdder breakerTrips = new LongAdder();
  final Set<String> keysDisabled = ConcurrentHashMap.newKeySet();
  /** What the answers cost, in US dollars at list prices. */
  final DoubleAdder cost = new DoubleAdder();
  /** Streamed calls started. */
  final LongAdder streamed = new LongAdder();
  /** Streamed calls whose answer broke after content reached the caller, not repaired. */
  final LongAdder streamInterrupted = new LongAdder();
  /** Streamed calls whose broken answer the router finished on another route. */
  final LongAdder streamContinued = new LongAdder();
  /** Events the callers' stream handlers received. */
  final LongAdder streamEvents = new LongAdder();
  private final Histogram timeToFirstToken = histogram();
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
  private final Histogram latency = histogram();
  private final Map<String, Row> rows = new ConcurrentHashMap<>();

  Tally(String name) {
    this.name = name;
  }

  /**
   * Counts one finished call.
   *
   * @param latencyNanos from the call's start to its end
   * @param deadlineNanos the call's deadline
   * @param failure null for a success, else a short name of why it failed
   */
  void callEnded(long latencyNanos, long deadlineNanos, String failure, boolean cached) {
    completed.increment();
    if (failure == null) {
      succeeded.increment();
      synchronized (latency) {
        latency.recordValue(Math.min(latency.getHighestTrackableValue(),
            Math.max(1, TimeUnit.NANOSECONDS.toMicros(latencyNanos))));
      }
      if (cached) {
        cacheHits.increment();
      }
    } else {
      failed.increment();
      failures.computeIfAbsent(failure, f -> new LongAdder()).increment();
    }
    if (latencyNanos > deadlineNanos + DEADLINE_TOLERANCE_NANOS) {
      pastDeadline.increment();
    }
  }

  /** Counts what the caller of one streamed call saw; its start is counted in {@link #streamed}. */
  void streamEnded(Driver.Streamed s) {
    streamEvents.add(s.events());
    if (s.interrupted()) {
      streamInterrupted.increment();
    }
    if (s.continued()) {
      streamContinued.increment();
    }
    if (s.timeToFirstTokenNanos() != Driver.Streamed.NO_TOKEN) {
      synchronized (timeToFirstToken) {
        timeToFirstToken.recordValue(Math.min(timeToFirstToken.getHighestTrackableValue(),
            Math.max(1, TimeUnit.NANOSECONDS.toMicros(s.timeToFirstTokenNanos()))));
      }
    }
  }

  /**
   * Returns the given percentile of streamed calls' time to first token (from the call's start to
   * the first content event its caller received), in milliseconds; 0 when no stream had content.
   */
  double timeToFirstTokenMillis(double percentile) {
    synchronized (timeToFirstToken) {
      return timeToFirstToken.getTotalCount() == 0 ? 0.0
          : timeToFirstToken.getValueAtPercentile(percentile) / 1_000.0;
    }
  }

  /** Returns the row of a key alias × model (created on first use). */
  Row row(String keyAlias, String model) {
    return rows.computeIfAbsent(keyAlias + " / " + model, k -> new Row());
  }

  /** Returns the rows sorted by name. */
  Map<String, Row> rows() {
    return new TreeMap<>(rows);
  }

  /** Returns the failures by kind, sorted. */
  Map<String, Long> failures() {
    Map<String, Long> m = new TreeMap<>();
    failures.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  /** Returns the given percentile of successful calls' end-to-end latency, in milliseconds. */
  double percentileMillis(double percentile) {
    synchronized (latency) {
      return latency.getTotalCount() == 0 ? 0.0
          : latency.getValueAtPercentile(percentile) / 1_000.0;
    }
  }

  static Histogram histogram() {
    return new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
  }

  /** The figures of one key × model. */
  static final class Row {
    final LongAdder attempts = new LongAdder();
    final LongAdder successes = new LongAdder();
    final LongAdder rateLimited = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder cooldowns = new LongAdder();
    final LongAdder breakerTrips = new LongAdder();
    final LongAdder fallbacks = new LongAdder();
    final LongAdder cacheHits = new LongAdder();
    private final Histogram latency = histogram();

    /** Counts one attempt that ended with {@code status} (0: no response) after {@code nanos}. */
    void attempt(boolean success, boolean rateLimitedAttempt, long nanos) {
      attempts.increment();
      if (success) {
        successes.increment();
        synchronized (latency) {
          latency.recordValue(Math.min(latency.getHighestTrackableValue(),
              Math.max(1, TimeUnit.NANOSECONDS.toMicros(nanos))));
        }
      } else if (rateLimitedAttempt) {
        rateLimited.increment();
      } else {
        errors.increment();
      }
    }

    /** Returns a percentile of successful attempts' latency in milliseconds (0 when none). */
    double percentileMillis(double percentile) {
      synchronized (latency) {
        return latency.getTotalCount() == 0 ? 0.0
            : latency.getValueAtPercentile(percentile) / 1_000.0;
      }
    }
  }
}
