/**
 * Two routers sharing one Redis: start at {@link
 * dev.switchboard.examples.shared.SharedStateExample}; {@code LocalRedis} starts the throw-away
 * {@code redis-server} it runs on.
 */
package dev.switchboard.examples.shared;
