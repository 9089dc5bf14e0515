package dev.switchboard;

import dev.switchboard.spi.Outcome;
import java.util.List;

/**
 * The request itself was refused (400, 413, 422, a prompt too long for every tier, or the server
 * said not to retry): it would fail the same on every key and model, so it was not retried.
 */
public final class RequestRejectedException extends SwitchboardException {
  private static final long serialVersionUID = 1L;

  private final Outcome outcome;
  private final int status;

  RequestRejectedException(String message, Outcome outcome, int status, List<AttemptRecord> attempts) {
    super(message, attempts);
    this.outcome = outcome;
    this.status = status;
  }

  /** Returns the outcome of the refusing attempt. */
  public Outcome outcome() {
    return outcome;
  }

  /** Returns the HTTP status of the refusing attempt (0 when none arrived). */
  public int status() {
    return status;
  }
}
