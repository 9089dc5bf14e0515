/**
 * SLA statistics of a router over a sliding time window: availability, error rate, 429s,
 * fallbacks, cache hits, degraded results and latency percentiles, overall, per model and per
 * route.
 *
 * <p>Start with {@link dev.switchboard.stats.SlaStats}, a
 * {@link dev.switchboard.spi.RouterListener} that records the router's events, and its
 * {@link dev.switchboard.stats.SlaStats#snapshot()}, which returns an immutable
 * {@link dev.switchboard.stats.SlaSnapshot}. Everything else is package-private:
 * {@code ScopeRecorder} keeps one scope's lifetime counters and its ring of {@code Slot}s
 * (sub-windows rotated by the ticker, no background thread), and each slot records latency into
 * small striped HdrHistograms that are merged only when a snapshot is read.
 */
package dev.switchboard.stats;
