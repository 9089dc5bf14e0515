package dev.switchboard.admission;

import dev.switchboard.schedule.FakeScheduler;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.schedule.Scheduler;
import dev.switchboard.testkit.FakeTicker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdmissionConcurrencyTest {

  @Test
  void acquireRelease_underContentionLosesNoWakeUpAndLeaksNoSlot() throws Exception {
    FakeTicker ticker = new FakeTicker();
    AdmissionController c = AdmissionController.builder().maxInFlight(3).maxQueued(10_000)
        .ticker(ticker).scheduler(new FakeScheduler(ticker))
        .tenant("t0", TenantPolicy.builder().weight(3).build())
        .build();
    int threads = 8;
    int iterations = 2_000;
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger maxConcurrent = new AtomicInteger();
    AtomicInteger admitted = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < iterations; i++) {
            Priority priority = Priority.values()[(thread + i) % 3];
            CompletableFuture<Permit> f = c.acquire(
                AdmissionRequest.builder("t" + (thread % 4)).priority(priority).build());
            if (i % 5 == 0 && f.cancel(true)) {
              continue;
            }
            Permit p = f.get(30, TimeUnit.SECONDS);
            int now = concurrent.incrementAndGet();
            maxConcurrent.accumulateAndGet(now, Math::max);
            admitted.incrementAndGet();
            concurrent.decrementAndGet();
            if (i % 2 == 0) {
              p.close();
            } else {
              p.release(i, 0.0);
            }
            p.close(); // a second release is a no-op
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    AdmissionStats s = c.stats();
    assertThat(s.inFlight()).isZero();
    assertThat(s.queued()).isZero();
    assertThat(maxConcurrent.get()).isLessThanOrEqualTo(3);
    long totalAdmitted = 0;
    for (Priority p : Priority.values()) {
      totalAdmitted += s.waits(p).admitted();
    }
    // every admission was either used or was a grant racing a cancellation (given back)
    assertThat(totalAdmitted).isGreaterThanOrEqualTo(admitted.get());
    assertThat(admitted.get() + s.cancelled()).isLessThanOrEqualTo((long) threads * iterations);
    // after the storm a fresh call is admitted at once
    assertThat(c.acquire(AdmissionRequest.builder("late").build())).isCompleted();
  }

  @Test
  void acquire_withRealTimersAndDeadlinesCompletesEveryCall() throws Exception {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    timer.setRemoveOnCancelPolicy(true);
    AdmissionController c = AdmissionController.builder().maxInFlight(2).maxQueued(64)
        .scheduler(Scheduler.of(timer)).build();
    int threads = 6;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger expired = new AtomicInteger();
    AtomicInteger served = new AtomicInteger();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < 300; i++) {
            long deadline = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(200 + i % 7 * 100);
            CompletableFuture<Permit> f = c.acquire(AdmissionRequest.builder("t" + i % 3)
                .deadlineNanos(deadline).build());
            try {
              Permit p = f.get(30, TimeUnit.SECONDS);
              served.incrementAndGet();
              p.close();
            } catch (java.util.concurrent.ExecutionException e) {
              assertThat(e.getCause()).isInstanceOf(AdmissionRejectedException.class);
              assertThat(((AdmissionRejectedException) e.getCause()).reason())
                  .isEqualTo(AdmissionRejectedException.Reason.DEADLINE_UNREACHABLE);
              expired.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      timer.shutdownNow();
    }

    assertThat(served.get() + expired.get()).isEqualTo(threads * 300);
    assertThat(c.stats().inFlight()).isZero();
    assertThat(c.stats().queued()).isZero();
    assertThat(c.stats().rejections(AdmissionRejectedException.Reason.DEADLINE_UNREACHABLE))
        .isEqualTo(expired.get());
  }
}
