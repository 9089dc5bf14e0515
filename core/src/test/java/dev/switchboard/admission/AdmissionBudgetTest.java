package dev.switchboard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.admission.AdmissionRejectedException.Reason;
import dev.switchboard.schedule.FakeScheduler;
import dev.switchboard.testkit.FakeTicker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class AdmissionBudgetTest {
  private final FakeTicker ticker = new FakeTicker();
  private final FakeScheduler scheduler = new FakeScheduler(ticker);

  /** 6,000 tokens per minute = 100 per second. */
  private AdmissionController tpm() {
    return AdmissionController.builder().maxInFlight(10).maxQueued(100)
        .ticker(ticker).scheduler(scheduler)
        .tenant("t", TenantPolicy.builder().tokensPerMinute(6_000).build()).build();
  }

  /** $1 per hour. */
  private AdmissionController spend() {
    return AdmissionController.builder().maxInFlight(10).maxQueued(100)
        .ticker(ticker).scheduler(scheduler)
        .tenant("t", TenantPolicy.builder().spendCap(1.0, Duration.ofHours(1)).build()).build();
  }

  private static AdmissionRequest tokens(String tenant, long tokens) {
    return AdmissionRequest.builder(tenant).estimatedTokens(tokens).build();
  }

  private static AdmissionRequest cost(String tenant, double cost) {
    return AdmissionRequest.builder(tenant).estimatedCost(cost).build();
  }

  private static AdmissionRejectedException rejection(CompletableFuture<Permit> f) {
    try {
      f.join();
    } catch (CompletionException e) {
      return (AdmissionRejectedException) e.getCause();
    }
    throw new AssertionError("not rejected");
  }

  @Test
  void acquire_waitsForTokenRefillExactly() {
    AdmissionController c = tpm();
    c.acquire(tokens("t", 6_000)).join();

    CompletableFuture<Permit> waiting = c.acquire(tokens("t", 600)); // 6 s of refill

    assertThat(waiting).isNotDone();
    assertThat(scheduler.delays()).containsExactly(6_000_000_000L);
    scheduler.advance(Duration.ofNanos(6_000_000_000L - 1));
    assertThat(waiting).isNotDone();
    scheduler.advance(Duration.ofNanos(1));
    assertThat(waiting).isCompleted();
    assertThat(waiting.join().waitedNanos()).isEqualTo(6_000_000_000L);
  }

  @Test
  void acquire_budgetWaitDoesNotBlockOtherTenants() {
    AdmissionController c = tpm();
    c.acquire(tokens("t", 6_000)).join();
    CompletableFuture<Permit> waiting = c.acquire(tokens("t", 600));

    CompletableFuture<Permit> other = c.acquire(tokens("u", 1_000_000));

    assertThat(other).isCompleted();
    assertThat(waiting).isNotDone();
    assertThat(c.stats().queued()).isEqualTo(1);
  }

  @Test
  void acquire_budgetWaitKeepsTenantFifo() {
    AdmissionController c = tpm();
    c.acquire(tokens("t", 6_000)).join();
    CompletableFuture<Permit> big = c.acquire(tokens("t", 600));

    CompletableFuture<Permit> small = c.acquire(tokens("t", 1));

    assertThat(small).isNotDone();
    scheduler.advance(Duration.ofSeconds(6));
    assertThat(big).isCompleted();
    assertThat(small).isNotDone(); // the bucket is empty again
    scheduler.advance(Duration.ofMillis(10));
    assertThat(small).isCompleted();
  }

  @Test
  void acquire_rejectsWhenRefillMissesDeadline() {
    AdmissionController c = tpm();
    c.acquire(tokens("t", 6_000)).join();

    AdmissionRejectedException e = rejection(c.acquire(AdmissionRequest.builder("t")
        .estimatedTokens(600).deadlineNanos(ticker.read() + 5_000_000_000L).build()));

    assertThat(e.reason()).isEqualTo(Reason.TENANT_BUDGET);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(6));
    assertThat(c.stats().rejections(Reason.TENANT_BUDGET)).isEqualTo(1);
    assertThat(c.stats().queued()).isZero();
  }

  @Test
  void acquire_rejectsEstimateAboveWholeBudget() {
    AdmissionController c = tpm();

    AdmissionRejectedException e = rejection(c.acquire(tokens("t", 6_001)));

    assertThat(e.reason()).isEqualTo(Reason.TENANT_BUDGET);
    assertThat(e.retryAfter()).isEmpty();
    assertThat(e).hasMessage("admission rejected (TENANT_BUDGET) for tenant 't' at STANDARD: "
        + "estimatedTokens=6001 exceeds the tenant's whole budget of 6000 tokens per minute");
  }

  @Test
  void release_refundsUnusedTokensAndWakesWaiter() {
    AdmissionController c = tpm();
    Permit p = c.acquire(tokens("t", 6_000)).join();
    CompletableFuture<Permit> waiting = c.acquire(tokens("t", 3_000));

    p.release(2_000, 0.0); // 4,000 refunded

    assertThat(waiting).isCompleted();
    // 1,000 left: a call for 1,000 fits, one more token does not
    assertThat(c.acquire(tokens("t", 1_000))).isCompleted();
    assertThat(c.acquire(tokens("t", 1))).isNotDone();
  }

  @Test
  void release_chargesOverrunAsDebt() {
    AdmissionController c = tpm();
    Permit p = c.acquire(tokens("t", 1_000)).join();

    p.release(7_000, 0.0); // 5,000 tokens left - 6,000 more = 1,000 in debt

    CompletableFuture<Permit> next = c.acquire(tokens("t", 100));
    assertThat(next).isNotDone();
    scheduler.advance(Duration.ofSeconds(11));
    assertThat(next).isCompleted();
  }

  @Test
  void releaseUnused_refundsEverything() {
    AdmissionController c = tpm();
    Permit p = c.acquire(tokens("t", 6_000)).join();

    p.releaseUnused();

    assertThat(c.acquire(tokens("t", 6_000))).isCompleted();
  }

  @Test
  void acquire_spendCapWaitsForNextWindow() {
    AdmissionController c = spend();
    c.acquire(cost("t", 0.6)).join();
    ticker.advance(Duration.ofMinutes(10));

    CompletableFuture<Permit> waiting = c.acquire(cost("t", 0.6));

    assertThat(waiting).isNotDone();
    scheduler.advance(Duration.ofMinutes(50).minusNanos(1));
    assertThat(waiting).isNotDone();
    scheduler.advance(Duration.ofNanos(1));
    assertThat(waiting).isCompleted();
  }

  @Test
  void acquire_spendCapRejectsWhenWindowOutlastsDeadline() {
    AdmissionController c = spend();
    c.acquire(cost("t", 0.6)).join();

    AdmissionRejectedException e = rejection(c.acquire(AdmissionRequest.builder("t")
        .estimatedCost(0.6).deadlineNanos(ticker.read() + 60_000_000_000L).build()));

    assertThat(e.reason()).isEqualTo(Reason.TENANT_BUDGET);
    assertThat(e.retryAfter()).contains(Duration.ofHours(1));
  }

  @Test
  void acquire_spendCapRejectsCostAboveCap() {
    AdmissionController c = spend();

    AdmissionRejectedException e = rejection(c.acquire(cost("t", 1.5)));

    assertThat(e.reason()).isEqualTo(Reason.TENANT_BUDGET);
    assertThat(e.getMessage()).contains("estimatedCost=1.5 exceeds the tenant's spend cap of 1.0 per PT1H");
  }

  @Test
  void release_settlesSpendWithRealCost() {
    AdmissionController c = spend();
    Permit p = c.acquire(cost("t", 0.6)).join();
    CompletableFuture<Permit> waiting = c.acquire(cost("t", 0.6));
    assertThat(waiting).isNotDone();

    p.release(0, 0.3); // 0.3 spent

    assertThat(waiting).isCompleted(); // 0.9 spent
    assertThat(c.acquire(cost("t", 0.1))).isCompleted();
    assertThat(c.acquire(cost("t", 0.05))).isNotDone();
  }

  @Test
  void release_overrunAfterWindowEndedChargesNextWindow() {
    AdmissionController c = spend();
    Permit p = c.acquire(cost("t", 0.1)).join();
    ticker.advance(Duration.ofHours(2));

    p.release(0, 0.9); // 0.8 over the estimate, charged to the new window

    assertThat(c.acquire(cost("t", 0.2))).isCompleted();
    assertThat(c.acquire(cost("t", 0.01))).isNotDone();
  }

  @Test
  void release_forgetsIdleTenantsOnceRefilled() {
    AdmissionController c = tpm();
    c.acquire(tokens("plain", 5)).join().close();
    assertThat(c.trackedTenants()).isZero();

    Permit p = c.acquire(tokens("t", 600)).join();
    p.close();
    assertThat(c.trackedTenants()).isEqualTo(1); // its bucket is 600 short

    ticker.advance(Duration.ofSeconds(6));
    c.acquire(tokens("plain", 5)).join().close();
    assertThat(c.trackedTenants()).isEqualTo(1); // refill is noticed on t's next event only
    c.acquire(tokens("t", 0)).join().close();
    assertThat(c.trackedTenants()).isZero();
  }

  @Test
  void acquire_rejectedNewTenantLeavesNoState() {
    AdmissionController c = tpm();

    rejection(c.acquire(tokens("t", 10_000)));

    assertThat(c.trackedTenants()).isZero();
  }

  @Test
  void cancel_ofBudgetBlockedHeadRearmsTimerForTheNextCall() {
    AdmissionController c = tpm();
    c.acquire(tokens("t", 6_000)).join();
    CompletableFuture<Permit> big = c.acquire(tokens("t", 600)); // needs 6 s
    CompletableFuture<Permit> small = c.acquire(tokens("t", 60)); // needs 0.6 s, queued behind

    big.cancel(true);

    assertThat(scheduler.pending()).isEqualTo(1); // the 6 s wake-up was replaced
    scheduler.advance(Duration.ofMillis(599));
    assertThat(small).isNotDone();
    scheduler.advance(Duration.ofMillis(1));
    assertThat(small).isCompleted();
  }
}
