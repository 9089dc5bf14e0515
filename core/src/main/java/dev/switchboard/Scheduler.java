package dev.switchboard;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs timed wake-ups (budget refill, cooldown end, backoff, attempt timeout) without holding a
 * thread per waiting call. Production uses one daemon {@link ScheduledExecutorService} thread;
 * tests pass a fake that runs due tasks when a fake ticker is advanced.
 */
interface Scheduler extends AutoCloseable {

  /** Runs {@code task} after {@code delayNanos}; the handle cancels it. */
  Cancellable schedule(Runnable task, long delayNanos);

  /** Stops the scheduler; pending tasks are dropped. */
  @Override
  void close();

  /** A scheduled task that can be cancelled. */
  interface Cancellable {
    /** Cancels the task if it has not run. */
    void cancel();
  }

  /** Returns a scheduler backed by one daemon thread. */
  static Scheduler daemon() {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "switchboard-scheduler");
      t.setDaemon(true);
      return t;
    });
    return new Scheduler() {
      @Override
      public Cancellable schedule(Runnable task, long delayNanos) {
        ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
      }

      @Override
      public void close() {
        executor.shutdownNow();
      }
    };
  }
}
