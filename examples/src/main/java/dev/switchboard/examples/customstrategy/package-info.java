/**
 * A routing strategy of your own through the SPI: start at {@link
 * dev.switchboard.examples.customstrategy.CustomStrategyExample}, then read {@link
 * dev.switchboard.examples.customstrategy.StickyWeightedStrategyProvider} (the provider listed in
 * {@code META-INF/services/dev.switchboard.spi.RoutingStrategyProvider}) and {@code
 * StickyWeightedStrategy} (the choice itself).
 */
package dev.switchboard.examples.customstrategy;
