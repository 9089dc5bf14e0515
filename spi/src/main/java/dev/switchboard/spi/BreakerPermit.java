package dev.switchboard.spi;

import java.time.Duration;

/**
 * The answer of {@link BreakerStore#tryAcquire}.
 *
 * @param permitted true when the call may go
 * @param probe true when the call is one of the HALF_OPEN probes; its outcome must be recorded
 * @param state the breaker's state after this acquisition
 * @param previous the state before (differs from {@code state} when time moved OPEN to HALF_OPEN)
 * @param retryAfter when refused: how long until the breaker lets a probe through; else ZERO
 */
public record BreakerPermit(boolean permitted, boolean probe, BreakerState state, BreakerState previous,
    Duration retryAfter) {

  /** Returns true when this acquisition changed the state. */
  public boolean changed() {
    return state != previous;
  }
}
