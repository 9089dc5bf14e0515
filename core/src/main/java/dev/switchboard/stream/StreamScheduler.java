package dev.switchboard.stream;

/**
 * Runs the stream watchdogs' timed wake-ups. The router adapts its own scheduler to this one
 * method ({@code (task, delay) -> scheduler.schedule(task, delay)::cancel}); tests pass a fake
 * that runs due tasks when a fake ticker is advanced, so no test sleeps.
 *
 * <p>Implementations must be safe for concurrent use and must run tasks on a thread other than
 * the caller's (or, in tests, when told to).
 */
@FunctionalInterface
public interface StreamScheduler {

  /** Runs {@code task} once after {@code delayNanos} (0 or less: as soon as possible). */
  Cancellable schedule(Runnable task, long delayNanos);

  /** A scheduled task that can be cancelled. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task if it has not run; does nothing otherwise. */
    void cancel();
  }
}
