package dev.switchboard.examples.customstrategy;

import dev.switchboard.spi.RoutingStrategy;
import dev.switchboard.spi.RoutingStrategyProvider;
import dev.switchboard.spi.StrategyContext;
import java.util.Objects;

/**
 * Provides the {@value #NAME} routing strategy: stick to one key (drawn by weight) until its pool
 * drops below a quarter of its budget or an attempt on it fails, then draw another. Keeping a
 * service on one organization at a time keeps Anthropic's per-organization prompt cache warm and
 * drains one pool before spilling into the next.
 *
 * <p>This class is what a user's own strategy looks like: a public provider with a public no-arg
 * constructor, listed in {@code META-INF/services/dev.switchboard.spi.RoutingStrategyProvider}
 * next to the five built-ins, and selected with {@code Switchboard.builder().strategy("sticky-weighted")}.
 * Thread-safe; each router gets a strategy of its own.
 */
public final class StickyWeightedStrategyProvider implements RoutingStrategyProvider {
  /** The name this provider is selected by. */
  public static final String NAME = "sticky-weighted";

  /** Creates the provider; used by {@link java.util.ServiceLoader}. */
  public StickyWeightedStrategyProvider() {}

  /** Returns {@value #NAME}. */
  @Override
  public String name() {
    return NAME;
  }

  /**
   * Returns a new strategy for one router, drawing with the router's random source.
   *
   * @throws NullPointerException when {@code context} is null
   */
  @Override
  public RoutingStrategy create(StrategyContext context) {
    Objects.requireNonNull(context, "context");
    return new StickyWeightedStrategy(context.random());
  }

  @Override
  public String toString() {
    return "RoutingStrategyProvider[" + NAME + "]";
  }
}
