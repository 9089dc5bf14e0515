package dev.switchboard.spi;

/**
 * Everything a router remembers between calls, behind one interface with two homes: local
 * (in-process, Caffeine) and shared (Redis) for a fleet of routers using the same keys.
 */
public interface StateStore extends AutoCloseable {

  /** Returns the token buckets. */
  BudgetStore budgets();

  /** Returns the cooldowns and disables. */
  HealthStore health();

  /** Returns the circuit breakers. */
  BreakerStore breakers();

  /** Returns the response cache. */
  ResponseCacheStore responses();

  /** Releases what the store holds (connections, threads). Default: nothing. */
  @Override
  default void close() {}
}
