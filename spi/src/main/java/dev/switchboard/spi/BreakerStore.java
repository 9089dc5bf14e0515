package dev.switchboard.spi;

import java.util.Map;

/**
 * Circuit breakers by name ({@code model:…}, {@code route:…}, {@code user:…}), created on first
 * use with the given config. Per-user breakers may be many: implementations bound and expire them
 * (an idle, CLOSED breaker may be forgotten). Implementations must be thread-safe.
 *
 * <p>Every permitted acquisition must be followed by exactly one {@link #record} or
 * {@link #release}, or a HALF_OPEN probe slot leaks.
 */
public interface BreakerStore {

  /** Asks whether a call may go now. */
  BreakerPermit tryAcquire(String name, BreakerConfig config);

  /**
   * Records the outcome of a permitted call and returns the state after it.
   *
   * @param failure true when the call failed in a way that counts against this breaker
   */
  BreakerState record(String name, BreakerConfig config, BreakerPermit permit, boolean failure);

  /** Gives a permitted call's slot back without recording an outcome (it never ran). */
  void release(String name, BreakerConfig config, BreakerPermit permit);

  /** Returns the current state (CLOSED for a breaker never seen). */
  BreakerState state(String name, BreakerConfig config);

  /** Returns the breakers that are not CLOSED, with their states, for snapshots. */
  Map<String, BreakerState> notClosed();
}
