package dev.switchboard.spi;

/**
 * Turns what a transport reported into a {@link Verdict}. The router's default follows the
 * Anthropic semantics of the outcome table; replace it to handle another provider's errors.
 * Implementations must be thread-safe and must not throw.
 */
public interface ErrorClassifier {

  /** Judges a response that arrived (any status). */
  Verdict classify(ProviderResponse response);

  /** Judges a failure in which no complete response arrived. */
  Verdict classify(TransportException failure);
}
