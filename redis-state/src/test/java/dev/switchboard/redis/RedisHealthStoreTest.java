package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.spi.HealthStore;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;

@ExtendWith(RedisExtension.class)
class RedisHealthStoreTest {
  private UnifiedJedis jedis;
  private String prefix;
  private HealthStore health;

  @BeforeEach
  void setUp(RedisServer server) {
    jedis = server.client();
    prefix = TestSupport.uniquePrefix();
    health = RedisStateStore.builder(jedis).keyPrefix(prefix).listener(TestSupport.FAIL_ON_DEGRADE).build().health();
  }

  @Test
  void coolDown_setsKeyThatExpiresWithTheCooldown() {
    long before = TestSupport.serverMicros(jedis) / 1000;
    health.coolDown("key-a:sonnet", Duration.ofSeconds(30));
    long after = TestSupport.serverMicros(jedis) / 1000;

    assertThat(Long.parseLong(jedis.get(new Keys(prefix).cooldown("key-a:sonnet"))))
        .as("the end of the cooldown in server ms").isBetween(before + 30_000, after + 30_000);

    assertThat(health.cooldownRemaining("key-a:sonnet"))
        .isBetween(Duration.ofSeconds(29), Duration.ofSeconds(30));
    assertThat(jedis.pttl(new Keys(prefix).cooldown("key-a:sonnet"))).isBetween(29_000L, 30_000L);
    assertThat(health.cooldownRemaining("key-b:sonnet")).isEqualTo(Duration.ZERO);
  }

  @Test
  void coolDown_neverShortensALongerCooldown() {
    health.coolDown("key-a", Duration.ofSeconds(60));

    health.coolDown("key-a", Duration.ofSeconds(5));

    assertThat(health.cooldownRemaining("key-a")).isGreaterThan(Duration.ofSeconds(55));
    health.coolDown("key-a", Duration.ofSeconds(90));
    assertThat(health.cooldownRemaining("key-a")).isGreaterThan(Duration.ofSeconds(85));
  }

  @Test
  void coolDown_endsWhenItsTimeHasPassedOnTheServer() {
    long start = TestSupport.serverMicros(jedis);
    health.coolDown("key-a", Duration.ofMillis(80));
    assertThat(health.cooldowns()).containsKey("key-a");

    TestSupport.awaitServerTime(jedis, start, Duration.ofMillis(120));

    assertThat(health.cooldownRemaining("key-a")).isEqualTo(Duration.ZERO);
    assertThat(health.cooldowns()).doesNotContainKey("key-a");
  }

  @Test
  void cooldowns_listsEveryRunningCooldown() {
    health.coolDown("key-a", Duration.ofSeconds(10));
    health.coolDown("key-b", Duration.ofSeconds(20));

    assertThat(health.cooldowns()).containsOnlyKeys("key-a", "key-b");
    assertThat(health.cooldowns().get("key-b")).isBetween(Duration.ofSeconds(19), Duration.ofSeconds(20));
    assertThat(jedis.pttl(new Keys(prefix).cooldownIndex())).isBetween(19_000L, 20_000L);
  }

  @Test
  void coolDown_zeroDoesNothingAndNegativeIsRejected() {
    health.coolDown("key-a", Duration.ZERO);

    assertThat(health.cooldowns()).isEmpty();
    assertThatThrownBy(() -> health.coolDown("key-a", Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duration must be >= 0 but was PT-1S");
  }

  @Test
  void disable_persistsUntilEnabledWithoutTtl() {
    health.disable("key-a", "401 authentication_error");

    assertThat(health.disabledReason("key-a")).isEqualTo("401 authentication_error");
    assertThat(health.disabled()).containsExactly(java.util.Map.entry("key-a", "401 authentication_error"));
    assertThat(jedis.pttl(new Keys(prefix).disabled())).isEqualTo(-1L);

    assertThat(health.enable("key-a")).isTrue();
    assertThat(health.enable("key-a")).isFalse();
    assertThat(health.disabledReason("key-a")).isNull();
    assertThat(health.disabled()).isEmpty();
  }

  @Test
  void disable_blankReasonBecomesDisabled() {
    health.disable("key-a", " ");

    assertThat(health.disabledReason("key-a")).isEqualTo("disabled");
  }

  @Test
  void disable_isSeenByAnotherStoreOnTheSameRedis(RedisServer server) {
    HealthStore other = RedisStateStore.builder(server.client()).keyPrefix(prefix).listener(TestSupport.FAIL_ON_DEGRADE).build().health();

    health.disable("key-a", "402 billing_error");
    health.coolDown("key-b", Duration.ofSeconds(10));

    assertThat(other.disabledReason("key-a")).isEqualTo("402 billing_error");
    assertThat(other.cooldownRemaining("key-b")).isPositive();
  }
}
