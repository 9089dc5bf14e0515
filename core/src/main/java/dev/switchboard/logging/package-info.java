/**
 * Structured logging of a router's decisions through SLF4J.
 *
 * <p>Start with {@link dev.switchboard.logging.LoggingListener}: register
 * {@code LoggingListener.create()} as the router's {@link dev.switchboard.spi.RouterListener} and
 * every fallback, cooldown, disabled key, breaker change and exhausted retry budget becomes one
 * {@code key=value} line on the logger {@code dev.switchboard.router} (a disabled key at ERROR, so
 * someone is paged). Values are quoted and escaped so that one event is always one line, and any
 * {@code sk-ant-} token found in a value is masked. The rest of the package is package-private: the
 * line builder ({@code LogLine}) and the seam between the listener and SLF4J ({@code Sink}).
 */
package dev.switchboard.logging;
