package dev.switchboard;

import dev.switchboard.schedule.Scheduler;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The scheduler a router creates when it is given none: one daemon thread named {@code
 * switchboard-scheduler}, cancelled tasks removed from its queue at once, stopped by {@link
 * #close} (pending tasks are dropped).
 */
final class DaemonScheduler implements Scheduler, AutoCloseable {
  private final ScheduledThreadPoolExecutor executor;
  private final Scheduler scheduler;

  DaemonScheduler() {
    executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "switchboard-scheduler");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    scheduler = Scheduler.of(executor);
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    return scheduler.schedule(task, delayNanos);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
