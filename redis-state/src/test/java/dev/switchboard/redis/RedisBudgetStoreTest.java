package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.BucketLimits.Dimension;
import dev.switchboard.spi.BudgetGrant;
import dev.switchboard.spi.BudgetLevels;
import dev.switchboard.spi.BudgetStore;
import dev.switchboard.spi.Demand;
import dev.switchboard.spi.RateLimitInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;

@ExtendWith(RedisExtension.class)
class RedisBudgetStoreTest {
  private static final BucketLimits LIMITS = new BucketLimits(10, 1_000, 500);

  private UnifiedJedis jedis;
  private String prefix;
  private BudgetStore budgets;

  @BeforeEach
  void setUp(RedisServer server) {
    jedis = server.client();
    prefix = TestSupport.uniquePrefix();
    budgets = RedisStateStore.builder(jedis).keyPrefix(prefix).listener(TestSupport.FAIL_ON_DEGRADE).build().budgets();
  }

  @Test
  void levels_newPoolStartsFull() {
    BudgetLevels levels = budgets.levels("org-a", LIMITS);

    assertThat(levels.requests()).isEqualTo(10.0);
    assertThat(levels.inputTokens()).isEqualTo(1_000.0);
    assertThat(levels.outputTokens()).isEqualTo(500.0);
    assertThat(levels.limits()).isEqualTo(LIMITS);
  }

  @Test
  void tryAcquire_debitsAllThreeDimensionsTogether() {
    BudgetGrant grant = budgets.tryAcquire("org-a", LIMITS, new Demand(1, 400, 200));

    assertThat(grant).isEqualTo(BudgetGrant.GRANTED);
    BudgetLevels levels = budgets.levels("org-a", LIMITS);
    assertThat(levels.requests()).isCloseTo(9.0, within(0.01));
    assertThat(levels.inputTokens()).isCloseTo(600.0, within(0.5));
    assertThat(levels.outputTokens()).isCloseTo(300.0, within(0.5));
  }

  @Test
  void tryAcquire_refusalTakesNothingFromAnyDimension() {
    budgets.tryAcquire("org-a", LIMITS, new Demand(1, 900, 0));

    BudgetGrant refused = budgets.tryAcquire("org-a", LIMITS, new Demand(1, 500, 100));

    assertThat(refused.granted()).isFalse();
    assertThat(refused.limitedBy()).isEqualTo(Dimension.INPUT_TOKENS);
    // 400 tokens missing at 1,000/min: about 24 s
    assertThat(refused.waitNanos()).isBetween(Duration.ofSeconds(23).toNanos(), Duration.ofSeconds(24).toNanos());
    BudgetLevels levels = budgets.levels("org-a", LIMITS);
    assertThat(levels.requests()).isCloseTo(9.0, within(0.01));
    assertThat(levels.outputTokens()).isCloseTo(500.0, within(0.01));
  }

  @Test
  void tryAcquire_reportsTheSlowestDimension() {
    budgets.tryAcquire("org-a", LIMITS, new Demand(10, 0, 500));

    BudgetGrant refused = budgets.tryAcquire("org-a", LIMITS, new Demand(1, 0, 250));

    // requests: 1 of 10/min missing = 6 s; output: 250 of 500/min = 30 s
    assertThat(refused.limitedBy()).isEqualTo(Dimension.OUTPUT_TOKENS);
    assertThat(refused.waitNanos()).isBetween(Duration.ofSeconds(29).toNanos(), Duration.ofSeconds(30).toNanos());
  }

