package dev.switchboard;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The call's user (or tenant) has its circuit breaker open: too many of its recent calls were
 * rejected as malformed (request faults, prompts too long), so the router fails its calls fast,
 * without an attempt, until {@link #retryAfter()} has passed. Server errors, rate limits and network
 * failures never count against a user. The message names the user id, never request content.
 */
public final class UserCircuitOpenException extends SwitchboardException {
  private static final long serialVersionUID = 1L;

  private final String userId;
  private final Duration retryAfter;

  UserCircuitOpenException(String userId, Duration retryAfter) {
    super("the circuit breaker of user '" + userId + "' is open after too many rejected requests; "
        + "retry in " + retryAfter, List.of());
    this.userId = Objects.requireNonNull(userId, "userId");
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
  }

  /** Returns the user whose breaker is open. */
  public String userId() {
    return userId;
  }

  /** Returns how long until the breaker lets a probe call through. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
