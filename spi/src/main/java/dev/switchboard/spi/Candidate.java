package dev.switchboard.spi;

/**
 * A route the router may try for the current model tier: one key with one model, with the live
 * facts a {@link RoutingStrategy} ranks by. Every candidate a strategy sees is eligible now (not
 * cooled down, disabled or breaker-open); whether its budget grants is decided after the choice.
 * Views are read-only and may change between reads.
 */
public interface Candidate {

  /** Returns the key's alias. */
  String keyAlias();

  /** Returns the organization (limit pool) the key belongs to. */
  String organization();

  /** Returns the model of the current tier. */
  String model();

  /** Returns the configured weight, at least 1. */
  int weight();

  /** Returns the number of attempts on this route in flight now. */
  int inFlight();

  /**
   * Returns the share of the tightest budget dimension left in this route's pool, 0.0 (empty) to
   * 1.0 (full); 1.0 when the pool's limits are not known yet.
   */
  double headroom();

  /** Returns the exponentially weighted mean latency of recent successes in nanoseconds, or -1. */
  long latencyEwmaNanos();
}
