/**
 * The built-in routing strategies, each registered through the same
 * {@code META-INF/services/dev.switchboard.spi.RoutingStrategyProvider} file a user's would be.
 *
 * <p>Start with the providers, one per name: {@link dev.switchboard.route.RoundRobinStrategyProvider}
 * ({@code "round-robin"}), {@link dev.switchboard.route.WeightedStrategyProvider} ({@code "weighted"}),
 * {@link dev.switchboard.route.LeastInFlightStrategyProvider} ({@code "least-in-flight"}),
 * {@link dev.switchboard.route.HeadroomStrategyProvider} ({@code "headroom"}) and
 * {@link dev.switchboard.route.LowestLatencyStrategyProvider} ({@code "lowest-latency"}). The
 * strategies themselves are package-private; they share {@code BuiltInStrategy}, which handles a
 * single candidate and shields the router from a candidate view that throws.
 */
package dev.switchboard.route;
