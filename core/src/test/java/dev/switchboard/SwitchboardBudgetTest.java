package dev.switchboard;

import static dev.switchboard.FakeTransport.error;
import static dev.switchboard.FakeTransport.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.Fixtures.Events;
import dev.switchboard.schedule.FakeScheduler;
import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.BudgetLevels;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.RouterEvent;
import dev.switchboard.spi.TransportException;
import dev.switchboard.spi.Usage;
import dev.switchboard.testkit.FakeTicker;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Budgets: acquisition before the call, refill waits, settlement, header re-sync and learning. */
class SwitchboardBudgetTest {
  private static final String OPUS = "claude-opus-4-6";
  private static final String POOL = "org-1/opus-4";

  private final FakeTicker ticker = new FakeTicker();
  private final FakeScheduler scheduler = new FakeScheduler(ticker);
  private final FakeTransport transport = new FakeTransport();
  private final Events events = new Events();

  private Switchboard.Builder builder(BucketLimits limits) {
    return Fixtures.builder(ticker, scheduler, transport, events)
        .key("a1", "sk-a1", "org-1").key("a2", "sk-a2", "org-1").model(OPUS, limits);
  }

  private static BudgetLevels levels(Switchboard router) {
    return router.snapshot().pools().get(POOL).levels();
  }

  private static long estimate(MessageRequest r) {
    return dev.switchboard.budget.HeuristicTokenEstimator.INSTANCE.estimateInputTokens(r);
  }

  @Test
  void refill_whenNoRouteHasBudget_schedulesOneWakeUpAtExactlyTheRefillTime() {
    Switchboard router = builder(Switchboard.limits(2, 100_000, 100_000)).build();
    router.send(Fixtures.request(10));
    router.send(Fixtures.request(10));

    CompletableFuture<RoutedResponse> third = router.sendAsync(Fixtures.request(10), CallOptions.DEFAULT);

    assertThat(third).isNotDone();
    assertThat(scheduler.pending()).isEqualTo(1);
    Duration wait = scheduler.nextDelay();
    assertThat(wait.toNanos()).isCloseTo(Duration.ofSeconds(30).toNanos(), within(1_000L));
    assertThat(events.of(RouterEvent.BudgetWaited.class)).singleElement()
        .satisfies(e -> assertThat(e.waitNanos()).isEqualTo(wait.toNanos()));
    scheduler.advance(wait.minusNanos(1));
    assertThat(third).isNotDone();
    assertThat(transport.sent()).hasSize(2);
    scheduler.advance(Duration.ofNanos(1));
    assertThat(third).isCompleted();
    assertThat(third.join().waited()).isEqualTo(wait);
    assertThat(transport.sent()).hasSize(3);
  }

  @Test
  void primaryOutOfBudget_spillsToTheNextTierAtOnce_whenThatTierCanServeNow() {
    Switchboard router = builder(Switchboard.limits(2, 100_000, 100_000))
        .fallbackTo("claude-sonnet-4-6", Switchboard.limits(100, 100_000, 100_000)).build();
    router.send(Fixtures.request(10));
    router.send(Fixtures.request(10));

    CompletableFuture<RoutedResponse> third = router.sendAsync(Fixtures.request(10),
        CallOptions.DEFAULT);

    assertThat(third).isCompleted();
    assertThat(third.join().model()).isEqualTo("claude-sonnet-4-6");
    assertThat(third.join().fellBack()).isTrue();
    assertThat(third.join().degraded()).as("busy, not unhealthy").isFalse();
    assertThat(third.join().waited()).isZero();
    assertThat(events.of(RouterEvent.BudgetWaited.class)).isEmpty();
  }

  @Test
  void budgetPatience_waitsForThePrimaryWhenItsRefillComesSoonEnough() {
    Switchboard router = builder(Switchboard.limits(2, 100_000, 100_000))
        .fallbackTo("claude-sonnet-4-6", Switchboard.limits(100, 100_000, 100_000))
        .budgetPatience(Duration.ofSeconds(30)).build();
    router.send(Fixtures.request(10));
    router.send(Fixtures.request(10));

    CompletableFuture<RoutedResponse> third = router.sendAsync(Fixtures.request(10),
        CallOptions.DEFAULT);

    assertThat(third).isNotDone();
    scheduler.advance(Duration.ofSeconds(30));
    assertThat(third).isCompleted();
    assertThat(third.join().model()).isEqualTo(OPUS);
    assertThat(events.of(RouterEvent.BudgetWaited.class)).hasSize(1);
  }

