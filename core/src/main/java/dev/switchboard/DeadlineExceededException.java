package dev.switchboard;

import java.util.List;

/** The call's deadline passed before any attempt succeeded. */
public final class DeadlineExceededException extends SwitchboardException {
  private static final long serialVersionUID = 1L;

  DeadlineExceededException(String message, List<AttemptRecord> attempts) {
    super(message, attempts);
  }
}
