package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.schedule.Scheduler;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DaemonSchedulerTest {

  @Test
  void runsATaskOnItsOwnDaemonThreadAndCancelledTasksNever() throws InterruptedException {
    DaemonScheduler scheduler = new DaemonScheduler();
    try {
      AtomicBoolean cancelledRan = new AtomicBoolean();
      Scheduler.Cancellable far = scheduler.schedule(() -> cancelledRan.set(true), TimeUnit.HOURS.toNanos(1));
      far.cancel();
      CountDownLatch ran = new CountDownLatch(1);
      Thread caller = Thread.currentThread();
      String[] runner = new String[1];
      boolean[] daemon = new boolean[1];
      scheduler.schedule(() -> {
        runner[0] = Thread.currentThread().getName();
        daemon[0] = Thread.currentThread().isDaemon() && Thread.currentThread() != caller;
        ran.countDown();
      }, -1);
      assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(runner[0]).isEqualTo("switchboard-scheduler");
      assertThat(daemon[0]).isTrue();
      assertThat(cancelledRan).isFalse();
    } finally {
      scheduler.close();
    }
  }

  @Test
  void closedSchedulerRunsNothingMore() throws InterruptedException {
    DaemonScheduler scheduler = new DaemonScheduler();
    AtomicBoolean ran = new AtomicBoolean();
    scheduler.schedule(() -> ran.set(true), TimeUnit.HOURS.toNanos(1));
    scheduler.close();
    assertThat(ran).isFalse();
  }
}
