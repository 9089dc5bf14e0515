package dev.switchboard;

import java.util.List;

/**
 * No key × model route could be used: every key is disabled (or lacks every tier's model), or
 * every tier's breaker is open, with no time in the deadline for one to recover.
 */
public final class NoRouteException extends SwitchboardException {
  private static final long serialVersionUID = 1L;

  NoRouteException(String message, List<AttemptRecord> attempts) {
    super(message, attempts);
  }
}
