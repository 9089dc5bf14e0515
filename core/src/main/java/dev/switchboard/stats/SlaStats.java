package dev.switchboard.stats;

import dev.switchboard.spi.Outcome;
import dev.switchboard.spi.RouterEvent;
import dev.switchboard.spi.RouterListener;
import dev.switchboard.spi.Ticker;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SLA statistics of a router: a {@link RouterListener} that counts calls and attempts overall, per
 * model and per route (key alias × model), over a sliding window and since creation, and keeps
 * latency percentiles; {@link #snapshot()} reads them.
 *
 * <pre>{@code
 * SlaStats sla = SlaStats.builder().ticker(ticker).window(Duration.ofMinutes(5)).build();
 * // register sla as (one of) the router's listeners, then, for a dashboard:
 * SlaSnapshot s = sla.snapshot();
 * double availability = s.overall().availability();
 * Duration p99 = s.model("claude-sonnet-4-6").latency().p99();
 * }</pre>
 *
 * <p>What is counted where: {@code CallFinished} gives calls, successes, failures, cache hits,
 * degraded results, fallbacks and the end-to-end latency of successful calls (overall and under
 * the call's model; under its last route too unless it was a cache hit, but without latency);
 * {@code AttemptFinished} gives attempts, failed attempts and 429s (overall, per model, per route)
 * and the latency of a route's successful attempts. Other events are ignored. An event with a null
 * model or key alias is counted overall only (and per model if it has one).
 *
 * <p>The window (default 60 s) is cut into sub-windows (default 6) that rotate as the
 * {@link Ticker} (default {@link Ticker#system()}) moves: no background thread. Sub-window
 * {@code k} spans {@code [k, k + 1) × window/subWindows} after the stats were built; a sample
 * recorded in sub-window {@code k} counts until sub-window {@code k + subWindows} begins, so for
 * between {@code window - window/subWindows} and {@code window} after it was recorded (exactly
 * {@code window} for a sample at the start of a sub-window). Lifetime totals never drop anything.
 *
 * <p>Thread-safe. Recording is cheap: counters are {@code LongAdder}s, sub-windows rotate by
 * compare-and-set, and a latency sample holds one of a few striped monitors for a single
 * HdrHistogram {@code recordValue}; merging histograms is paid by {@link #snapshot()} alone.
 * Memory grows with the number of distinct models and routes seen (which the router's
 * configuration bounds) and with the number of distinct latency values per sub-window: about
 * 10 KB for a quiet route, some tens of kilobytes for a busy one.
 */
public final class SlaStats implements RouterListener {
  private final Ticker ticker;
  private final Duration window;
  private final int subWindows;
  private final long slotNanos;
  private final long origin;
  private final ScopeRecorder overall;
  private final ConcurrentHashMap<String, ScopeRecorder> models = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, ScopeRecorder>> routes =
      new ConcurrentHashMap<>();

  private SlaStats(Builder b) {
    this.ticker = b.ticker;
    this.window = b.window;
    this.subWindows = b.subWindows;
    this.slotNanos = b.window.toNanos() / b.subWindows;
    this.origin = ticker.read();
    this.overall = new ScopeRecorder(subWindows);
  }

  /** Returns statistics with the defaults: system ticker, 60 s window, 6 sub-windows. */
  public static SlaStats create() {
    return builder().build();
  }

  /** Returns a builder with the defaults of {@link #create()}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Counts an attempt overall, under its model and under its route, and records a successful
   * attempt's latency under its route. Never throws; an event with null fields counts where it can.
   */
  @Override
  public void attemptFinished(RouterEvent.AttemptFinished e) {
    long epoch = epoch();
    Outcome outcome = e.outcome();
    boolean success = outcome == Outcome.SUCCESS;
    overall.recordAttempt(epoch, outcome, e.status(), 0L, false);
    if (e.model() != null) {
      model(e.model()).recordAttempt(epoch, outcome, e.status(), 0L, false);
      if (e.keyAlias() != null) {
        route(e.keyAlias(), e.model())
            .recordAttempt(epoch, outcome, e.status(), e.latencyNanos(), success);
      }
    }
  }

  /**
   * Counts a call overall, under its model and (unless it was a cache hit) under its last route,
   * and records a successful call's end-to-end latency overall and under its model. Never throws.
   */
  @Override
  public void callFinished(RouterEvent.CallFinished e) {
    long epoch = epoch();
    boolean success = e.success();
    overall.recordCall(epoch, success, e.cached(), e.degraded(), e.fallback(), e.latencyNanos(),
        success);
    if (e.model() != null) {
      model(e.model()).recordCall(epoch, success, e.cached(), e.degraded(), e.fallback(),
          e.latencyNanos(), success);
      if (e.keyAlias() != null && !e.cached()) {
        route(e.keyAlias(), e.model()).recordCall(epoch, success, false, e.degraded(),
            e.fallback(), 0L, false);
      }
    }
  }

  /**
   * Returns the statistics now: overall, per model and per route (every one seen since creation,
   * with zero window counts if it has been quiet for a whole window).
   *
   * <p>Safe to call at any time from any thread; it merges the live sub-windows' histograms, so
   * call it for dashboards and alerts, not per request.
   */
  public SlaSnapshot snapshot() {
    long now = epoch();
    Map<String, SlaSnapshot.Scope> byModel = new HashMap<>();
    models.forEach((model, scope) -> byModel.put(model, scope.snapshot(now)));
    Map<String, SlaSnapshot.Scope> byRoute = new HashMap<>();
    routes.forEach((alias, perModel) -> perModel.forEach((model, scope) ->
        byRoute.put(SlaSnapshot.routeKey(alias, model), scope.snapshot(now))));
    return new SlaSnapshot(window, overall.snapshot(now), byModel, byRoute);
  }

  /** Returns {@code SlaStats[window=PT1M, subWindows=6, models=2, routes=5]}. */
  @Override
  public String toString() {
    int routeCount = routes.values().stream().mapToInt(Map::size).sum();
    return "SlaStats[window=" + window + ", subWindows=" + subWindows + ", models=" + models.size()
        + ", routes=" + routeCount + "]";
  }

  private long epoch() {
    return Math.floorDiv(ticker.read() - origin, slotNanos);
  }

  private ScopeRecorder model(String model) {
    ScopeRecorder scope = models.get(model);
    return scope != null
        ? scope : models.computeIfAbsent(model, m -> new ScopeRecorder(subWindows));
  }

  private ScopeRecorder route(String alias, String model) {
    ConcurrentHashMap<String, ScopeRecorder> perModel = routes.get(alias);
    if (perModel == null) {
      perModel = routes.computeIfAbsent(alias, a -> new ConcurrentHashMap<>());
    }
    ScopeRecorder scope = perModel.get(model);
    return scope != null
        ? scope : perModel.computeIfAbsent(model, m -> new ScopeRecorder(subWindows));
  }

  /**
   * Configures {@link SlaStats}. Setters validate at once; {@link #build()} may be called
   * repeatedly and never changes the builder. Not thread-safe.
   */
  public static final class Builder {
    private static final Duration MIN_WINDOW = Duration.ofMillis(1);
    private static final Duration MAX_WINDOW = Duration.ofHours(24);
    private static final int MAX_SUB_WINDOWS = 600;

    private Ticker ticker = Ticker.system();
    private Duration window = Duration.ofSeconds(60);
    private int subWindows = 6;

    private Builder() {}

    /**
     * Sets the clock that rotates the window; defaults to {@link Ticker#system()}. Tests pass a
     * fake ticker.
     *
     * @throws NullPointerException if {@code ticker} is null
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Sets the length of the sliding window; defaults to 60 seconds.
     *
     * @throws NullPointerException if {@code window} is null
     * @throws IllegalArgumentException if {@code window} is not in [1 ms, 24 h]
     */
    public Builder window(Duration window) {
      Objects.requireNonNull(window, "window");
      if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
        throw new IllegalArgumentException(
            "window must be in [PT0.001S, PT24H] but was " + window);
      }
      this.window = window;
      return this;
    }

    /**
     * Sets how many sub-windows the window is cut into; defaults to 6. More sub-windows drop old
     * samples more smoothly and cost more memory and snapshot time.
     *
     * @throws IllegalArgumentException if {@code subWindows} is not in [1, 600]
     */
    public Builder subWindows(int subWindows) {
      if (subWindows < 1 || subWindows > MAX_SUB_WINDOWS) {
        throw new IllegalArgumentException(
            "subWindows must be in [1, " + MAX_SUB_WINDOWS + "] but was " + subWindows);
      }
      this.subWindows = subWindows;
      return this;
    }

    /**
     * Returns statistics with this builder's settings, whose first sub-window starts now (by the
     * ticker).
     *
     * @throws IllegalArgumentException if the window is not a whole number of nanoseconds per
     *     sub-window
     */
    public SlaStats build() {
      long nanos = window.toNanos();
      if (nanos % subWindows != 0) {
        throw new IllegalArgumentException("window must divide into " + subWindows
            + " equal sub-windows of whole nanoseconds but was " + window);
      }
      return new SlaStats(this);
    }
  }
}
