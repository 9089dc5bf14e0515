package dev.switchboard.schedule;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs the router's timed wake-ups without holding a thread per waiting call: budget refills,
 * cooldown ends, backoffs and attempt timeouts of calls, stream watchdogs, and the admission
 * controller's queue deadlines and token refills. The one scheduling abstraction of core.
 * Production uses {@link #of} over a {@link ScheduledExecutorService} or {@link #shared()}; tests
 * pass a fake that runs due tasks when a fake ticker is advanced, so no test sleeps.
 *
 * <p>Implementations must be thread-safe and must never run a task on the thread that calls
 * {@link #schedule} (callers schedule while holding their locks).
 */
@FunctionalInterface
public interface Scheduler {

  /**
   * Runs {@code task} once, {@code delayNanos} from now (at once when not positive), on some other
   * thread.
   *
   * @return a handle that cancels the task if it has not run yet
   */
  Cancellable schedule(Runnable task, long delayNanos);

  /** A scheduled task that can be cancelled. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task if it has not run; does nothing otherwise. */
    void cancel();
  }

  /**
   * Returns a scheduler over {@code executor}. The caller owns the executor and shuts it down. Pass a
   * {@link java.util.concurrent.ScheduledThreadPoolExecutor}: a cancelled task is then removed from
   * its queue at once, so the deadline timers of calls admitted early do not pile up until they
   * would have been due (the wrappers of {@code Executors.newSingleThreadScheduledExecutor()} keep
   * them).
   *
   * @throws NullPointerException if {@code executor} is null
   */
  static Scheduler of(ScheduledExecutorService executor) {
    Objects.requireNonNull(executor, "executor");
    return (task, delayNanos) -> {
      ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
      return () -> {
        if (f.cancel(false) && executor instanceof ThreadPoolExecutor pool
            && f instanceof Runnable queued) {
          pool.remove(queued);
        }
      };
    };
  }

  /**
   * Returns the process-wide default of the admission controller: one lazily started daemon
   * thread named {@code switchboard-admission-timer}, which never needs shutting down. Tasks must
   * be short.
   */
  static Scheduler shared() {
    return SharedScheduler.INSTANCE;
  }
}

/** Holds the lazily created shared scheduler. */
final class SharedScheduler {
  static final Scheduler INSTANCE = Scheduler.of(executor());

  private SharedScheduler() {}

  private static ScheduledThreadPoolExecutor executor() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "switchboard-admission-timer");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }
}
