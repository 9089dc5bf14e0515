package dev.switchboard.state;

import dev.switchboard.spi.BreakerStore;
import dev.switchboard.spi.BudgetStore;
import dev.switchboard.spi.HealthStore;
import dev.switchboard.spi.ResponseCacheStore;
import dev.switchboard.spi.StateStore;
import dev.switchboard.spi.StateStoreConfig;

/** The in-process state home: four independent stores sharing one ticker. Thread-safe. */
final class LocalStateStore implements StateStore {
  private final LocalBudgetStore budgets;
  private final LocalHealthStore health;
  private final LocalBreakerStore breakers;
  private final LocalResponseCacheStore responses;

  LocalStateStore(StateStoreConfig config) {
    this.budgets = new LocalBudgetStore(config.ticker());
    this.health = new LocalHealthStore(config.ticker());
    this.breakers = new LocalBreakerStore(config.ticker(), config.maximumBreakers());
    this.responses = new LocalResponseCacheStore(config.ticker(), config.maximumCachedResponses());
  }

  @Override
  public BudgetStore budgets() {
    return budgets;
  }

  @Override
  public HealthStore health() {
    return health;
  }

  @Override
  public BreakerStore breakers() {
    return breakers;
  }

  @Override
  public ResponseCacheStore responses() {
    return responses;
  }

  LocalBreakerStore localBreakers() {
    return breakers;
  }

  LocalResponseCacheStore localResponses() {
    return responses;
  }

  /** Drops the cached responses; budgets, health and breakers are plain memory and need nothing. */
  @Override
  public void close() {
    responses.clear();
  }

  @Override
  public String toString() {
    return "LocalStateStore";
  }
}
