package dev.switchboard.spi;

/**
 * Creates {@link RoutingStrategy}s; found by {@link java.util.ServiceLoader} and chosen by
 * {@link #name()} (e.g. {@code "round-robin"}, {@code "headroom"}). Register an implementation in
 * {@code META-INF/services/dev.switchboard.spi.RoutingStrategyProvider}.
 */
public interface RoutingStrategyProvider extends NamedProvider {

  /** Returns a new strategy for one router. */
  RoutingStrategy create(StrategyContext context);
}
