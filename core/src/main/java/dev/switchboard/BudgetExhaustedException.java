package dev.switchboard;

import java.time.Duration;
import java.util.List;

/**
 * No route had budget (or every usable one was cooling down after a 429), and capacity does not
 * return before the call's deadline. {@link #retryAfter()} says when it does.
 */
public final class BudgetExhaustedException extends SwitchboardException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  BudgetExhaustedException(String message, Duration retryAfter, List<AttemptRecord> attempts) {
    super(message, attempts);
    this.retryAfter = retryAfter;
  }

  /**
   * Returns how long from the failure until some route can take this request again; {@link
   * java.time.temporal.ChronoUnit#FOREVER}-like {@code Duration.ofSeconds(Long.MAX_VALUE)} when the
   * request is larger than any pool's capacity.
   */
  public Duration retryAfter() {
    return retryAfter;
  }
}
