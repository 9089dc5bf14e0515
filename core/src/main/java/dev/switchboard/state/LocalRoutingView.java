package dev.switchboard.state;

import dev.switchboard.spi.BreakerConfig;
import dev.switchboard.spi.BreakerState;
import dev.switchboard.spi.RoutingView;
import java.util.Objects;

/**
 * The local home's routing view: reads the live maps of {@link LocalHealthStore} and the breaker
 * cache of {@link LocalBreakerStore} directly, so it is never stale and allocates nothing per
 * read. One instance per store. Thread-safe.
 */
final class LocalRoutingView implements RoutingView {
  private final LocalHealthStore health;
  private final LocalBreakerStore breakers;

  LocalRoutingView(LocalHealthStore health, LocalBreakerStore breakers) {
    this.health = health;
    this.breakers = breakers;
  }

  @Override
  public String disabledReason(String scope) {
    return health.disabledReason(scope);
  }

  @Override
  public long cooldownNanos(String scope) {
    return health.cooldownNanos(Objects.requireNonNull(scope, "scope"));
  }

  @Override
  public BreakerState breakerState(String name, BreakerConfig config) {
    return breakers.state(name, config);
  }

  @Override
  public String toString() {
    return "LocalRoutingView";
  }
}
