package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.BreakerConfig;
import dev.switchboard.spi.BreakerConfig.WindowType;
import dev.switchboard.spi.BreakerPermit;
import dev.switchboard.spi.BreakerState;
import dev.switchboard.spi.BreakerStore;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;

@ExtendWith(RedisExtension.class)
class RedisBreakerStoreTest {
  /** 4 calls, 4 minimum, 50%, open 100 ms doubling to 400 ms, 2 probes. */
  private static final BreakerConfig CONFIG = new BreakerConfig(WindowType.COUNT, 4, 4, 0.5,
      Duration.ofMillis(100), Duration.ofMillis(400), 2);

  private UnifiedJedis jedis;
  private String prefix;
  private BreakerStore breakers;

  @BeforeEach
  void setUp(RedisServer server) {
    jedis = server.client();
    prefix = TestSupport.uniquePrefix();
    breakers = RedisStateStore.builder(jedis).keyPrefix(prefix).listener(TestSupport.FAIL_ON_DEGRADE).build().breakers();
  }

  private BreakerState call(String name, BreakerConfig config, boolean failure) {
    BreakerPermit permit = breakers.tryAcquire(name, config);
    assertThat(permit.permitted()).isTrue();
    return breakers.record(name, config, permit, failure);
  }

  /** Trips the breaker and returns the server time (us) just before the trip. */
  private long trip(String name) {
    call(name, CONFIG, false);
    call(name, CONFIG, false);
    call(name, CONFIG, true);
    long before = TestSupport.serverMicros(jedis);
    assertThat(call(name, CONFIG, true)).isEqualTo(BreakerState.OPEN);
    return before;
  }

  @Test
  void state_neverSeenIsClosedAndCostsNoKey() {
    assertThat(breakers.state("model:opus", CONFIG)).isEqualTo(BreakerState.CLOSED);
    BreakerPermit permit = breakers.tryAcquire("model:opus", CONFIG);

    assertThat(permit.permitted()).isTrue();
    assertThat(permit.probe()).isFalse();
    assertThat(jedis.exists(new Keys(prefix).breaker("model:opus"))).isFalse();
  }

  @Test
  void record_staysClosedBelowMinimumCalls() {
    call("user:1", CONFIG, true);
    call("user:1", CONFIG, true);

    assertThat(call("user:1", CONFIG, true)).isEqualTo(BreakerState.CLOSED);
    assertThat(jedis.pttl(prefix + "breaker:{user:1}")).as("idle breakers expire").isBetween(590_000L, 600_000L);
  }

  @Test
  void record_tripsAtTheFailureRateAndRefuses() {
    trip("model:opus");

    BreakerPermit refused = breakers.tryAcquire("model:opus", CONFIG);
    assertThat(refused.permitted()).isFalse();
    assertThat(refused.state()).isEqualTo(BreakerState.OPEN);
    assertThat(refused.retryAfter()).isBetween(Duration.ofMillis(1), Duration.ofMillis(100));
    assertThat(breakers.state("model:opus", CONFIG)).isEqualTo(BreakerState.OPEN);
    assertThat(breakers.notClosed()).containsEntry("model:opus", BreakerState.OPEN);
  }

  @Test
  void record_countWindowSlidesOldOutcomesOut() {
    call("user:2", CONFIG, true);
    call("user:2", CONFIG, false);
    call("user:2", CONFIG, false);
    call("user:2", CONFIG, false); // 1 of 4 failed
    call("user:2", CONFIG, false); // the failure slid out: 0 of 4

    assertThat(call("user:2", CONFIG, true)).isEqualTo(BreakerState.CLOSED); // 1 of 4
    assertThat(call("user:2", CONFIG, true)).isEqualTo(BreakerState.OPEN); // 2 of 4
  }

