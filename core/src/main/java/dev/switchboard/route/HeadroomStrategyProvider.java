package dev.switchboard.route;

import dev.switchboard.spi.RoutingStrategy;
import dev.switchboard.spi.RoutingStrategyProvider;
import dev.switchboard.spi.StrategyContext;
import java.util.Objects;

/**
 * Provides the built-in {@code "headroom"} strategy: the power of two random choices — of two
 * distinct random candidates, the one with more budget {@link
 * dev.switchboard.spi.Candidate#headroom() headroom}; with one candidate, that one.
 *
 * <p>The strategy is thread-safe, allocates nothing per choice, never throws and always returns a
 * valid index for a non-empty list; its randomness comes from {@link StrategyContext#random()}, so
 * a seeded source makes it deterministic. Registered in
 * {@code META-INF/services/dev.switchboard.spi.RoutingStrategyProvider}; select it by name.
 */
public final class HeadroomStrategyProvider implements RoutingStrategyProvider {
  /** The name this provider is selected by. */
  public static final String NAME = "headroom";

  /** Creates the provider; used by {@link java.util.ServiceLoader}. */
  public HeadroomStrategyProvider() {}

  /** Returns {@code "headroom"}. */
  @Override
  public String name() {
    return NAME;
  }

  /**
   * Returns a new strategy for one router.
   *
   * @throws NullPointerException when {@code context} is null
   */
  @Override
  public RoutingStrategy create(StrategyContext context) {
    Objects.requireNonNull(context, "context");
    return new HeadroomStrategy(context.random());
  }

  @Override
  public String toString() {
    return "RoutingStrategyProvider[" + NAME + "]";
  }
}