  @Test
  void tryAcquire_demandAboveCapacityNeverFits() {
    BudgetGrant refused = budgets.tryAcquire("org-a", LIMITS, new Demand(1, 1_001, 0));

    assertThat(refused.granted()).isFalse();
    assertThat(refused.waitNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(refused.limitedBy()).isEqualTo(Dimension.INPUT_TOKENS);
  }

  @Test
  void tryAcquire_unknownLimitsAlwaysGrant() {
    for (int i = 0; i < 5; i++) {
      assertThat(budgets.tryAcquire("org-x", BucketLimits.UNKNOWN, new Demand(1, 1_000_000, 1_000_000)).granted())
          .isTrue();
    }
    assertThat(budgets.levels("org-x", BucketLimits.UNKNOWN).headroom()).isEqualTo(1.0);
  }

  @Test
  void tryAcquire_refillsByServerTime() {
    BucketLimits fast = new BucketLimits(60_000, 0, 0); // 1 request per millisecond
    long before = TestSupport.serverMicros(jedis);
    assertThat(budgets.tryAcquire("org-a", fast, new Demand(60_000, 0, 0)).granted()).isTrue();
    long after = TestSupport.serverMicros(jedis);
    BudgetGrant refused = budgets.tryAcquire("org-a", fast, new Demand(150, 0, 0));
    assertThat(refused.granted()).isFalse();
    assertThat(refused.waitNanos()).isBetween(1L, Duration.ofMillis(150).toNanos());

    TestSupport.awaitServerTime(jedis, after, Duration.ofMillis(200));

    long readBefore = TestSupport.serverMicros(jedis);
    double level = budgets.levels("org-a", fast).requests();
    long readAfter = TestSupport.serverMicros(jedis);
    assertThat(level).isBetween((readBefore - after) / 1000.0 - 1, (readAfter - before) / 1000.0 + 1);
    assertThat(budgets.tryAcquire("org-a", fast, new Demand(150, 0, 0)).granted()).isTrue();
  }

  @Test
  void settle_refundsUnusedReservationUpToTheLimit() {
    budgets.tryAcquire("org-a", LIMITS, new Demand(1, 400, 400));

    budgets.settle("org-a", LIMITS, new Demand(1, 400, 400), new Demand(1, 380, 100));

    BudgetLevels levels = budgets.levels("org-a", LIMITS);
    assertThat(levels.inputTokens()).isCloseTo(620.0, within(0.5));
    assertThat(levels.outputTokens()).isCloseTo(400.0, within(0.5));
    assertThat(levels.requests()).isCloseTo(9.0, within(0.01));
  }

  @Test
  void settle_excessUsageLeavesDebtThatRefusesEvenZeroDemand() {
    budgets.tryAcquire("org-a", LIMITS, new Demand(1, 0, 400));

    budgets.settle("org-a", LIMITS, new Demand(1, 0, 400), new Demand(1, 0, 700));

    assertThat(budgets.levels("org-a", LIMITS).outputTokens()).isCloseTo(-200.0, within(0.5));
    BudgetGrant refused = budgets.tryAcquire("org-a", LIMITS, new Demand(1, 10, 0));
    assertThat(refused.granted()).isFalse();
    assertThat(refused.limitedBy()).isEqualTo(Dimension.OUTPUT_TOKENS);
    assertThat(jedis.pttl(new Keys(prefix).budget("org-a")))
        .as("kept until the debt is repaid (24 s) and idle (2 min)").isGreaterThan(100_000);
  }

  @Test
  void observe_lowersToServerRemainingButNeverRaises() {
    budgets.tryAcquire("org-a", LIMITS, new Demand(1, 100, 0));
    Map<String, String> headers = Map.of(
        "anthropic-ratelimit-requests-remaining", "3",
        "anthropic-ratelimit-input-tokens-remaining", "100",
        "anthropic-ratelimit-output-tokens-remaining", "9000");
    RateLimitInfo info = RateLimitInfo.parse(headers::get, Instant.now());

    budgets.observe("org-a", LIMITS, info);

    BudgetLevels levels = budgets.levels("org-a", LIMITS);
    assertThat(levels.requests()).isCloseTo(3.0, within(0.01));
    assertThat(levels.inputTokens()).as("token counts are rounded: 500 tolerance").isCloseTo(600.0, within(0.5));
    assertThat(levels.outputTokens()).isCloseTo(500.0, within(0.01));
  }

  @Test
  void tryAcquire_loweredLimitClampsAndNewlyKnownStartsFull() {
    budgets.tryAcquire("org-a", new BucketLimits(10, 0, 0), new Demand(2, 0, 0));

    BudgetLevels levels = budgets.levels("org-a", new BucketLimits(5, 1_000, 0));

    assertThat(levels.requests()).isCloseTo(5.0, within(0.01));
    assertThat(levels.inputTokens()).isEqualTo(1_000.0);
  }

  @Test
  void tryAcquire_keyExpiresWhenIdle() {
    budgets.tryAcquire("org-a", LIMITS, new Demand(1, 0, 0));

    long ttl = jedis.pttl(new Keys(prefix).budget("org-a"));

    assertThat(ttl).isBetween(100_000L, 120_000L);
  }
}
