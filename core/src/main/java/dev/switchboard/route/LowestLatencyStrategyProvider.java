package dev.switchboard.route;

import dev.switchboard.spi.RoutingStrategy;
import dev.switchboard.spi.RoutingStrategyProvider;
import dev.switchboard.spi.StrategyContext;
import java.util.Objects;

/**
 * Provides the built-in {@code "lowest-latency"} strategy: chooses the candidate with the lowest
 * {@link dev.switchboard.spi.Candidate#latencyEwmaNanos() mean latency}, treating an unmeasured
 * route (-1) as the fastest and choosing at random 5% of the time so every route keeps being
 * measured.
 *
 * <p>The strategy is thread-safe, allocates nothing per choice, never throws and always returns a
 * valid index for a non-empty list; its randomness comes from {@link StrategyContext#random()}, so
 * a seeded source makes it deterministic. Registered in
 * {@code META-INF/services/dev.switchboard.spi.RoutingStrategyProvider}; select it by name.
 */
public final class LowestLatencyStrategyProvider implements RoutingStrategyProvider {
  /** The name this provider is selected by. */
  public static final String NAME = "lowest-latency";

  /** Creates the provider; used by {@link java.util.ServiceLoader}. */
  public LowestLatencyStrategyProvider() {}

  /** Returns {@code "lowest-latency"}. */
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
    return new LowestLatencyStrategy(context.random());
  }

  @Override
  public String toString() {
    return "RoutingStrategyProvider[" + NAME + "]";
  }
}
