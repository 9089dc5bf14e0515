package dev.switchboard;

import dev.switchboard.spi.Outcome;
import java.time.Duration;
import java.util.Objects;

/**
 * What one attempt of a call did: the route it took, how it ended and why.
 *
 * @param keyAlias the key's alias (never its secret)
 * @param model the model tried
 * @param outcome the classified outcome
 * @param status the HTTP status, or 0 when no response arrived
 * @param latency from sending to the result
 * @param reason the classifier's short, secret-free explanation
 */
public record AttemptRecord(String keyAlias, String model, Outcome outcome, int status,
    Duration latency, String reason) {
  /** Validates. */
  public AttemptRecord {
    Objects.requireNonNull(keyAlias, "keyAlias");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(reason, "reason");
  }
}
