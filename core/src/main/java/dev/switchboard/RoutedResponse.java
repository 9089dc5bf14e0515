package dev.switchboard;

import dev.switchboard.spi.MessageResponse;
import dev.switchboard.stream.StreamStats;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A response with the facts of how it was routed.
 *
 * @param response the API's message
 * @param model the model that answered
 * @param keyAlias the alias of the key that answered
 * @param attempts every attempt in order, the last being the success
 * @param fellBack true when a fallback tier answered rather than the primary model
 * @param waited the total time the call waited for budget, cooldowns or backoff
 * @param degraded true when the primary model was skipped because it was unhealthy (its breaker
 *     open or its server errors), not merely busy; also true for an answer given while no route could serve (a stale cached
 *     answer or the caller's fallback function), which is never passed off as fresh
 * @param cached true when the answer came from the response cache (or from an identical call in
 *     flight at the same time) rather than from a call of its own
 * @param cost what this call cost in US dollars, from {@code usage} and the model's price (0 for a
 *     cached or fallback answer, and for a model without a price)
 * @param continued true for a stream whose answer was interrupted after content and finished on
 *     another route (see {@link CallOptions#continueInterrupted(boolean)})
 * @param stream for a stream: time to first token, output tokens per second, duration; empty for
 *     {@link Switchboard#send}
 */
public record RoutedResponse(MessageResponse response, String model, String keyAlias,
    List<AttemptRecord> attempts, boolean fellBack, Duration waited, boolean degraded,
    boolean cached, double cost, boolean continued, Optional<StreamStats> stream) {
  /** Returns a response that was not streamed. */
  public RoutedResponse(MessageResponse response, String model, String keyAlias,
      List<AttemptRecord> attempts, boolean fellBack, Duration waited, boolean degraded,
      boolean cached, double cost) {
    this(response, model, keyAlias, attempts, fellBack, waited, degraded, cached, cost, false,
        Optional.empty());
  }

  /** Returns a response that cost nothing (kept for callers of the original form). */
  public RoutedResponse(MessageResponse response, String model, String keyAlias,
      List<AttemptRecord> attempts, boolean fellBack, Duration waited, boolean degraded,
      boolean cached) {
    this(response, model, keyAlias, attempts, fellBack, waited, degraded, cached, 0.0);
  }

  /** Validates and copies. */
  public RoutedResponse {
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(keyAlias, "keyAlias");
    attempts = List.copyOf(attempts);
    Objects.requireNonNull(waited, "waited");
    Objects.requireNonNull(stream, "stream");
    if (!(cost >= 0) || Double.isInfinite(cost)) {
      throw new IllegalArgumentException("cost must be finite and >= 0 but was " + cost);
    }
  }
}
