package dev.switchboard.stream;

import java.time.Duration;
import java.util.Objects;

/**
 * A stream watchdog expired: the attempt was cancelled because a byte, a first token or the next
 * event did not arrive in time, or the call's deadline came. The router treats it as a network
 * outcome (another key may serve at once). The message names the phase and the limit only.
 */
public final class StreamTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Which watchdog expired. */
  public enum Phase {
    /** No response headers within {@link StreamTimeouts#firstByte()}. */
    FIRST_BYTE,
    /** No content delta within {@link StreamTimeouts#firstToken()}. */
    FIRST_TOKEN,
    /** No progress within {@link StreamTimeouts#idle()} (plus the ping allowance when pinged). */
    IDLE,
    /** The call's deadline came first. */
    DEADLINE
  }

  private final Phase phase;
  private final Duration limit;

  /**
   * Returns an exception for {@code phase}, whose limit was {@code limit}.
   *
   * @throws NullPointerException if an argument is null
   */
  public StreamTimeoutException(Phase phase, Duration limit) {
    super(describe(phase, limit), null, false, false);
    this.phase = Objects.requireNonNull(phase, "phase");
    this.limit = limit;
  }

  /** Returns the watchdog that expired. */
  public Phase phase() {
    return phase;
  }

  /** Returns the limit that was exceeded (for {@link Phase#DEADLINE}: the time the attempt had). */
  public Duration limit() {
    return limit;
  }

  private static String describe(Phase phase, Duration limit) {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(limit, "limit");
    return switch (phase) {
      case FIRST_BYTE -> "no response headers within " + limit;
      case FIRST_TOKEN -> "no content within " + limit;
      case IDLE -> "stream idle for " + limit;
      case DEADLINE -> "deadline reached after " + limit;
    };
  }
}
