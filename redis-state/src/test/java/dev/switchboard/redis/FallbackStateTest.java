package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.BreakerConfig;
import dev.switchboard.spi.BreakerConfig.WindowType;
import dev.switchboard.spi.BreakerPermit;
import dev.switchboard.spi.BreakerState;
import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.BucketLimits.Dimension;
import dev.switchboard.spi.BudgetGrant;
import dev.switchboard.spi.Demand;
import dev.switchboard.testkit.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The local fallback's time-dependent rules, on a fake ticker. */
class FallbackStateTest {
  private final FakeTicker ticker = new FakeTicker();

  @Test
  void tryAcquire_usesThisInstancesShareAndRefillsByTheTicker() {
    FallbackBudgets budgets = new FallbackBudgets(ticker, 3);
    BucketLimits limits = new BucketLimits(30, 3_000, 0); // share: 10 rpm, 1,000 itpm

    for (int i = 0; i < 10; i++) {
      assertThat(budgets.tryAcquire("org", limits, new Demand(1, 0, 0)).granted()).isTrue();
    }
    BudgetGrant refused = budgets.tryAcquire("org", limits, new Demand(1, 0, 0));
    assertThat(refused.limitedBy()).isEqualTo(Dimension.REQUESTS);
    assertThat(refused.waitNanos()).isEqualTo(Duration.ofSeconds(6).toNanos());

    ticker.advance(Duration.ofSeconds(6));
    assertThat(budgets.tryAcquire("org", limits, new Demand(1, 0, 0)).granted()).isTrue();
  }

