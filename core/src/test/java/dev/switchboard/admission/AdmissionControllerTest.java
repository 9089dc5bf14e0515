package dev.switchboard.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.admission.AdmissionRejectedException.Reason;
import dev.switchboard.schedule.FakeScheduler;
import dev.switchboard.testkit.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class AdmissionControllerTest {
  private final FakeTicker ticker = new FakeTicker();
  private final FakeScheduler scheduler = new FakeScheduler(ticker);

  private AdmissionController controller(int maxInFlight, int maxQueued) {
    return AdmissionController.builder().maxInFlight(maxInFlight).maxQueued(maxQueued)
        .ticker(ticker).scheduler(scheduler).build();
  }

  private static AdmissionRequest req(String tenant) {
    return AdmissionRequest.builder(tenant).build();
  }

  private static AdmissionRejectedException rejection(CompletableFuture<Permit> f) {
    assertThat(f).isCompletedExceptionally();
    try {
      f.join();
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(AdmissionRejectedException.class);
      return (AdmissionRejectedException) e.getCause();
    }
    throw new AssertionError("not rejected: " + f);
  }

  @Test
  void acquire_admitsAtOnceWhenSlotFree() {
    AdmissionController c = controller(2, 10);

    CompletableFuture<Permit> f = c.acquire(req("a"));

    assertThat(f).isCompleted();
    assertThat(f.join().waitedNanos()).isZero();
    assertThat(c.stats().inFlight()).isEqualTo(1);
    assertThat(c.stats().queued()).isZero();
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void acquire_neverExceedsMaxInFlight() {
    AdmissionController c = controller(2, 10);
    List<CompletableFuture<Permit>> fs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      fs.add(c.acquire(req("a")));
    }

    assertThat(fs.stream().filter(CompletableFuture::isDone).count()).isEqualTo(2);
    assertThat(c.stats().inFlight()).isEqualTo(2);
    assertThat(c.stats().queued()).isEqualTo(3);

    ticker.advanceMillis(250);
    fs.get(0).join().close();

    assertThat(fs.get(2)).isCompleted();
    assertThat(fs.get(2).join().waitedNanos()).isEqualTo(Duration.ofMillis(250).toNanos());
    assertThat(fs.get(3)).isNotDone();
    assertThat(c.stats().inFlight()).isEqualTo(2);
    assertThat(c.stats().queued()).isEqualTo(2);
  }

  @Test
  void acquire_isFifoWithinTenant() {
    AdmissionController c = controller(1, 100);
    Permit blocker = c.acquire(req("x")).join();
    List<CompletableFuture<Permit>> fs = new ArrayList<>();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      int index = i;
      CompletableFuture<Permit> f = c.acquire(req("a"));
      f.thenAccept(p -> order.add(index));
      fs.add(f);
    }

    blocker.close();
    for (CompletableFuture<Permit> f : fs) {
      f.join().close();
    }

    assertThat(order).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(c.stats().inFlight()).isZero();
  }

  @Test
  void acquire_servesHigherPriorityFirst() {
    AdmissionController c = controller(1, 100);
    Permit blocker = c.acquire(req("x")).join();
    List<Priority> order = new ArrayList<>();
    for (Priority p : new Priority[] {Priority.BATCH, Priority.STANDARD, Priority.INTERACTIVE,
        Priority.BATCH, Priority.INTERACTIVE}) {
      c.acquire(AdmissionRequest.builder("a").priority(p).build())
          .thenAccept(permit -> {
            order.add(p);
            permit.close();
          });
    }

    blocker.close();

    assertThat(order).containsExactly(Priority.INTERACTIVE, Priority.INTERACTIVE,
        Priority.STANDARD, Priority.BATCH, Priority.BATCH);
    assertThat(c.stats().inFlight()).isZero();
    assertThat(c.stats().queued()).isZero();
  }

  @Test
  void acquire_rejectsWhenQueueFull() {
    AdmissionController c = controller(1, 2);
    c.acquire(req("a"));
    c.acquire(req("a"));
    c.acquire(req("a"));

    AdmissionRejectedException e = rejection(c.acquire(req("a")));

    assertThat(e.reason()).isEqualTo(Reason.QUEUE_FULL);
    assertThat(e.retryAfter()).isEmpty();
    assertThat(e.tenant()).isEqualTo("a");
    assertThat(e).hasMessage("admission rejected (QUEUE_FULL) for tenant 'a' at STANDARD: "
        + "the queue holds maxQueued=2 calls");
    assertThat(c.stats().rejections(Reason.QUEUE_FULL)).isEqualTo(1);
    assertThat(c.stats().queued()).isEqualTo(2);
  }

  @Test
  void acquire_withZeroQueueRejectsAnyWait() {
    AdmissionController c = controller(1, 0);
    c.acquire(req("a"));

    assertThat(rejection(c.acquire(req("b"))).reason()).isEqualTo(Reason.QUEUE_FULL);
  }

  @Test
  void acquire_fullQueueDisplacesNewestWaiterOfLowerPriority() {
    AdmissionController c = controller(1, 2);
    c.acquire(req("x"));
    CompletableFuture<Permit> batch1 =
        c.acquire(AdmissionRequest.builder("b").priority(Priority.BATCH).build());
    CompletableFuture<Permit> batch2 =
        c.acquire(AdmissionRequest.builder("b").priority(Priority.BATCH).build());

    CompletableFuture<Permit> interactive =
        c.acquire(AdmissionRequest.builder("i").priority(Priority.INTERACTIVE).build());

    assertThat(interactive).isNotDone();
    assertThat(batch1).isNotDone();
    assertThat(rejection(batch2).reason()).isEqualTo(Reason.QUEUE_FULL);
    assertThat(c.stats().queued()).isEqualTo(2);
  }

  @Test
  void acquire_fullQueueDisplacesNoisyTenantsNewestWaiter() {
    AdmissionController c = controller(1, 3);
    c.acquire(req("x"));
    CompletableFuture<Permit> noisy1 = c.acquire(req("noisy"));
    CompletableFuture<Permit> noisy2 = c.acquire(req("noisy"));
    CompletableFuture<Permit> noisy3 = c.acquire(req("noisy"));

    CompletableFuture<Permit> quiet = c.acquire(req("quiet"));

    assertThat(quiet).isNotDone();
    assertThat(rejection(noisy3).reason()).isEqualTo(Reason.QUEUE_FULL);
    assertThat(noisy1).isNotDone();
    assertThat(noisy2).isNotDone();
    // the quiet tenant now holds 1 of 3, noisy 2: a second quiet call would hold as much as noisy
    assertThat(rejection(c.acquire(req("quiet"))).reason()).isEqualTo(Reason.QUEUE_FULL);
  }

  @Test
  void acquire_rejectsDeadlineAlreadyPassed() {
    AdmissionController c = controller(1, 10);

    AdmissionRejectedException e = rejection(c.acquire(
        AdmissionRequest.builder("a").deadlineNanos(ticker.read()).build()));

    assertThat(e.reason()).isEqualTo(Reason.DEADLINE_UNREACHABLE);
    assertThat(c.stats().inFlight()).isZero();
  }

  @Test
  void acquire_expiresWaiterAtItsDeadline() {
    AdmissionController c = controller(1, 10);
    Permit held = c.acquire(req("a")).join();
    CompletableFuture<Permit> waiting = c.acquire(
        AdmissionRequest.builder("b").deadlineNanos(ticker.read() + 2_000_000_000L).build());
    CompletableFuture<Permit> patient = c.acquire(req("c"));

    scheduler.advance(Duration.ofMillis(1_999));
    assertThat(waiting).isNotDone();

    scheduler.advance(Duration.ofMillis(1));
    AdmissionRejectedException e = rejection(waiting);
    assertThat(e.reason()).isEqualTo(Reason.DEADLINE_UNREACHABLE);
    assertThat(e.getMessage()).contains("while queued for PT2S");
    assertThat(c.stats().queued()).isEqualTo(1);
    assertThat(c.stats().rejections(Reason.DEADLINE_UNREACHABLE)).isEqualTo(1);

    held.close();
    assertThat(patient).isCompleted();
    assertThat(c.stats().inFlight()).isEqualTo(1);
  }

  @Test
  void acquire_cancelsDeadlineTimerWhenAdmitted() {
    AdmissionController c = controller(1, 10);
    Permit held = c.acquire(req("a")).join();
    CompletableFuture<Permit> waiting = c.acquire(
        AdmissionRequest.builder("b").deadlineNanos(ticker.read() + 2_000_000_000L).build());
    assertThat(scheduler.pending()).isEqualTo(1);

    held.close();

    assertThat(waiting).isCompleted();
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void cancel_whileQueuedRemovesWaiterAndLeaksNoSlot() {
    AdmissionController c = controller(1, 10);
    Permit held = c.acquire(req("a")).join();
    CompletableFuture<Permit> cancelled = c.acquire(req("b"));
    CompletableFuture<Permit> next = c.acquire(req("c"));

    assertThat(cancelled.cancel(true)).isTrue();

    assertThat(c.stats().queued()).isEqualTo(1);
    assertThat(c.stats().cancelled()).isEqualTo(1);
    held.close();
    assertThat(next).isCompleted();
    next.join().close();
    assertThat(c.stats().inFlight()).isZero();
    assertThat(c.stats().queued()).isZero();
    assertThat(c.trackedTenants()).isZero();
    assertThat(c.acquire(req("d"))).isCompleted();
  }

  @Test
  void cancel_racingAGrantReturnsTheSlotAndTheCharge() {
    // Two waiters are granted in one step (a refund unblocks their tenant); the first one's
    // callback cancels the second before its grant is delivered: that slot and charge come back.
    AdmissionController c = AdmissionController.builder().maxInFlight(3).maxQueued(10)
        .ticker(ticker).scheduler(scheduler)
        .tenant("t", TenantPolicy.builder().tokensPerMinute(600).build()).build();
    Permit drain = c.acquire(AdmissionRequest.builder("t").estimatedTokens(600).build()).join();
    CompletableFuture<Permit> first =
        c.acquire(AdmissionRequest.builder("t").estimatedTokens(100).build());
    CompletableFuture<Permit> second =
        c.acquire(AdmissionRequest.builder("t").estimatedTokens(100).build());
    CompletableFuture<Permit> other = c.acquire(req("other"));
    assertThat(first).isNotDone();
    assertThat(other).isCompleted();
    first.thenAccept(p -> second.cancel(true));

    drain.release(0, 0.0); // refunds all 600 tokens

    assertThat(first).isCompleted();
    assertThat(second).isCancelled();
    assertThat(c.stats().inFlight()).isEqualTo(2); // first and other
    assertThat(c.stats().queued()).isZero();
    assertThat(c.stats().cancelled()).isZero(); // it was granted, not withdrawn from the queue
    // 600 - 100 (first) = 500 left only if the cancelled grant's 100 were refunded
    assertThat(c.acquire(AdmissionRequest.builder("t").estimatedTokens(500).build())).isCompleted();
  }

  @Test
  void release_isExactlyOnce() {
    AdmissionController c = controller(1, 10);
    Permit p = c.acquire(req("a")).join();
    CompletableFuture<Permit> w1 = c.acquire(req("b"));
    CompletableFuture<Permit> w2 = c.acquire(req("c"));

    p.close();
    p.close();
    p.release(10, 1.0);
    p.releaseUnused();

    assertThat(p.isReleased()).isTrue();
    assertThat(w1).isCompleted();
    assertThat(w2).isNotDone();
    assertThat(c.stats().inFlight()).isEqualTo(1);
    assertThat(c.stats().queued()).isEqualTo(1);
  }

  @Test
  void release_withBadValuesKeepsPermitHeld() {
    AdmissionController c = controller(1, 10);
    Permit p = c.acquire(req("a")).join();

    assertThatThrownBy(() -> p.release(-1, 0.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("actualTokens must be >= 0 but was -1");
    assertThatThrownBy(() -> p.release(1, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("actualCost must be finite and >= 0 but was NaN");
    assertThat(p.isReleased()).isFalse();
    assertThat(c.stats().inFlight()).isEqualTo(1);

    p.close();
    assertThat(c.stats().inFlight()).isZero();
  }

  @Test
  void close_rejectsWaitersAndNewCallsButLetsPermitsRelease() {
    AdmissionController c = controller(1, 10);
    Permit held = c.acquire(req("a")).join();
    CompletableFuture<Permit> waiting = c.acquire(
        AdmissionRequest.builder("b").deadlineNanos(ticker.read() + 1_000_000_000L).build());

    c.close();

    assertThat(rejection(waiting).reason()).isEqualTo(Reason.SHUTDOWN);
    assertThat(rejection(c.acquire(req("c"))).reason()).isEqualTo(Reason.SHUTDOWN);
    assertThat(scheduler.pending()).isZero();
    held.close();
    assertThat(c.stats().inFlight()).isZero();
    assertThat(c.stats().queued()).isZero();
    c.close();
  }

  @Test
  void stats_recordWaitPerPriority() {
    AdmissionController c = controller(1, 10);
    Permit held = c.acquire(AdmissionRequest.builder("a").priority(Priority.INTERACTIVE).build())
        .join();
    CompletableFuture<Permit> batch =
        c.acquire(AdmissionRequest.builder("b").priority(Priority.BATCH).build());
    ticker.advanceMillis(300);
    held.close();

    AdmissionStats s = c.stats();

    assertThat(batch.join().waitedNanos()).isEqualTo(300_000_000L);
    assertThat(s.waits(Priority.INTERACTIVE)).isEqualTo(new AdmissionStats.WaitStats(1, 0, 0));
    assertThat(s.waits(Priority.BATCH))
        .isEqualTo(new AdmissionStats.WaitStats(1, 300_000_000L, 300_000_000L));
    assertThat(s.waits(Priority.STANDARD)).isEqualTo(AdmissionStats.WaitStats.EMPTY);
    assertThat(s.waits(Priority.BATCH).meanWaitNanos()).isEqualTo(300_000_000.0);
  }

  @Test
  void release_chainedInCallbacksDoesNotGrowTheStack() {
    AdmissionController c = controller(1, 20_000);
    Permit held = c.acquire(req("a")).join();
    int[] done = new int[1];
    for (int i = 0; i < 10_000; i++) {
      c.acquire(req("a")).thenAccept(p -> {
        done[0]++;
        p.close();
      });
    }

    held.close(); // each callback's release admits the next: must not overflow the stack

    assertThat(done[0]).isEqualTo(10_000);
    assertThat(c.stats().inFlight()).isZero();
    assertThat(c.trackedTenants()).isZero();
  }
}
