package dev.switchboard;

import dev.switchboard.spi.Outcome;
import java.util.List;

/**
 * Retries ran out: the call's maximum attempts, or the router-wide retry budget. The last
 * attempt's outcome is {@link #lastOutcome()}.
 */
public final class RetriesExhaustedException extends SwitchboardException {
  private static final long serialVersionUID = 1L;

  private final boolean retryBudget;

  RetriesExhaustedException(String message, boolean retryBudget, List<AttemptRecord> attempts) {
    super(message, attempts);
    this.retryBudget = retryBudget;
  }

  /** Returns true when the router-wide retry budget refused, false when max attempts was hit. */
  public boolean retryBudgetExhausted() {
    return retryBudget;
  }

  /** Returns the last attempt's outcome, or null when there was none. */
  public Outcome lastOutcome() {
    List<AttemptRecord> a = attempts();
    return a.isEmpty() ? null : a.get(a.size() - 1).outcome();
  }
}
