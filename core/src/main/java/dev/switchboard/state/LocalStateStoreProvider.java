package dev.switchboard.state;

import dev.switchboard.spi.StateStore;
import dev.switchboard.spi.StateStoreConfig;
import dev.switchboard.spi.StateStoreProvider;
import java.util.Objects;

/**
 * Provides the in-process state home, named {@code "local"} (priority 0): token buckets with a
 * tiny per-pool critical section, cooldowns and disables in concurrent maps, and circuit breakers
 * and cached responses in bounded Caffeine caches, all timed by {@link StateStoreConfig#ticker()}.
 *
 * <p>State lives in one JVM: routers in several processes sharing keys should use a shared home
 * (such as {@code "redis"}) instead. Registered in
 * {@code META-INF/services/dev.switchboard.spi.StateStoreProvider}; the router finds it by name.
 * Instances are stateless and thread-safe; every {@link #create} returns an independent store.
 * {@link StateStoreConfig#options()} are ignored.
 */
public final class LocalStateStoreProvider implements StateStoreProvider {
  /** The name this provider is selected by. */
  public static final String NAME = "local";

  /** Creates the provider; used by {@link java.util.ServiceLoader}. */
  public LocalStateStoreProvider() {}

  /** Returns {@code "local"}. */
  @Override
  public String name() {
    return NAME;
  }

  /** Returns 0: a shared home with a higher priority wins when no name is configured. */
  @Override
  public int priority() {
    return 0;
  }

  /**
   * Returns a new, empty in-process store timed by {@code config.ticker()}, keeping at most
   * {@code config.maximumBreakers()} CLOSED breakers and {@code config.maximumCachedResponses()}
   * responses.
   *
   * @throws NullPointerException when {@code config} is null
   */
  @Override
  public StateStore create(StateStoreConfig config) {
    Objects.requireNonNull(config, "config");
    return new LocalStateStore(config);
  }
}
