/**
 * What the router does after an attempt fails: the default {@link
 * dev.switchboard.retry.AnthropicErrorClassifier} (the outcome table), {@link
 * dev.switchboard.retry.Backoff} (full jitter, capped before jittering), {@link
 * dev.switchboard.retry.Cooldowns} (how long a 429 cools a pool: {@code retry-after} as a floor
 * with positive jitter) and {@link dev.switchboard.retry.RetryBudget} (retries as a share of
 * calls, so an outage does not become a retry storm). Start with the classifier.
 */
package dev.switchboard.retry;
