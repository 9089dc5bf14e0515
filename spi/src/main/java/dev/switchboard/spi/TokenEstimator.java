package dev.switchboard.spi;

/**
 * Estimates how many input tokens a request will be charged before it is sent, so the router can
 * reserve input-token budget. The reservation is settled with the real usage afterwards, so an
 * estimate only has to be close, never exact. Implementations must be thread-safe and fast.
 */
@FunctionalInterface
public interface TokenEstimator {

  /** Returns the estimated input tokens (system, messages and tools), at least 1. */
  long estimateInputTokens(MessageRequest request);
}
