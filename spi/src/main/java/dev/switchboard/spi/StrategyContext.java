package dev.switchboard.spi;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * What a {@link RoutingStrategyProvider} may build a strategy from.
 *
 * @param ticker the router's clock
 * @param random the router's source of randomness (thread-safe in production; seeded in tests)
 */
public record StrategyContext(Ticker ticker, RandomGenerator random) {
  public StrategyContext {
    Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(random, "random");
  }
}