  @Test
  void tryAcquire_afterOpenPeriodLetsProbesThroughAndSuccessesClose() {
    long tripped = trip("model:opus");
    TestSupport.awaitServerTime(jedis, tripped, Duration.ofMillis(150));
    assertThat(breakers.state("model:opus", CONFIG)).isEqualTo(BreakerState.HALF_OPEN);
    assertThat(breakers.notClosed()).containsEntry("model:opus", BreakerState.HALF_OPEN);

    BreakerPermit first = breakers.tryAcquire("model:opus", CONFIG);
    BreakerPermit second = breakers.tryAcquire("model:opus", CONFIG);
    BreakerPermit third = breakers.tryAcquire("model:opus", CONFIG);

    assertThat(first.permitted()).isTrue();
    assertThat(first.probe()).isTrue();
    assertThat(first.changed()).isTrue();
    assertThat(first.previous()).isEqualTo(BreakerState.OPEN);
    assertThat(second.probe()).isTrue();
    assertThat(second.changed()).isFalse();
    assertThat(third.permitted()).as("only 2 probes").isFalse();
    assertThat(breakers.record("model:opus", CONFIG, first, false)).isEqualTo(BreakerState.HALF_OPEN);
    assertThat(breakers.record("model:opus", CONFIG, second, false)).isEqualTo(BreakerState.CLOSED);
    assertThat(breakers.notClosed()).doesNotContainKey("model:opus");
  }

  @Test
  void record_failedProbeReopensForTwiceAsLong() {
    long tripped = trip("model:opus");
    TestSupport.awaitServerTime(jedis, tripped, Duration.ofMillis(150));
    BreakerPermit probe = breakers.tryAcquire("model:opus", CONFIG);

    long before = TestSupport.serverMicros(jedis);
    assertThat(breakers.record("model:opus", CONFIG, probe, true)).isEqualTo(BreakerState.OPEN);

    BreakerPermit refused = breakers.tryAcquire("model:opus", CONFIG);
    long elapsedMs = (TestSupport.serverMicros(jedis) - before) / 1000;
    assertThat(refused.permitted()).isFalse();
    assertThat(refused.retryAfter().toMillis()).isBetween(199 - elapsedMs, 200L);
  }

  @Test
  void release_givesAProbeSlotBack() {
    long tripped = trip("model:opus");
    TestSupport.awaitServerTime(jedis, tripped, Duration.ofMillis(150));
    BreakerPermit first = breakers.tryAcquire("model:opus", CONFIG);
    BreakerPermit second = breakers.tryAcquire("model:opus", CONFIG);
    assertThat(breakers.tryAcquire("model:opus", CONFIG).permitted()).isFalse();

    breakers.release("model:opus", CONFIG, second);

    BreakerPermit again = breakers.tryAcquire("model:opus", CONFIG);
    assertThat(again.permitted()).isTrue();
    assertThat(again.probe()).isTrue();
    assertThat(first.probe()).isTrue();
  }

  @Test
  void record_probeOfAForgottenBreakerIsIgnored() {
    long tripped = trip("model:opus");
    TestSupport.awaitServerTime(jedis, tripped, Duration.ofMillis(150));
    BreakerPermit probe = breakers.tryAcquire("model:opus", CONFIG);
    jedis.del(new Keys(prefix).breaker("model:opus")); // expired while the probe ran

    assertThat(breakers.record("model:opus", CONFIG, probe, true)).isEqualTo(BreakerState.CLOSED);
    assertThat(jedis.exists(new Keys(prefix).breaker("model:opus"))).isFalse();
  }

  @Test
  void record_timeWindowJudgesTheCallsOfRecentSeconds() {
    BreakerConfig timed = new BreakerConfig(WindowType.TIME, 10, 3, 0.6, Duration.ofSeconds(1),
        Duration.ofSeconds(8), 1);

    assertThat(call("route:k1", timed, true)).isEqualTo(BreakerState.CLOSED);
    assertThat(call("route:k1", timed, false)).isEqualTo(BreakerState.CLOSED);
    assertThat(call("route:k1", timed, true)).isEqualTo(BreakerState.OPEN); // 2 of 3 >= 60%
  }

  @Test
  void tryAcquire_changedWindowStartsAFreshWindow() {
    call("user:3", CONFIG, true);
    call("user:3", CONFIG, true);
    call("user:3", CONFIG, true);
    BreakerConfig bigger = new BreakerConfig(WindowType.COUNT, 8, 4, 0.5, Duration.ofMillis(100),
        Duration.ofMillis(400), 2);

    assertThat(call("user:3", bigger, true)).as("1 call in the new window").isEqualTo(BreakerState.CLOSED);
  }

  @Test
  void tryAcquire_isSharedByTwoStores(RedisServer server) {
    BreakerStore other = RedisStateStore.builder(server.client()).keyPrefix(prefix).listener(TestSupport.FAIL_ON_DEGRADE).build().breakers();

    trip("model:haiku");

    assertThat(other.tryAcquire("model:haiku", CONFIG).permitted()).isFalse();
    assertThat(other.notClosed()).containsKey("model:haiku");
  }
}
