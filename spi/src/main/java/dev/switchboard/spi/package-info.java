/**
 * The contracts of Switchboard: JDK only, small and stable.
 *
 * <p>Start with {@link dev.switchboard.spi.MessageRequest} and
 * {@link dev.switchboard.spi.MessageResponse} (the Messages API), then
 * {@link dev.switchboard.spi.Transport} and {@link dev.switchboard.spi.ProviderResponse} (one
 * attempt and what it said), then the extension points, each a tiny interface with a
 * {@link java.util.ServiceLoader}-found provider: {@link dev.switchboard.spi.TransportProvider},
 * {@link dev.switchboard.spi.RoutingStrategyProvider}, {@link dev.switchboard.spi.StateStoreProvider};
 * and the plain hooks {@link dev.switchboard.spi.TokenEstimator},
 * {@link dev.switchboard.spi.ErrorClassifier}, {@link dev.switchboard.spi.RouterListener}.
 * All time is read from a {@link dev.switchboard.spi.Ticker}.
 */
package dev.switchboard.spi;
