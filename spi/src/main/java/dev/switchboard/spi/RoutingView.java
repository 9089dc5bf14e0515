package dev.switchboard.spi;

/**
 * Health as a router reads it while planning: which scopes are disabled or cooling down, and what
 * state each breaker is in. Returned by {@link StateStore#routingView()}.
 *
 * <p>A shared store may answer from an in-memory copy refreshed in the background, so an answer
 * can be a little stale (a disable made by another process shows up after the next refresh);
 * {@link StateStore#claimRoute} re-checks everything authoritatively before a call goes out, so
 * the view only has to be good enough to choose candidates. Every method must be cheap: no I/O
 * and no locking on the caller's path. Implementations must be thread-safe.
 */
public interface RoutingView {

  /**
   * Returns why {@code scope} is disabled, or null when it is enabled.
   *
   * @throws NullPointerException when {@code scope} is null
   */
  String disabledReason(String scope);

  /**
   * Returns the nanoseconds {@code scope} stays cooled down, or 0 when it is not cooling down.
   *
   * @throws NullPointerException when {@code scope} is null
   */
  long cooldownNanos(String scope);

  /**
   * Returns the state of breaker {@code name}: CLOSED when it was never seen, HALF_OPEN when its
   * open period has passed (whether or not a probe was taken yet).
   *
   * @param config the breaker's configuration, for stores that judge state from it
   * @throws NullPointerException when {@code name} is null
   */
  BreakerState breakerState(String name, BreakerConfig config);

  /**
   * Returns the pool's budget levels as the view knows them, for strategies that weigh headroom,
   * or null to have the router ask {@link BudgetStore#levels}. A shared store may answer from a
   * read a moment old rather than pay a round trip per candidate; the claim decides anyway.
   * Default: null.
   */
  default BudgetLevels levels(String pool, BucketLimits limits) {
    return null;
  }
}
