package dev.switchboard.spi;

import java.time.Duration;

/**
 * The decisions a router reports to its {@link RouterListener}. Every event names keys by alias
 * only; none carries a secret or message content. {@code callId} ties the events of one call.
 */
public sealed interface RouterEvent {

  /** An attempt is about to be sent. */
  record AttemptStarted(long callId, int attempt, String keyAlias, String organization, String model,
      String userId) implements RouterEvent {}

  /**
   * An attempt ended.
   *
   * @param status the HTTP status, or 0 when no response arrived
   * @param reason the classifier's reason
   */
  record AttemptFinished(long callId, int attempt, String keyAlias, String model, Outcome outcome,
      int status, long latencyNanos, String reason) implements RouterEvent {}

  /** A scope (a key × model pool, a model, …) is cooled down. */
  record CooledDown(String scope, String keyAlias, String model, Duration duration, String reason)
      implements RouterEvent {}

  /** A key was disabled; it will not be used until re-enabled. Must page someone. */
  record KeyDisabled(String keyAlias, String organization, Outcome outcome, String reason)
      implements RouterEvent {}

  /** A key was enabled again. */
  record KeyEnabled(String keyAlias) implements RouterEvent {}

  /** A model was skipped for a key (404). */
  record ModelDisabled(String keyAlias, String model, String reason) implements RouterEvent {}

  /** A circuit breaker changed state. */
  record BreakerStateChanged(String breaker, BreakerState from, BreakerState to) implements RouterEvent {}

  /** A call moved from one model tier to the next. */
  record FellBack(long callId, String fromModel, String toModel, String reason) implements RouterEvent {}

  /** A call waits for budget to refill (no route could serve it now). */
  record BudgetWaited(long callId, String model, long waitNanos) implements RouterEvent {}

  /** A retry was refused because the router's retry budget is spent. */
  record RetryBudgetExhausted(long callId, String reason) implements RouterEvent {}

  /**
   * A call ended.
   *
   * @param success true when it returned a response (fresh, cached or degraded)
   * @param outcome the last attempt's outcome (SUCCESS for a success)
   */
  record CallFinished(long callId, String userId, String model, String keyAlias, boolean success,
      Outcome outcome, int attempts, long latencyNanos, boolean fallback, boolean cached,
      boolean degraded) implements RouterEvent {}

  /**
   * A routed stream ended (before its {@link CallFinished}): its statistics as the caller saw them.
   *
   * @param model the model of the last attempt (null when no attempt was made)
   * @param keyAlias the alias of the last attempt's key (null when none)
   * @param timeToFirstTokenNanos from the call's start to the first content token the caller
   *     received, or -1 when none arrived
   * @param outputTokens output tokens the caller received (summed over a continuation)
   * @param outputTokensPerSecond output tokens ÷ the time from the first token to the end (0 when
   *     not measurable)
   * @param durationNanos from the call's start to the stream's end
   * @param outcome COMPLETE, INTERRUPTED (ended after content), FAILED (ended before content) or
   *     CANCELLED (by the caller)
   * @param continued true when the answer was finished on another route after an interruption
   */
  record StreamFinished(long callId, String model, String keyAlias, long timeToFirstTokenNanos,
      long outputTokens, double outputTokensPerSecond, long durationNanos, StreamEnd outcome,
      boolean continued) implements RouterEvent {}

  /** How a routed stream ended, for {@link StreamFinished}. */
  enum StreamEnd {
    /** {@code message_stop} reached the caller. */
    COMPLETE,
    /** The stream failed after content had reached the caller. */
    INTERRUPTED,
    /** The stream failed before any content reached the caller. */
    FAILED,
    /** The caller cancelled it. */
    CANCELLED
  }
}
