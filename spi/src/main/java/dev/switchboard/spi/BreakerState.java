package dev.switchboard.spi;

/** The state of a circuit breaker. */
public enum BreakerState {
  /** Calls flow; outcomes are recorded in the sliding window. */
  CLOSED,
  /** Calls are refused until the open duration has passed. */
  OPEN,
  /** A limited number of probe calls decide between CLOSED and OPEN again. */
  HALF_OPEN
}
