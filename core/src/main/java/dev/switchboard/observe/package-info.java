/**
 * Observation: {@link dev.switchboard.observe.SafeListener} delivers the router's events to the
 * user's {@link dev.switchboard.spi.RouterListener}, isolating the router from a listener that
 * throws.
 */
package dev.switchboard.observe;
