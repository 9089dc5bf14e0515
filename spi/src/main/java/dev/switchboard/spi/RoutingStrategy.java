package dev.switchboard.spi;

import java.util.List;

/**
 * Chooses which eligible route to try next. The router calls {@link #choose} with every eligible
 * candidate; if the chosen one's budget does not grant, it calls again without it.
 *
 * <p>Implementations must be thread-safe, fast (they run on every attempt) and must not throw.
 */
public interface RoutingStrategy {

  /**
   * Returns the index in {@code candidates} to try next.
   *
   * @param candidates the eligible routes, never empty; the list must not be modified or kept
   */
  int choose(List<? extends Candidate> candidates);

  /** Tells the strategy how an attempt on {@code candidate} ended. Default: ignores it. */
  default void onResult(Candidate candidate, boolean success, long latencyNanos) {}
}
