package dev.switchboard;

import java.util.List;

/**
 * A call that ended without a response. Each subtype says why; every one carries all attempts
 * made ({@link #attempts()}), each with its cause. Messages name keys by alias only.
 */
public abstract sealed class SwitchboardException extends RuntimeException
    permits RequestRejectedException, BudgetExhaustedException, DeadlineExceededException,
    NoRouteException, RetriesExhaustedException, UserCircuitOpenException, AdmissionDeniedException {
  private static final long serialVersionUID = 1L;

  private final transient List<AttemptRecord> attempts;

  SwitchboardException(String message, List<AttemptRecord> attempts) {
    super(message + describe(attempts), null, false, true);
    this.attempts = List.copyOf(attempts);
  }

  /** Returns every attempt made, in order (empty when none could start). */
  public List<AttemptRecord> attempts() {
    return attempts;
  }

  private static String describe(List<AttemptRecord> attempts) {
    if (attempts.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder(" (attempts:");
    for (AttemptRecord a : attempts) {
      sb.append(' ').append(a.keyAlias()).append('/').append(a.model()).append(' ')
          .append(a.outcome()).append(a.status() > 0 ? " " + a.status() : "").append(';');
    }
    sb.setLength(sb.length() - 1);
    return sb.append(')').toString();
  }
}