  @Test
  void budgetPatience_rejectsANegativeValueNamingIt() {
    assertThatThrownBy(() -> Switchboard.builder().budgetPatience(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("budgetPatience must be >= 0 but was PT-0.001S");
  }

  @Test
  void refill_thatDoesNotFitTheDeadline_failsWithWhenCapacityReturns() {
    Switchboard router = builder(Switchboard.limits(2, 100_000, 100_000)).build();
    router.send(Fixtures.request(10));
    router.send(Fixtures.request(10));

    assertThatThrownBy(() -> router.send(Fixtures.request(10),
        CallOptions.DEFAULT.deadline(Duration.ofSeconds(10))))
        .isInstanceOfSatisfying(BudgetExhaustedException.class, e -> {
          assertThat(e.retryAfter().toNanos()).isCloseTo(30_000_000_000L, within(1_000L));
          assertThat(e.attempts()).isEmpty();
          assertThat(e.getMessage()).contains("capacity returns in PT30S");
        });
  }

  @Test
  void acquire_demandLargerThanAnyBucket_failsAtOnce() {
    Switchboard router = builder(Switchboard.limits(100, 100_000, 500)).build();

    assertThatThrownBy(() -> router.send(Fixtures.request(1_000)))
        .isInstanceOf(BudgetExhaustedException.class)
        .hasMessageContaining("exceeds the capacity of every route");
    assertThat(transport.sent()).isEmpty();
  }

  @Test
  void acquire_reservesOneRequestEstimatedInputAndMaxTokensAtomically() {
    Switchboard router = builder(Switchboard.limits(100, 100_000, 10_000)).build();
    transport.thenHang();
    MessageRequest request = Fixtures.request(1_000);

    router.sendAsync(request, CallOptions.DEFAULT);

    BudgetLevels l = levels(router);
    assertThat(l.requests()).isCloseTo(99, within(1e-6));
    assertThat(l.inputTokens()).isCloseTo(100_000 - estimate(request), within(1e-6));
    assertThat(l.outputTokens()).isCloseTo(9_000, within(1e-6));
  }

  @Test
  void settle_refundsWhatTheResponseDidNotUse() {
    Switchboard router = builder(Switchboard.limits(100, 100_000, 10_000)).build();
    transport.then(ok(300, 40));

    router.send(Fixtures.request(1_000));

    BudgetLevels l = levels(router);
    assertThat(l.requests()).isCloseTo(99, within(1e-6));
    assertThat(l.inputTokens()).isCloseTo(100_000 - 300, within(1e-6));
    assertThat(l.outputTokens()).isCloseTo(10_000 - 40, within(1e-6));
  }

  @Test
  void settle_takesTheExcessAsDebt() {
    Switchboard router = builder(Switchboard.limits(100, 100_000, 1_000)).outputEstimate(100).build();
    transport.then(ok(10, 1_500));

    router.send(Fixtures.request(900));

    assertThat(levels(router).outputTokens()).isCloseTo(-500, within(1e-6));
  }

  @Test
  void settle_doesNotCountCacheReadsAsInput() {
    Switchboard router = builder(Switchboard.limits(100, 100_000, 10_000)).build();
    transport.then(ok(new Usage(100, 10, 200, 50_000, 200, 0, null), Map.of()));

    router.send(Fixtures.request(100));

    assertThat(levels(router).inputTokens()).isCloseTo(100_000 - 300, within(1e-6));
  }

  @Test
  void settle_after429_refundsTheWholeReservation() {
    Switchboard router = Fixtures.builder(ticker, scheduler, transport, events)
        .key("a1", "sk-a1", "org-1").key("b1", "sk-b1", "org-2")
        .model(OPUS, Switchboard.limits(100, 100_000, 10_000)).build();
    transport.then(error(429, "rate_limit_error", "over", null, Map.of("retry-after", "1")));

    router.send(Fixtures.request(1_000));

    BudgetLevels l = levels(router);
    assertThat(l.requests()).isCloseTo(100, within(1e-6));
    assertThat(l.inputTokens()).isCloseTo(100_000, within(1e-6));
    assertThat(l.outputTokens()).isCloseTo(10_000, within(1e-6));
  }

  @Test
  void settle_afterServerErrorOrTimeout_keepsTheReservation() {
    Switchboard router = builder(Switchboard.limits(100, 100_000, 10_000)).build();
    transport.then(error(500, "api_error", "Internal")).thenFail(TransportException.Kind.TIMEOUT);
    MessageRequest request = Fixtures.request(1_000);

    CompletableFuture<RoutedResponse> f = router.sendAsync(request, CallOptions.DEFAULT);
    scheduler.runAll();
    f.join();

    // two reservations kept in full (1,000 output each), the third settled at 5; at most 0.5 s of
    // backoff refilled in between (10,000/60 per second of output, 100/60 of requests)
    BudgetLevels l = levels(router);
    assertThat(l.outputTokens()).isBetween(10_000 - 2_005.0, 10_000 - 2_005.0 + 84);
    assertThat(l.requests()).isBetween(97.0, 97.84);
  }

  @Test
  void settle_afterConnectFailure_refundsBecauseNothingWasSent() {
    Switchboard router = builder(Switchboard.limits(100, 100_000, 10_000)).build();
    transport.thenFail(TransportException.Kind.CONNECT).then(ok(10, 10));

    router.send(Fixtures.request(1_000));

    assertThat(levels(router).requests()).isCloseTo(99, within(1e-6));
  }

  @Test
  void observe_lowersBucketsToWhatTheServerSaysRemains() {
    Switchboard router = builder(Switchboard.limits(100, 100_000, 10_000)).build();
    transport.then(ok(Usage.of(10, 10), Map.of(
        "anthropic-ratelimit-requests-limit", "100",
        "anthropic-ratelimit-requests-remaining", "3",
        "anthropic-ratelimit-input-tokens-limit", "100000",
        "anthropic-ratelimit-input-tokens-remaining", "20000")));

    router.send(Fixtures.request(100));

    BudgetLevels l = levels(router);
    assertThat(l.requests()).isLessThanOrEqualTo(3.0);
    assertThat(l.inputTokens()).isLessThanOrEqualTo(20_500.0);
  }

  @Test
  void limits_unknownAtFirst_areLearnedFromHeadersAndEnforced() {
    Switchboard router = builder(BucketLimits.UNKNOWN).build();
    assertThat(router.snapshot().pools().get(POOL).levels().limits().isUnknown()).isTrue();
    transport.otherwise(s -> ok(Usage.of(10, 10), Map.of(
        "anthropic-ratelimit-requests-limit", "2",
        "anthropic-ratelimit-requests-remaining", "1",
        "anthropic-ratelimit-input-tokens-limit", "40000",
        "anthropic-ratelimit-output-tokens-limit", "8000")));

    router.send(Fixtures.request(100));

    RouterSnapshot.Pool pool = router.snapshot().pools().get(POOL);
    assertThat(pool.learned()).isTrue();
    assertThat(pool.levels().limits()).isEqualTo(new BucketLimits(2, 40_000, 8_000));
    router.send(Fixtures.request(100));
    CompletableFuture<RoutedResponse> f = router.sendAsync(Fixtures.request(100), CallOptions.DEFAULT);
    assertThat(f).isNotDone();
    assertThat(events.of(RouterEvent.BudgetWaited.class)).hasSize(1);
  }

  @Test
  void organizationsHaveSeparatePools_keysOfOneOrganizationShareOne() {
    Switchboard router = Fixtures.builder(ticker, scheduler, transport, events)
        .key("a1", "sk-a1", "org-1").key("a2", "sk-a2", "org-1").key("b1", "sk-b1", "org-2")
        .model(OPUS, Switchboard.limits(1, 100_000, 100_000)).build();

    router.send(Fixtures.request(10));
    router.send(Fixtures.request(10));

    assertThat(transport.aliases()).containsExactly("a1", "b1");
    assertThat(router.snapshot().pools()).containsOnlyKeys("org-1/opus-4", "org-2/opus-4");
  }
}
