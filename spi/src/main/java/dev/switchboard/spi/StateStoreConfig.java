package dev.switchboard.spi;

import java.util.Map;
import java.util.Objects;

/**
 * What a {@link StateStoreProvider} builds a store from.
 *
 * @param ticker the router's clock
 * @param maximumBreakers bound on breakers kept (per-user breakers are many), at least 1
 * @param maximumCachedResponses bound on cached responses, at least 0
 * @param options provider-specific settings by name (e.g. a Redis client), unmodifiable
 */
public record StateStoreConfig(Ticker ticker, long maximumBreakers, long maximumCachedResponses,
    Map<String, Object> options) {

  public StateStoreConfig {
    Objects.requireNonNull(ticker, "ticker");
    if (maximumBreakers < 1) {
      throw new IllegalArgumentException("maximumBreakers must be >= 1 but was " + maximumBreakers);
    }
    if (maximumCachedResponses < 0) {
      throw new IllegalArgumentException(
          "maximumCachedResponses must be >= 0 but was " + maximumCachedResponses);
    }
    options = Map.copyOf(options);
  }

  /** Returns a config with default bounds (100,000 breakers, 10,000 responses) and no options. */
  public static StateStoreConfig defaults(Ticker ticker) {
    return new StateStoreConfig(ticker, 100_000, 10_000, Map.of());
  }
}
