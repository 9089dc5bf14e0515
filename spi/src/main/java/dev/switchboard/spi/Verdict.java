package dev.switchboard.spi;

import java.util.Objects;

/**
 * An {@link ErrorClassifier}'s judgement of one attempt.
 *
 * @param outcome what the result means for routing
 * @param retryable whether another attempt (another key, model or time) may succeed
 * @param reason a short, secret-free explanation for events and exceptions
 */
public record Verdict(Outcome outcome, boolean retryable, String reason) {
  public Verdict {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
  }
}
