/**
 * The local (in-process) home of the router's state, reached only through the state SPI.
 *
 * <p>Start with {@link dev.switchboard.state.LocalStateStoreProvider}, found by
 * {@link java.util.ServiceLoader} under the name {@code "local"}. Behind it: {@code LocalBudgetStore}
 * (three continuous token buckets per pool, atomic across dimensions), {@code LocalHealthStore}
 * (cooldowns and disables), {@code LocalBreakerStore} (circuit breakers in a bounded, expiring
 * Caffeine cache) and {@code LocalResponseCacheStore} (fresh-then-stale cached responses);
 * {@code LocalRoutingView} is the store's one routing view over the live health and breakers.
 */
package dev.switchboard.state;
