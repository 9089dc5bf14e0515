package dev.switchboard.redis;

import dev.switchboard.spi.RoutingView;
import dev.switchboard.spi.StateStore;

/**
 * The local state a {@link RedisStateStore} answers from while Redis is unreachable, as a store
 * of its own: budgets divided by the expected instances, cooldowns and disables (with those last
 * seen in Redis), breakers and cached responses, all in memory and timed by the store's ticker.
 * Claims and settlements during an outage are the SPI's composition of these four
 * ({@link StateStore#claimRoute}, {@link StateStore#settle}); {@link #routingView()} is one view
 * over them. Never touches Redis. Thread-safe.
 */
final class FallbackState implements StateStore {
  private final FallbackBudgets budgets;
  private final FallbackHealth health;
  private final FallbackBreakers breakers;
  private final FallbackCache responses;
  private final RoutingView view;

  FallbackState(FallbackBudgets budgets, FallbackHealth health, FallbackBreakers breakers, FallbackCache responses) {
    this.budgets = budgets;
    this.health = health;
    this.breakers = breakers;
    this.responses = responses;
    this.view = StateStore.super.routingView();
  }

  @Override
  public FallbackBudgets budgets() {
    return budgets;
  }

  @Override
  public FallbackHealth health() {
    return health;
  }

  @Override
  public FallbackBreakers breakers() {
    return breakers;
  }

  @Override
  public FallbackCache responses() {
    return responses;
  }

  /** Returns one view over the fallback's health and breakers. */
  @Override
  public RoutingView routingView() {
    return view;
  }

  @Override
  public String toString() {
    return "FallbackState";
  }
}
