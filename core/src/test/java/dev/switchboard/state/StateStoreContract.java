package dev.switchboard.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.spi.BreakerConfig;
import dev.switchboard.spi.BreakerPermit;
import dev.switchboard.spi.BreakerState;
import dev.switchboard.spi.BreakerStore;
import dev.switchboard.spi.BreakerTransition;
import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.BucketLimits.Dimension;
import dev.switchboard.spi.BudgetGrant;
import dev.switchboard.spi.BudgetStore;
import dev.switchboard.spi.CachedResponse;
import dev.switchboard.spi.ContentBlock;
import dev.switchboard.spi.Demand;
import dev.switchboard.spi.HealthStore;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.RateLimitInfo;
import dev.switchboard.spi.ResponseCacheStore;
import dev.switchboard.spi.RouteClaim;
import dev.switchboard.spi.RouteGrant;
import dev.switchboard.spi.RouteSettlement;
import dev.switchboard.spi.RoutingView;
import dev.switchboard.spi.StateStore;
import dev.switchboard.spi.Usage;
import dev.switchboard.testkit.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link StateStore} home must show, whatever keeps its state. A home's test
 * extends this class and implements {@link #newStore}; every time-dependent rule is driven by the
 * given {@link FakeTicker}. Public (with a protected factory) so that a home in another module,
 * such as the Redis one, can extend it from core's test classes.
 */
public abstract class StateStoreContract {
  /** 60 requests, 6,000 input tokens (100/s), 600 output tokens (10/s) per minute. */
  static final BucketLimits LIMITS = new BucketLimits(60, 6_000, 600);
  static final long SECOND = 1_000_000_000L;

  /** The time of the store under test; advance it, never sleep. */
  protected FakeTicker ticker;
  /** The store under test, new for every test. */
  protected StateStore store;

  /** Returns a new, empty store whose time is {@code ticker}. */
  protected abstract StateStore newStore(FakeTicker ticker);

  @BeforeEach
  protected void openStore() {
    ticker = new FakeTicker();
    store = newStore(ticker);
  }

  @AfterEach
  protected void closeStore() {
    store.close();
  }

  static Map<String, String> headers(String... pairs) {
    Map<String, String> map = new java.util.HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  static RateLimitInfo info(String... pairs) {
    Map<String, String> map = headers(pairs);
    return RateLimitInfo.parse(map::get, java.time.Instant.parse("2026-01-01T00:00:00Z"));
  }

  void runConcurrently(int threads, Runnable body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          start.await();
          body.run();
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Nested
  class Budgets {
    BudgetStore budgets;

    @BeforeEach
    void setUp() {
      budgets = store.budgets();
    }

    @Test
    void tryAcquire_newPoolStartsFull() {
      assertThat(budgets.tryAcquire("p", LIMITS, new Demand(60, 6_000, 600))).isEqualTo(BudgetGrant.GRANTED);

      BudgetGrant refused = budgets.tryAcquire("p", LIMITS, new Demand(1, 0, 0));

      assertThat(refused.granted()).isFalse();
      assertThat(refused.limitedBy()).isEqualTo(Dimension.REQUESTS);
    }

    @Test
    void levels_newPoolIsFull() {
      var levels = budgets.levels("p", LIMITS);

      assertThat(levels.requests()).isEqualTo(60.0);
      assertThat(levels.inputTokens()).isEqualTo(6_000.0);
      assertThat(levels.outputTokens()).isEqualTo(600.0);
      assertThat(levels.headroom()).isEqualTo(1.0);
      assertThat(levels.limits()).isEqualTo(LIMITS);
    }

    @Test
    void tryAcquire_refillsContinuously() {
      budgets.tryAcquire("p", LIMITS, new Demand(60, 0, 0));

      ticker.advanceMillis(500);
      assertThat(budgets.levels("p", LIMITS).requests()).isCloseTo(0.5, within(1e-9));
      assertThat(budgets.tryAcquire("p", LIMITS, new Demand(1, 0, 0)).granted()).isFalse();

      ticker.advanceMillis(500);
      assertThat(budgets.tryAcquire("p", LIMITS, new Demand(1, 0, 0)).granted()).isTrue();
      assertThat(budgets.levels("p", LIMITS).requests()).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void levels_refillStopsAtCapacity() {
      budgets.tryAcquire("p", LIMITS, new Demand(30, 3_000, 300));

      ticker.advance(Duration.ofMinutes(5));

      var levels = budgets.levels("p", LIMITS);
      assertThat(levels.requests()).isEqualTo(60.0);
      assertThat(levels.inputTokens()).isEqualTo(6_000.0);
      assertThat(levels.outputTokens()).isEqualTo(600.0);
    }

    @Test
    void tryAcquire_unknownLimitsAlwaysGrant() {
      for (int i = 0; i < 1_000; i++) {
        assertThat(budgets.tryAcquire("p", BucketLimits.UNKNOWN, new Demand(1, 1_000_000, 64_000)))
            .isEqualTo(BudgetGrant.GRANTED);
      }
      assertThat(budgets.levels("p", BucketLimits.UNKNOWN).headroom()).isEqualTo(1.0);
    }

    @Test
    void tryAcquire_unknownDimensionIsNotEnforced() {
      BucketLimits requestsOnly = new BucketLimits(2, 0, 0);

      assertThat(budgets.tryAcquire("p", requestsOnly, new Demand(1, 9_999_999, 9_999_999)).granted()).isTrue();
      assertThat(budgets.tryAcquire("p", requestsOnly, new Demand(1, 9_999_999, 9_999_999)).granted()).isTrue();
      assertThat(budgets.tryAcquire("p", requestsOnly, new Demand(1, 0, 0)).limitedBy())
          .isEqualTo(Dimension.REQUESTS);
    }

    @Test
    void tryAcquire_isAllOrNothingAcrossDimensions() {
      budgets.tryAcquire("p", LIMITS, new Demand(1, 5_500, 0));

      BudgetGrant refused = budgets.tryAcquire("p", LIMITS, new Demand(1, 1_000, 100));

      assertThat(refused.granted()).isFalse();
      assertThat(refused.limitedBy()).isEqualTo(Dimension.INPUT_TOKENS);
      var levels = budgets.levels("p", LIMITS);
      assertThat(levels.requests()).isEqualTo(59.0);
      assertThat(levels.inputTokens()).isEqualTo(500.0);
      assertThat(levels.outputTokens()).isEqualTo(600.0);
    }

    @Test
    void tryAcquire_waitIsExactTimeUntilDeficitRefills() {
      budgets.tryAcquire("p", LIMITS, new Demand(0, 6_000, 0));

      BudgetGrant refused = budgets.tryAcquire("p", LIMITS, new Demand(1, 250, 0));

      assertThat(refused.waitNanos()).isEqualTo(2_500_000_000L); // 250 tokens at 100/s
      assertThat(refused.limitedBy()).isEqualTo(Dimension.INPUT_TOKENS);
      ticker.advance(Duration.ofNanos(refused.waitNanos() - 1_000_000));
      assertThat(budgets.tryAcquire("p", LIMITS, new Demand(1, 250, 0)).granted()).isFalse();
      ticker.advanceMillis(1);
      assertThat(budgets.tryAcquire("p", LIMITS, new Demand(1, 250, 0)).granted()).isTrue();
    }

    @Test
    void tryAcquire_waitIsTheSlowestShortDimension() {
      budgets.tryAcquire("p", LIMITS, new Demand(60, 0, 600));

      BudgetGrant refused = budgets.tryAcquire("p", LIMITS, new Demand(1, 0, 60));

      assertThat(refused.limitedBy()).isEqualTo(Dimension.OUTPUT_TOKENS);
      assertThat(refused.waitNanos()).isEqualTo(6 * SECOND); // 60 output tokens at 10/s; 1 request at 1/s
    }

    @Test
    void tryAcquire_oversizeDemandNeverFits() {
      BudgetGrant refused = budgets.tryAcquire("p", LIMITS, new Demand(1, 6_001, 10));

      assertThat(refused.granted()).isFalse();
      assertThat(refused.waitNanos()).isEqualTo(Long.MAX_VALUE);
      assertThat(refused.limitedBy()).isEqualTo(Dimension.INPUT_TOKENS);
      assertThat(budgets.levels("p", LIMITS).requests()).isEqualTo(60.0);
    }

    @Test
    void tryAcquire_poolsAreIndependent() {
      budgets.tryAcquire("a", LIMITS, new Demand(60, 0, 0));

      assertThat(budgets.tryAcquire("b", LIMITS, new Demand(60, 0, 0)).granted()).isTrue();
    }

    @Test
    void settle_refundsUnusedReservation() {
      budgets.tryAcquire("p", LIMITS, new Demand(1, 1_000, 500));

      budgets.settle("p", LIMITS, new Demand(1, 1_000, 500), new Demand(1, 800, 120));

      var levels = budgets.levels("p", LIMITS);
      assertThat(levels.requests()).isEqualTo(59.0);
      assertThat(levels.inputTokens()).isEqualTo(5_200.0);
      assertThat(levels.outputTokens()).isEqualTo(480.0);
    }

    @Test
    void settle_refundNeverExceedsCapacity() {
      budgets.settle("p", LIMITS, new Demand(5, 5_000, 500), Demand.NONE);

      var levels = budgets.levels("p", LIMITS);
      assertThat(levels.requests()).isEqualTo(60.0);
      assertThat(levels.inputTokens()).isEqualTo(6_000.0);
      assertThat(levels.outputTokens()).isEqualTo(600.0);
    }

    @Test
    void settle_excessBecomesDebtThatBlocksUntilRepaid() {
      budgets.tryAcquire("p", LIMITS, new Demand(1, 0, 500));

      budgets.settle("p", LIMITS, new Demand(1, 0, 500), new Demand(1, 0, 800));

      assertThat(budgets.levels("p", LIMITS).outputTokens()).isEqualTo(-200.0);
      BudgetGrant refused = budgets.tryAcquire("p", LIMITS, new Demand(1, 10, 0));
      assertThat(refused.limitedBy()).isEqualTo(Dimension.OUTPUT_TOKENS);
      assertThat(refused.waitNanos()).isEqualTo(20 * SECOND); // 200 tokens of debt at 10/s
      ticker.advance(Duration.ofSeconds(20));
      assertThat(budgets.tryAcquire("p", LIMITS, new Demand(1, 10, 0)).granted()).isTrue();
    }

    @Test
    void observe_lowersRequestsToRemainingExactly() {
      budgets.observe("p", LIMITS, info("anthropic-ratelimit-requests-remaining", "10"));

      assertThat(budgets.levels("p", LIMITS).requests()).isEqualTo(10.0);
    }

    @Test
    void observe_toleratesTokenRoundingToThousands() {
      BucketLimits big = new BucketLimits(1_000, 100_000, 20_000);

      budgets.observe("p", big, info(
          "anthropic-ratelimit-input-tokens-remaining", "40000",
          "anthropic-ratelimit-output-tokens-remaining", "3000"));

      var levels = budgets.levels("p", big);
      assertThat(levels.inputTokens()).isEqualTo(40_500.0);
      assertThat(levels.outputTokens()).isEqualTo(3_500.0);
      assertThat(levels.requests()).isEqualTo(1_000.0);
    }

    @Test
    void observe_neverRaises() {
      BucketLimits big = new BucketLimits(1_000, 100_000, 20_000);
      budgets.tryAcquire("p", big, new Demand(990, 99_000, 0));

      budgets.observe("p", big, info(
          "anthropic-ratelimit-requests-remaining", "500",
          "anthropic-ratelimit-input-tokens-remaining", "50000"));

      var levels = budgets.levels("p", big);
      assertThat(levels.requests()).isEqualTo(10.0);
      assertThat(levels.inputTokens()).isEqualTo(1_000.0);
    }

    @Test
    void observe_ignoresCombinedTokensAndAbsentHeaders() {
      budgets.observe("p", LIMITS, info("anthropic-ratelimit-tokens-remaining", "0"));
      budgets.observe("p", LIMITS, RateLimitInfo.NONE);

      var levels = budgets.levels("p", LIMITS);
      assertThat(levels.inputTokens()).isEqualTo(6_000.0);
      assertThat(levels.outputTokens()).isEqualTo(600.0);
    }

    @Test
    void observe_thenRefillsFromTheLoweredLevel() {
      budgets.observe("p", LIMITS, info("anthropic-ratelimit-requests-remaining", "0"));

      ticker.advance(Duration.ofSeconds(3));

      assertThat(budgets.levels("p", LIMITS).requests()).isCloseTo(3.0, within(1e-9));
    }

    @Test
    void tryAcquire_loweredLimitClampsLevel() {
      budgets.levels("p", LIMITS);

      BucketLimits lower = new BucketLimits(30, 3_000, 600);

      var levels = budgets.levels("p", lower);
      assertThat(levels.requests()).isEqualTo(30.0);
      assertThat(levels.inputTokens()).isEqualTo(3_000.0);
      assertThat(budgets.tryAcquire("p", lower, new Demand(31, 0, 0)).waitNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void tryAcquire_raisedLimitKeepsLevelAndRefillsFaster() {
      budgets.tryAcquire("p", LIMITS, new Demand(60, 0, 0));
      BucketLimits higher = new BucketLimits(120, 6_000, 600);

      assertThat(budgets.levels("p", higher).requests()).isEqualTo(0.0);
      ticker.advance(Duration.ofSeconds(1));

      assertThat(budgets.levels("p", higher).requests()).isCloseTo(2.0, within(1e-9));
      ticker.advance(Duration.ofMinutes(2));
      assertThat(budgets.levels("p", higher).requests()).isEqualTo(120.0);
    }

    @Test
    void tryAcquire_limitLearnedLaterStartsFull() {
      budgets.tryAcquire("p", BucketLimits.UNKNOWN, new Demand(1, 10_000, 0));

      var levels = budgets.levels("p", LIMITS);

      assertThat(levels.requests()).isEqualTo(60.0);
      assertThat(levels.inputTokens()).isEqualTo(6_000.0);
      assertThat(levels.outputTokens()).isEqualTo(600.0);
    }

    @Test
    void tryAcquire_concurrentCallersTakeExactlyTheCapacity() throws Exception {
      BucketLimits limits = new BucketLimits(1_000, 100_000, 0);
      int threads = 4;
      AtomicLong granted = new AtomicLong();
      runConcurrently(threads, () -> {
        for (int i = 0; i < 1_000; i++) {
          if (budgets.tryAcquire("p", limits, new Demand(1, 10, 0)).granted()) {
            granted.incrementAndGet();
          }
        }
      });

      assertThat(granted.get()).isEqualTo(1_000);
      assertThat(budgets.levels("p", limits).inputTokens()).isEqualTo(90_000.0);
    }

    @Test
    void tryAcquire_concurrentCallersNeverOverGrantWhileTimeMoves() throws Exception {
      BucketLimits limits = new BucketLimits(600, 60_000, 0); // 10 requests and 1,000 tokens per second
      long start = ticker.read();
      AtomicLong granted = new AtomicLong();
      AtomicBoolean done = new AtomicBoolean();
      Thread clock = new Thread(() -> {
        while (!done.get()) {
          ticker.advance(Duration.ofNanos(50_000));
          Thread.onSpinWait();
        }
      });
      clock.start();
      try {
        runConcurrently(4, () -> {
          for (int i = 0; i < 20_000; i++) {
            if (budgets.tryAcquire("p", limits, new Demand(1, 70, 0)).granted()) {
              granted.incrementAndGet();
            }
          }
        });
      } finally {
        done.set(true);
        clock.join(10_000);
      }
      double elapsedSeconds = (ticker.read() - start) / 1e9;

      double maxRequests = 600 + elapsedSeconds * 10;
      double maxByTokens = (60_000 + elapsedSeconds * 1_000) / 70;
      assertThat((double) granted.get()).isLessThanOrEqualTo(Math.min(maxRequests, maxByTokens) + 1e-6);
      assertThat(granted.get()).isGreaterThanOrEqualTo(600); // the full bucket at least
    }
  }

  @Nested
  class Health {
    HealthStore health;

    @BeforeEach
    void setUp() {
      health = store.health();
    }

    @Test
    void cooldownRemaining_zeroWhenNeverCooled() {
      assertThat(health.cooldownRemaining("key:a")).isEqualTo(Duration.ZERO);
      assertThat(health.cooldowns()).isEmpty();
    }

    @Test
    void coolDown_countsDownWithTheTicker() {
      health.coolDown("key:a", Duration.ofSeconds(10));

      ticker.advance(Duration.ofSeconds(4));

      assertThat(health.cooldownRemaining("key:a")).isEqualTo(Duration.ofSeconds(6));
      assertThat(health.cooldowns()).containsExactly(Map.entry("key:a", Duration.ofSeconds(6)));
    }

    @Test
    void coolDown_neverShortened() {
      health.coolDown("key:a", Duration.ofSeconds(10));

      health.coolDown("key:a", Duration.ofSeconds(2));

      assertThat(health.cooldownRemaining("key:a")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void coolDown_longerOneExtends() {
      health.coolDown("key:a", Duration.ofSeconds(10));
      ticker.advance(Duration.ofSeconds(5));

      health.coolDown("key:a", Duration.ofSeconds(30));

      assertThat(health.cooldownRemaining("key:a")).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void coolDown_expiresAndDisappears() {
      health.coolDown("key:a", Duration.ofSeconds(10));
      health.coolDown("key:b", Duration.ofSeconds(20));

      ticker.advance(Duration.ofSeconds(10));

      assertThat(health.cooldownRemaining("key:a")).isEqualTo(Duration.ZERO);
      assertThat(health.cooldowns()).containsOnlyKeys("key:b");
      ticker.advance(Duration.ofSeconds(10));
      assertThat(health.cooldowns()).isEmpty();
    }

    @Test
    void coolDown_zeroDurationDoesNothing() {
      health.coolDown("key:a", Duration.ZERO);

      assertThat(health.cooldownRemaining("key:a")).isEqualTo(Duration.ZERO);
      assertThat(health.cooldowns()).isEmpty();
    }

    @Test
    void disable_keepsReasonUntilEnabled() {
      health.disable("key:a", "401 authentication_error");
      health.disable("org:o", "spend limit reached");

      assertThat(health.disabledReason("key:a")).isEqualTo("401 authentication_error");
      assertThat(health.disabled())
          .containsOnly(Map.entry("key:a", "401 authentication_error"), Map.entry("org:o", "spend limit reached"));

      assertThat(health.enable("key:a")).isTrue();
      assertThat(health.disabledReason("key:a")).isNull();
      assertThat(health.disabled()).containsOnlyKeys("org:o");
    }

    @Test
    void enable_returnsFalseWhenNotDisabled() {
      assertThat(health.enable("key:a")).isFalse();
    }

    @Test
    void disable_isUnaffectedByTime() {
      health.disable("key:a", "revoked");

      ticker.advance(Duration.ofDays(2));

      assertThat(health.disabledReason("key:a")).isEqualTo("revoked");
    }

    @Test
    void disable_againReplacesReason() {
      health.disable("key:a", "first");

      health.disable("key:a", "second");

      assertThat(health.disabledReason("key:a")).isEqualTo("second");
    }
  }

  @Nested
  class Breakers {
    /** Count window of 4, judged from 2 calls at 50%, open 1 s doubling to 4 s, 2 probes. */
    final BreakerConfig count = new BreakerConfig(BreakerConfig.WindowType.COUNT, 4, 2, 0.5,
        Duration.ofSeconds(1), Duration.ofSeconds(4), 2);
    BreakerStore breakers;

    @BeforeEach
    void setUp() {
      breakers = store.breakers();
    }

    BreakerState call(String name, BreakerConfig config, boolean failure) {
      BreakerPermit permit = breakers.tryAcquire(name, config);
      assertThat(permit.permitted()).as("permitted %s", permit).isTrue();
      return breakers.record(name, config, permit, failure);
    }

    void trip(String name) {
      call(name, count, true);
      assertThat(call(name, count, true)).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void state_neverSeenIsClosed() {
      assertThat(breakers.state("model:x", count)).isEqualTo(BreakerState.CLOSED);
      assertThat(breakers.notClosed()).isEmpty();
    }

    @Test
    void tryAcquire_closedPermitsWithoutProbe() {
      BreakerPermit permit = breakers.tryAcquire("model:x", count);

      assertThat(permit.permitted()).isTrue();
      assertThat(permit.probe()).isFalse();
      assertThat(permit.state()).isEqualTo(BreakerState.CLOSED);
      assertThat(permit.changed()).isFalse();
      assertThat(permit.retryAfter()).isEqualTo(Duration.ZERO);
    }

    @Test
    void record_tripsAtMinimumCallsAndThreshold() {
      assertThat(call("model:x", count, true)).isEqualTo(BreakerState.CLOSED);

      assertThat(call("model:x", count, true)).isEqualTo(BreakerState.OPEN);
      assertThat(breakers.state("model:x", count)).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void record_belowMinimumCallsNeverTrips() {
      BreakerConfig three = new BreakerConfig(BreakerConfig.WindowType.COUNT, 10, 3, 0.5,
          Duration.ofSeconds(1), Duration.ofSeconds(4), 1);

      call("model:x", three, true);

      assertThat(call("model:x", three, true)).isEqualTo(BreakerState.CLOSED);
      assertThat(call("model:x", three, true)).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void record_belowThresholdStaysClosed() {
      call("model:x", count, false);
      call("model:x", count, false);
      call("model:x", count, false);

      assertThat(call("model:x", count, true)).isEqualTo(BreakerState.CLOSED); // 1 of 4
    }

    @Test
    void record_countWindowForgetsOldestOutcome() {
      BreakerConfig strict = new BreakerConfig(BreakerConfig.WindowType.COUNT, 4, 4, 0.75,
          Duration.ofSeconds(1), Duration.ofSeconds(4), 1);
      call("r", strict, true);
      call("r", strict, true);
      call("r", strict, false);
      assertThat(call("r", strict, false)).isEqualTo(BreakerState.CLOSED); // f f s s: 50%
      assertThat(call("r", strict, true)).isEqualTo(BreakerState.CLOSED); // f s s f: 50%
      assertThat(call("r", strict, true)).isEqualTo(BreakerState.CLOSED); // s s f f: 50%

      assertThat(call("r", strict, true)).isEqualTo(BreakerState.OPEN); // s f f f: 75%
    }

    @Test
    void record_timeWindowCountsOnlyRecentSeconds() {
      BreakerConfig time = new BreakerConfig(BreakerConfig.WindowType.TIME, 10, 3, 0.5,
          Duration.ofSeconds(1), Duration.ofSeconds(4), 1);
      call("t", time, true);
      call("t", time, true);

      ticker.advance(Duration.ofSeconds(11));

      assertThat(call("t", time, true)).isEqualTo(BreakerState.CLOSED); // the first two fell out
      ticker.advance(Duration.ofSeconds(4));
      assertThat(call("t", time, false)).isEqualTo(BreakerState.CLOSED);
      ticker.advance(Duration.ofSeconds(4));
      assertThat(call("t", time, true)).isEqualTo(BreakerState.OPEN); // 2 of 3 within 10 s
    }

    @Test
    void record_timeWindowSlidesBucketByBucket() {
      BreakerConfig time = new BreakerConfig(BreakerConfig.WindowType.TIME, 3, 2, 1.0,
          Duration.ofSeconds(1), Duration.ofSeconds(4), 1);
      call("t", time, true);
      ticker.advance(Duration.ofSeconds(1));
      call("t", time, false);
      ticker.advance(Duration.ofSeconds(2)); // the failure's second left the window; the success's did not

      assertThat(call("t", time, true)).isEqualTo(BreakerState.CLOSED); // s f: 50%
      ticker.advance(Duration.ofSeconds(1));
      assertThat(call("t", time, true)).isEqualTo(BreakerState.OPEN); // f f: 100%
    }

    @Test
    void tryAcquire_openRefusesWithTimeLeft() {
      trip("model:x");

      ticker.advanceMillis(400);
      BreakerPermit refused = breakers.tryAcquire("model:x", count);

      assertThat(refused.permitted()).isFalse();
      assertThat(refused.state()).isEqualTo(BreakerState.OPEN);
      assertThat(refused.retryAfter()).isEqualTo(Duration.ofMillis(600));
    }

    @Test
    void tryAcquire_afterOpenDurationHandsOutProbe() {
      trip("model:x");

      ticker.advance(Duration.ofSeconds(1));
      BreakerPermit probe = breakers.tryAcquire("model:x", count);

      assertThat(probe.permitted()).isTrue();
      assertThat(probe.probe()).isTrue();
      assertThat(probe.previous()).isEqualTo(BreakerState.OPEN);
      assertThat(probe.state()).isEqualTo(BreakerState.HALF_OPEN);
      assertThat(probe.changed()).isTrue();
      assertThat(breakers.state("model:x", count)).isEqualTo(BreakerState.HALF_OPEN);
    }

    @Test
    void tryAcquire_halfOpenLimitsProbes() {
      trip("model:x");
      ticker.advance(Duration.ofSeconds(1));

      BreakerPermit first = breakers.tryAcquire("model:x", count);
      BreakerPermit second = breakers.tryAcquire("model:x", count);
      BreakerPermit third = breakers.tryAcquire("model:x", count);

      assertThat(first.probe()).isTrue();
      assertThat(second.probe()).isTrue();
      assertThat(second.changed()).isFalse();
      assertThat(third.permitted()).isFalse();
      assertThat(third.state()).isEqualTo(BreakerState.HALF_OPEN);
      assertThat(third.retryAfter()).isPositive();
    }

    @Test
    void record_allProbesSucceedingCloses() {
      trip("model:x");
      ticker.advance(Duration.ofSeconds(1));
      BreakerPermit first = breakers.tryAcquire("model:x", count);
      BreakerPermit second = breakers.tryAcquire("model:x", count);

      assertThat(breakers.record("model:x", count, first, false)).isEqualTo(BreakerState.HALF_OPEN);
      assertThat(breakers.record("model:x", count, second, false)).isEqualTo(BreakerState.CLOSED);

      assertThat(breakers.notClosed()).isEmpty();
      assertThat(call("model:x", count, true)).isEqualTo(BreakerState.CLOSED); // window was reset
      assertThat(call("model:x", count, true)).isEqualTo(BreakerState.OPEN);
      assertThat(breakers.tryAcquire("model:x", count).retryAfter())
          .isEqualTo(Duration.ofSeconds(1)); // trip count was reset
    }

    @Test
    void record_probeFailureReopensForLongerUpToTheCap() {
      trip("model:x");
      List<Duration> openFor = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        ticker.advance(Duration.ofSeconds(10));
        BreakerPermit probe = breakers.tryAcquire("model:x", count);
        assertThat(breakers.record("model:x", count, probe, true)).isEqualTo(BreakerState.OPEN);
        openFor.add(breakers.tryAcquire("model:x", count).retryAfter());
      }

      assertThat(openFor).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4),
          Duration.ofSeconds(4), Duration.ofSeconds(4));
    }

    @Test
    void release_givesProbeSlotBack() {
      trip("model:x");
      ticker.advance(Duration.ofSeconds(1));
      BreakerPermit first = breakers.tryAcquire("model:x", count);
      breakers.tryAcquire("model:x", count);
      assertThat(breakers.tryAcquire("model:x", count).permitted()).isFalse();

      breakers.release("model:x", count, first);

      BreakerPermit again = breakers.tryAcquire("model:x", count);
      assertThat(again.permitted()).isTrue();
      assertThat(again.probe()).isTrue();
      assertThat(breakers.state("model:x", count)).isEqualTo(BreakerState.HALF_OPEN);
    }

    @Test
    void release_ofClosedPermitChangesNothing() {
      call("model:x", count, true);
      BreakerPermit permit = breakers.tryAcquire("model:x", count);

      breakers.release("model:x", count, permit);

      assertThat(call("model:x", count, true)).isEqualTo(BreakerState.OPEN); // 2 recorded calls, not 3
    }

    @Test
    void record_lateOutcomeAfterTripIsIgnored() {
      BreakerPermit late = breakers.tryAcquire("model:x", count);
      trip("model:x");

      assertThat(breakers.record("model:x", count, late, false)).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void notClosed_listsOpenAndHalfOpenBreakers() {
      trip("model:a");
      ticker.advanceMillis(500);
      trip("model:b");
      call("model:c", count, false);
      ticker.advanceMillis(600);
      breakers.tryAcquire("model:a", count);

      assertThat(breakers.notClosed())
          .containsOnly(Map.entry("model:a", BreakerState.HALF_OPEN), Map.entry("model:b", BreakerState.OPEN));
    }

    @Test
    void tryAcquire_concurrentCallersGetAtMostTheProbes() throws Exception {
      trip("model:x");
      ticker.advance(Duration.ofSeconds(1));
      AtomicLong probes = new AtomicLong();

      runConcurrently(4, () -> {
        for (int i = 0; i < 1_000; i++) {
          if (breakers.tryAcquire("model:x", count).permitted()) {
            probes.incrementAndGet();
          }
        }
      });

      assertThat(probes.get()).isEqualTo(count.halfOpenProbes());
    }

    @Test
    void record_concurrentOutcomesAreNeverLost() throws Exception {
      BreakerConfig thousand = new BreakerConfig(BreakerConfig.WindowType.COUNT, 1_000, 1_000, 0.5,
          Duration.ofSeconds(1), Duration.ofSeconds(4), 1);
      AtomicLong opened = new AtomicLong();

      runConcurrently(4, () -> {
        for (int i = 0; i < 250; i++) {
          if (call("model:x", thousand, i % 2 == 0) == BreakerState.OPEN) {
            opened.incrementAndGet();
          }
        }
      });

      assertThat(opened.get()).isEqualTo(1); // only the 1,000th outcome reaches 50% of 1,000 calls
      assertThat(breakers.state("model:x", thousand)).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void breakers_areIndependentByName() {
      trip("user:1");

      assertThat(breakers.tryAcquire("user:2", count).permitted()).isTrue();
      assertThat(breakers.state("user:2", count)).isEqualTo(BreakerState.CLOSED);
    }
  }

  @Nested
  class Routing {
    /** Count window of 4, judged from 2 calls at 50%, open 1 s doubling to 4 s, 1 probe. */
    final BreakerConfig config = new BreakerConfig(BreakerConfig.WindowType.COUNT, 4, 2, 0.5,
        Duration.ofSeconds(1), Duration.ofSeconds(4), 1);
    final Demand demand = new Demand(1, 1_000, 500);

    RouteClaim claim(String... breakers) {
      return claim(demand, breakers);
    }

    RouteClaim claim(Demand demand, String... breakers) {
      return new RouteClaim("org/opus", LIMITS, demand, List.of("key:a", "keymodel:a/m"), "pool:org/opus",
          List.of(breakers), config);
    }

    List<BreakerTransition> settle(RouteClaim claim, RouteGrant grant, Demand actual,
        RouteSettlement.Verdict... verdicts) throws Exception {
      return settle(new RouteSettlement(claim, grant, actual, List.of(verdicts), RateLimitInfo.NONE, null));
    }

    List<BreakerTransition> settle(RouteSettlement settlement) throws Exception {
      return store.settle(settlement).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Trips {@code name} with two failed claims in a pool of their own; returns the last transitions. */
    List<BreakerTransition> trip(String name) throws Exception {
      RouteClaim alone = new RouteClaim("trips", LIMITS, Demand.NONE, List.of(), null, List.of(name), config);
      List<BreakerTransition> last = List.of();
      for (int i = 0; i < 2; i++) {
        RouteGrant grant = store.claimRoute(alone);
        assertThat(grant.granted()).as("claim of %s: %s", name, grant).isTrue();
        last = settle(alone, grant, Demand.NONE, RouteSettlement.Verdict.FAILURE);
      }
      return last;
    }

    void assertLevels(double requests, double input, double output) {
      var levels = store.budgets().levels("org/opus", LIMITS);
      assertThat(levels.requests()).as("requests").isEqualTo(requests);
      assertThat(levels.inputTokens()).as("input tokens").isEqualTo(input);
      assertThat(levels.outputTokens()).as("output tokens").isEqualTo(output);
    }

    @Test
    void claimRoute_grantsPermitsAndTakesTheBudget() {
      RouteGrant grant = store.claimRoute(claim("model:m", "route:a/m"));

      assertThat(grant.status()).isEqualTo(RouteGrant.Status.GRANTED);
      assertThat(grant.permits()).hasSize(2).allSatisfy(p -> {
        assertThat(p.permitted()).isTrue();
        assertThat(p.probe()).isFalse();
        assertThat(p.state()).isEqualTo(BreakerState.CLOSED);
      });
      assertThat(grant.budget()).isEqualTo(BudgetGrant.GRANTED);
      assertThat(grant.transitions()).isEmpty();
      assertLevels(59, 5_000, 100);
    }

    @Test
    void claimRoute_firstDisabledScopeRefusesAndTakesNothing() {
      store.health().disable("keymodel:a/m", "404 not_found_error");

      RouteGrant grant = store.claimRoute(claim("model:m"));

      assertThat(grant.status()).isEqualTo(RouteGrant.Status.DISABLED);
      assertThat(grant.scope()).isEqualTo("keymodel:a/m");
      assertThat(grant.waitNanos()).isZero();
      assertThat(grant.permits()).isEmpty();
      assertLevels(60, 6_000, 600);
      store.health().disable("key:a", "401 authentication_error");
      assertThat(store.claimRoute(claim("model:m")).scope()).as("scopes are checked in order").isEqualTo("key:a");
    }

    @Test
    void claimRoute_coolingReportsTheTimeLeftAndTakesNothing() {
      store.health().coolDown("pool:org/opus", Duration.ofSeconds(10));
      ticker.advance(Duration.ofSeconds(4));

      RouteGrant grant = store.claimRoute(claim("model:m"));

      assertThat(grant.status()).isEqualTo(RouteGrant.Status.COOLING);
      assertThat(grant.scope()).isEqualTo("pool:org/opus");
      assertThat(grant.waitNanos()).isEqualTo(6 * SECOND);
      assertLevels(60, 6_000, 600);
      ticker.advance(Duration.ofSeconds(6));
      assertThat(store.claimRoute(claim("model:m")).granted()).isTrue();
    }

    @Test
    void claimRoute_withoutCooldownScopeIgnoresCooldowns() {
      store.health().coolDown("pool:org/opus", Duration.ofSeconds(10));

      RouteClaim unchecked = new RouteClaim("org/opus", LIMITS, demand, List.of(), null, List.of(), config);

      assertThat(store.claimRoute(unchecked).granted()).isTrue();
    }

    @Test
    void claimRoute_openBreakerReleasesEarlierPermitsAndLeavesTheBudgetUntouched() throws Exception {
      trip("model:m");
      ticker.advance(Duration.ofSeconds(1)); // model:m lets its one probe through
      trip("route:a/m");
      ticker.advanceMillis(300);

      RouteGrant grant = store.claimRoute(claim("model:m", "route:a/m"));

      assertThat(grant.status()).isEqualTo(RouteGrant.Status.BREAKER_OPEN);
      assertThat(grant.scope()).isEqualTo("route:a/m");
      assertThat(grant.waitNanos()).isEqualTo(700_000_000L);
      assertThat(grant.permits()).isEmpty();
      assertThat(grant.transitions())
          .containsExactly(new BreakerTransition("model:m", BreakerState.OPEN, BreakerState.HALF_OPEN));
      assertLevels(60, 6_000, 600);
      BreakerPermit probe = store.breakers().tryAcquire("model:m", config);
      assertThat(probe.permitted()).as("the model's probe slot was given back").isTrue();
      assertThat(probe.probe()).isTrue();
    }

    @Test
    void claimRoute_budgetShortReleasesEveryBreaker() throws Exception {
      trip("model:m");
      ticker.advance(Duration.ofSeconds(1));
      store.budgets().tryAcquire("org/opus", LIMITS, new Demand(60, 0, 0));

      RouteGrant grant = store.claimRoute(claim("model:m", "route:a/m"));

      assertThat(grant.status()).isEqualTo(RouteGrant.Status.BUDGET_SHORT);
      assertThat(grant.scope()).isNull();
      assertThat(grant.waitNanos()).isEqualTo(SECOND); // one request at 1/s
      assertThat(grant.budget().limitedBy()).isEqualTo(Dimension.REQUESTS);
      assertThat(grant.transitions())
          .containsExactly(new BreakerTransition("model:m", BreakerState.OPEN, BreakerState.HALF_OPEN));
      assertThat(store.breakers().tryAcquire("model:m", config).probe()).as("probe slot given back").isTrue();
      assertLevels(0, 6_000, 600);
    }

    @Test
    void claimRoute_oversizeDemandNeverFits() {
      RouteGrant grant = store.claimRoute(claim(new Demand(1, 6_001, 0), "model:m"));

      assertThat(grant.status()).isEqualTo(RouteGrant.Status.BUDGET_SHORT);
      assertThat(grant.waitNanos()).isEqualTo(Long.MAX_VALUE);
      assertThat(grant.budget().limitedBy()).isEqualTo(Dimension.INPUT_TOKENS);
    }

    @Test
    void claimRoute_halfOpenWithEveryProbeOutRefuses() throws Exception {
      trip("model:m");
      ticker.advance(Duration.ofSeconds(1));

      RouteGrant probe = store.claimRoute(claim("model:m"));
      RouteGrant refused = store.claimRoute(claim("model:m"));

      assertThat(probe.granted()).isTrue();
      assertThat(probe.permits().get(0).probe()).isTrue();
      assertThat(probe.transitions())
          .containsExactly(new BreakerTransition("model:m", BreakerState.OPEN, BreakerState.HALF_OPEN));
      assertThat(refused.status()).isEqualTo(RouteGrant.Status.BREAKER_OPEN);
      assertThat(refused.scope()).isEqualTo("model:m");
      assertThat(refused.waitNanos()).isPositive();
      assertThat(refused.transitions()).isEmpty();
    }

    @Test
    void settle_actualUsageCorrectsTheReservation() throws Exception {
      RouteClaim claim = claim("model:m", "route:a/m");
      RouteGrant grant = store.claimRoute(claim);

      List<BreakerTransition> transitions = settle(claim, grant, new Demand(1, 800, 120),
          RouteSettlement.Verdict.SUCCESS, RouteSettlement.Verdict.SUCCESS);

      assertThat(transitions).isEmpty();
      assertLevels(59, 5_200, 480);
    }

    @Test
    void settle_noneRefundsTheWholeReservation() throws Exception {
      RouteClaim claim = claim("model:m");
      RouteGrant grant = store.claimRoute(claim);

      settle(claim, grant, Demand.NONE, RouteSettlement.Verdict.RELEASE);

      assertLevels(60, 6_000, 600);
    }

    @Test
    void settle_nullKeepsTheWholeReservation() throws Exception {
      RouteClaim claim = claim("model:m");
      RouteGrant grant = store.claimRoute(claim);

      settle(claim, grant, null, RouteSettlement.Verdict.FAILURE);

      assertLevels(59, 5_000, 100);
    }

    @Test
    void settle_failuresTripTheBreakerAndReportTheTransition() throws Exception {
      List<BreakerTransition> transitions = trip("model:m");

      assertThat(transitions).containsExactly(new BreakerTransition("model:m", BreakerState.CLOSED, BreakerState.OPEN));
      assertThat(store.breakers().state("model:m", config)).isEqualTo(BreakerState.OPEN);
      assertThat(store.claimRoute(claim("model:m")).status()).isEqualTo(RouteGrant.Status.BREAKER_OPEN);
    }

    @Test
    void settle_successfulProbeClosesTheBreaker() throws Exception {
      trip("model:m");
      ticker.advance(Duration.ofSeconds(1));
      RouteClaim claim = claim("model:m", "route:a/m");
      RouteGrant grant = store.claimRoute(claim);

      List<BreakerTransition> transitions = settle(claim, grant, new Demand(1, 1_000, 500),
          RouteSettlement.Verdict.SUCCESS, RouteSettlement.Verdict.SUCCESS);

      assertThat(transitions).containsExactly(
          new BreakerTransition("model:m", BreakerState.HALF_OPEN, BreakerState.CLOSED));
      assertThat(store.breakers().state("model:m", config)).isEqualTo(BreakerState.CLOSED);
    }

    @Test
    void settle_releaseGivesTheProbeSlotBack() throws Exception {
      trip("model:m");
      ticker.advance(Duration.ofSeconds(1));
      RouteClaim claim = claim("model:m");
      RouteGrant probe = store.claimRoute(claim);
      assertThat(store.claimRoute(claim).granted()).isFalse();

      assertThat(settle(claim, probe, Demand.NONE, RouteSettlement.Verdict.RELEASE)).isEmpty();

      RouteGrant again = store.claimRoute(claim);
      assertThat(again.granted()).isTrue();
      assertThat(again.permits().get(0).probe()).isTrue();
      assertThat(store.breakers().state("model:m", config)).isEqualTo(BreakerState.HALF_OPEN);
    }

    @Test
    void settle_observeLowersLevelsWithTheLearnedLimits() throws Exception {
      RouteClaim claim = claim("model:m");
      RouteGrant grant = store.claimRoute(claim);
      BucketLimits learned = new BucketLimits(30, 6_000, 600);

      settle(new RouteSettlement(claim, grant, null, List.of(RouteSettlement.Verdict.SUCCESS),
          info("anthropic-ratelimit-requests-remaining", "20",
              "anthropic-ratelimit-input-tokens-remaining", "4000"), learned));

      var levels = store.budgets().levels("org/opus", learned);
      assertThat(levels.requests()).isEqualTo(20.0);
      assertThat(levels.inputTokens()).isEqualTo(4_500.0); // rounded to thousands by the API
      assertThat(levels.outputTokens()).isEqualTo(100.0);
    }

    @Test
    void settle_ofOneClaimDoesNotTouchAnotherPool() throws Exception {
      RouteClaim claim = claim("model:m");
      RouteGrant grant = store.claimRoute(claim);
      store.budgets().tryAcquire("other", LIMITS, new Demand(10, 0, 0));

      settle(claim, grant, Demand.NONE, RouteSettlement.Verdict.SUCCESS);

      assertThat(store.budgets().levels("other", LIMITS).requests()).isEqualTo(50.0);
    }

    @Test
    void routingView_seesDisableAndEnable() {
      RoutingView view = store.routingView();
      assertThat(view.disabledReason("key:a")).isNull();

      store.health().disable("key:a", "401 authentication_error");
      assertThat(view.disabledReason("key:a")).isEqualTo("401 authentication_error");

      store.health().enable("key:a");
      assertThat(view.disabledReason("key:a")).isNull();
    }

    @Test
    void routingView_seesCooldownUntilItEnds() {
      RoutingView view = store.routingView();
      assertThat(view.cooldownNanos("pool:org/opus")).isZero();

      store.health().coolDown("pool:org/opus", Duration.ofSeconds(10));
      assertThat(view.cooldownNanos("pool:org/opus")).isEqualTo(10 * SECOND);

      ticker.advance(Duration.ofSeconds(4));
      assertThat(view.cooldownNanos("pool:org/opus")).isEqualTo(6 * SECOND);
      ticker.advance(Duration.ofSeconds(6));
      assertThat(view.cooldownNanos("pool:org/opus")).isZero();
    }

    @Test
    void routingView_seesBreakerOpenThenHalfOpenThenClosed() throws Exception {
      RoutingView view = store.routingView();
      assertThat(view.breakerState("model:m", config)).isEqualTo(BreakerState.CLOSED);

      trip("model:m");
      assertThat(view.breakerState("model:m", config)).isEqualTo(BreakerState.OPEN);

      ticker.advance(Duration.ofSeconds(1));
      assertThat(view.breakerState("model:m", config)).isEqualTo(BreakerState.HALF_OPEN);
      RouteClaim claim = claim("model:m");
      RouteGrant probe = store.claimRoute(claim);
      settle(claim, probe, Demand.NONE, RouteSettlement.Verdict.SUCCESS);
      assertThat(view.breakerState("model:m", config)).isEqualTo(BreakerState.CLOSED);
    }

    @Test
    void claimRoute_concurrentClaimsNeverOverGrant() throws Exception {
      BucketLimits limits = new BucketLimits(200, 0, 0);
      RouteClaim claim = new RouteClaim("p", limits, new Demand(1, 0, 0), List.of("key:a"), "pool:p",
          List.of("model:m", "route:a/m"), config);
      AtomicLong granted = new AtomicLong();

      runConcurrently(4, () -> {
        for (int i = 0; i < 100; i++) {
          if (store.claimRoute(claim).granted()) {
            granted.incrementAndGet();
          }
        }
      });

      assertThat(granted.get()).isEqualTo(200);
      assertThat(store.budgets().levels("p", limits).requests()).isEqualTo(0.0);
    }
  }

  @Nested
  class Responses {
    ResponseCacheStore responses;
    final MessageResponse response = new MessageResponse("msg_1", "claude-sonnet-4-5", "assistant",
        List.of(ContentBlock.text("hello")), "end_turn", null, Usage.of(10, 2), Map.of());

    @BeforeEach
    void setUp() {
      responses = store.responses();
    }

    @Test
    void get_missingIsEmpty() {
      assertThat(responses.get("k", true)).isEmpty();
    }

    @Test
    void get_freshWithinTtlWithAge() {
      responses.put("k", response, Duration.ofSeconds(60), Duration.ofSeconds(60));

      ticker.advance(Duration.ofSeconds(59));

      Optional<CachedResponse> hit = responses.get("k", false);
      assertThat(hit).isPresent();
      assertThat(hit.get().fresh()).isTrue();
      assertThat(hit.get().age()).isEqualTo(Duration.ofSeconds(59));
      assertThat(hit.get().response().text()).isEqualTo("hello");
    }

    @Test
    void get_staleOnlyWhenAllowed() {
      responses.put("k", response, Duration.ofSeconds(60), Duration.ofSeconds(60));

      ticker.advance(Duration.ofSeconds(60));

      assertThat(responses.get("k", false)).isEmpty();
      Optional<CachedResponse> stale = responses.get("k", true);
      assertThat(stale).isPresent();
      assertThat(stale.get().fresh()).isFalse();
      assertThat(stale.get().age()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void get_goneAfterStalePeriod() {
      responses.put("k", response, Duration.ofSeconds(60), Duration.ofSeconds(30));

      ticker.advance(Duration.ofSeconds(90));

      assertThat(responses.get("k", true)).isEmpty();
      assertThat(responses.get("k", false)).isEmpty();
    }

    @Test
    void put_zeroTtlIsOnlyStale() {
      responses.put("k", response, Duration.ZERO, Duration.ofSeconds(30));

      assertThat(responses.get("k", false)).isEmpty();
      assertThat(responses.get("k", true)).hasValueSatisfying(c -> assertThat(c.fresh()).isFalse());
    }

    @Test
    void put_replacesAndRestartsTtl() {
      responses.put("k", response, Duration.ofSeconds(10), Duration.ZERO);
      ticker.advance(Duration.ofSeconds(8));
      MessageResponse newer = new MessageResponse("msg_2", "claude-sonnet-4-5", "assistant",
          List.of(ContentBlock.text("again")), "end_turn", null, Usage.of(10, 2), Map.of());

      responses.put("k", newer, Duration.ofSeconds(10), Duration.ZERO);
      ticker.advance(Duration.ofSeconds(8));

      assertThat(responses.get("k", false)).hasValueSatisfying(c -> assertThat(c.response().id()).isEqualTo("msg_2"));
    }

    @Test
    void invalidate_removes() {
      responses.put("k", response, Duration.ofSeconds(60), Duration.ofSeconds(60));

      responses.invalidate("k");

      assertThat(responses.get("k", true)).isEmpty();
    }
  }
}