  @Test
  void tryAcquire_demandAboveTheShareButWithinTheLimitFitsAFullBucket() {
    FallbackBudgets budgets = new FallbackBudgets(ticker, 4);
    BucketLimits limits = new BucketLimits(0, 4_000, 0); // share 1,000

    assertThat(budgets.tryAcquire("org", limits, new Demand(1, 2_500, 0)).granted()).isTrue();
    assertThat(budgets.levels("org", limits).inputTokens()).isEqualTo(-1_500.0);
    BudgetGrant refused = budgets.tryAcquire("org", limits, new Demand(1, 2_500, 0));
    assertThat(refused.waitNanos()).isEqualTo(Duration.ofSeconds(150).toNanos());
    assertThat(budgets.tryAcquire("org", limits, new Demand(1, 4_001, 0)).waitNanos()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void settle_refundsAndTakesDebtOnTheShare() {
    FallbackBudgets budgets = new FallbackBudgets(ticker, 2);
    BucketLimits limits = new BucketLimits(0, 0, 1_000); // share 500

    budgets.tryAcquire("org", limits, new Demand(0, 0, 300));
    budgets.settle("org", limits, new Demand(0, 0, 300), new Demand(0, 0, 100));
    assertThat(budgets.levels("org", limits).outputTokens()).isEqualTo(400.0);
    budgets.settle("org", limits, new Demand(0, 0, 0), new Demand(0, 0, 600));
    assertThat(budgets.levels("org", limits).outputTokens()).isEqualTo(-200.0);
  }

  @Test
  void coolDown_endsWhenTheTickerPassesIt() {
    FallbackHealth health = new FallbackHealth(ticker);
    health.coolDown("key", Duration.ofSeconds(10).toNanos());
    health.coolDown("key", Duration.ofSeconds(2).toNanos());

    ticker.advance(Duration.ofSeconds(9));
    assertThat(health.cooldownRemaining("key")).isEqualTo(Duration.ofSeconds(1));
    assertThat(health.cooldowns()).containsOnlyKeys("key");
    ticker.advance(Duration.ofSeconds(1));
    assertThat(health.cooldownRemaining("key")).isZero();
    assertThat(health.cooldowns()).isEmpty();
  }

  @Test
  void breaker_tripsProbesAndDoublesItsOpenPeriod() {
    FallbackBreakers breakers = new FallbackBreakers(ticker, 10);
    BreakerConfig config = new BreakerConfig(WindowType.COUNT, 2, 2, 0.5, Duration.ofSeconds(5),
        Duration.ofSeconds(12), 1);
    for (int i = 0; i < 2; i++) {
      BreakerPermit p = breakers.tryAcquire("m", config);
      breakers.record("m", config, p, true);
    }
    assertThat(breakers.state("m", config)).isEqualTo(BreakerState.OPEN);
    assertThat(breakers.tryAcquire("m", config).retryAfter()).isEqualTo(Duration.ofSeconds(5));

    ticker.advance(Duration.ofSeconds(5));
    BreakerPermit probe = breakers.tryAcquire("m", config);
    assertThat(probe.probe()).isTrue();
    assertThat(probe.previous()).isEqualTo(BreakerState.OPEN);
    assertThat(breakers.tryAcquire("m", config).permitted()).isFalse();
    assertThat(breakers.record("m", config, probe, true)).isEqualTo(BreakerState.OPEN);
    assertThat(breakers.tryAcquire("m", config).retryAfter()).isEqualTo(Duration.ofSeconds(10));

    ticker.advance(Duration.ofSeconds(10));
    assertThat(breakers.notClosed()).containsEntry("m", BreakerState.HALF_OPEN);
    BreakerPermit second = breakers.tryAcquire("m", config);
    breakers.release("m", config, second);
    BreakerPermit third = breakers.tryAcquire("m", config);
    assertThat(third.probe()).isTrue();
    assertThat(breakers.record("m", config, third, false)).isEqualTo(BreakerState.CLOSED);
    assertThat(breakers.notClosed()).isEmpty();
    assertThat(FallbackBreakers.openNanos(config, 3)).isEqualTo(Duration.ofSeconds(12).toNanos());
  }

  @Test
  void breaker_timeWindowForgetsSecondsThatSlidOut() {
    FallbackBreakers breakers = new FallbackBreakers(ticker, 10);
    BreakerConfig config = new BreakerConfig(WindowType.TIME, 2, 2, 0.5, Duration.ofSeconds(5),
        Duration.ofSeconds(5), 1);
    breakers.record("u", config, breakers.tryAcquire("u", config), true);

    ticker.advance(Duration.ofSeconds(3));

    assertThat(breakers.record("u", config, breakers.tryAcquire("u", config), true))
        .as("the first failure slid out: 1 call").isEqualTo(BreakerState.CLOSED);
    assertThat(breakers.record("u", config, breakers.tryAcquire("u", config), false))
        .as("1 of 2 failed").isEqualTo(BreakerState.OPEN);
  }

  @Test
  void breakers_areBoundedLeastRecentlyUsedFirst() {
    FallbackBreakers breakers = new FallbackBreakers(ticker, 2);
    BreakerConfig config = new BreakerConfig(WindowType.COUNT, 1, 1, 1.0, Duration.ofSeconds(5),
        Duration.ofSeconds(5), 1);
    breakers.record("a", config, breakers.tryAcquire("a", config), true);
    breakers.tryAcquire("b", config);
    breakers.tryAcquire("c", config);

    assertThat(breakers.state("a", config)).as("evicted").isEqualTo(BreakerState.CLOSED);
  }

  @Test
  void cache_isFreshThenStaleThenGoneAndBounded() {
    FallbackCache cache = new FallbackCache(ticker, 2);
    cache.put("k", TestSupport.response("x"), Duration.ofSeconds(10).toNanos(), Duration.ofSeconds(5).toNanos());

    assertThat(cache.get("k", false).orElseThrow().fresh()).isTrue();
    ticker.advance(Duration.ofSeconds(10));
    assertThat(cache.get("k", false)).isEmpty();
    assertThat(cache.get("k", true).orElseThrow().age()).isEqualTo(Duration.ofSeconds(10));
    ticker.advance(Duration.ofSeconds(5));
    assertThat(cache.get("k", true)).isEmpty();

    cache.put("a", TestSupport.response("a"), 1_000_000_000L, 0);
    cache.put("b", TestSupport.response("b"), 1_000_000_000L, 0);
    cache.put("c", TestSupport.response("c"), 1_000_000_000L, 0);
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.get("a", true)).isEmpty();
  }
}
