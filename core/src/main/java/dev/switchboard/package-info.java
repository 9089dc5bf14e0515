/**
 * Switchboard: routes Anthropic Messages API calls across many API keys and a chain of models.
 *
 * <p>Start with {@link dev.switchboard.Switchboard} (build one, then {@code send} or {@code
 * sendAsync}), {@link dev.switchboard.CallOptions} (deadline, attempts, user) and {@link
 * dev.switchboard.RoutedResponse} (the answer and how it was routed). Failures are the {@link
 * dev.switchboard.SwitchboardException} family. The decisions after a failure live in {@code
 * dev.switchboard.retry}, budget bookkeeping in {@code dev.switchboard.budget}, local state in
 * {@code dev.switchboard.state} and the built-in strategies in {@code dev.switchboard.route}.
 */
package dev.switchboard;
