package dev.switchboard;

import dev.switchboard.spi.MessageResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

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
 *     open or its server errors), not merely busy
 * @param cached true when the answer came from the response cache (always false in this version)
 */
public record RoutedResponse(MessageResponse response, String model, String keyAlias,
    List<AttemptRecord> attempts, boolean fellBack, Duration waited, boolean degraded,
    boolean cached) {
  /** Validates and copies. */
  public RoutedResponse {
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(keyAlias, "keyAlias");
    attempts = List.copyOf(attempts);
    Objects.requireNonNull(waited, "waited");
  }
}
