package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.BreakerConfig;
import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.BudgetGrant;
import dev.switchboard.spi.Demand;
import dev.switchboard.testkit.FakeTicker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** Stops and restarts its own server: Redis trouble must never fail a call. */
class RedisOutageTest {
  private static final BucketLimits LIMITS = new BucketLimits(8, 0, 0);
  private static final Keys KEYS = new Keys(RedisStateStore.DEFAULT_KEY_PREFIX);

  private RedisServer server;
  private UnifiedJedis jedis;
  private final FakeTicker ticker = new FakeTicker();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private RedisStateStore store;

  @BeforeEach
  void setUp() {
    server = RedisServer.startAny();
    jedis = server.client();
    store = RedisStateStore.builder(jedis).ticker(ticker).expectedInstances(4)
        .probeInterval(Duration.ofSeconds(1)).listener(events::add).build();
  }

  @AfterEach
  void tearDown() {
    store.close();
    server.close();
  }

  /** Advances the fake clock past the probe interval until a call finds Redis again. */
  private void awaitRecovery() {
    for (int i = 0; i < 10 && store.degraded(); i++) {
      ticker.advance(Duration.ofSeconds(1));
      store.budgets().levels("org-a", LIMITS);
    }
    assertThat(store.degraded()).isFalse();
  }

  @Test
  void calls_areAnsweredFromTheFallbackWhileRedisIsDown() {
    assertThat(store.budgets().tryAcquire("org-a", LIMITS, new Demand(1, 0, 0)).granted()).isTrue();
    store.health().disable("key-before", "401 authentication_error");
    server.stop();

    // budgets: this instance's share is 8 / 4 = 2 requests per minute
    assertThat(store.budgets().tryAcquire("org-a", LIMITS, new Demand(1, 0, 0)).granted()).isTrue();
    assertThat(store.degraded()).isTrue();
    assertThat(events).hasSize(1);
    assertThat(events.get(0)).startsWith("redis-state degraded: ").contains("local fallback");
    assertThat(store.budgets().tryAcquire("org-a", LIMITS, new Demand(1, 0, 0)).granted()).isTrue();
    BudgetGrant refused = store.budgets().tryAcquire("org-a", LIMITS, new Demand(1, 0, 0));
    assertThat(refused.granted()).isFalse();
    assertThat(refused.waitNanos()).isEqualTo(Duration.ofSeconds(30).toNanos());
    assertThat(store.budgets().levels("org-a", LIMITS).limits()).isEqualTo(new BucketLimits(2, 0, 0));

    // health, breakers and cache all answer
    assertThat(store.health().disabledReason("key-before")).as("last seen in Redis")
        .isEqualTo("401 authentication_error");
    store.health().coolDown("key-c", Duration.ofSeconds(60));
    assertThat(store.health().cooldownRemaining("key-c")).isEqualTo(Duration.ofSeconds(60));
    assertThat(store.breakers().tryAcquire("model:m", BreakerConfig.DEFAULT).permitted()).isTrue();
    store.responses().put("c", TestSupport.response("x"), Duration.ofSeconds(10), Duration.ZERO);
    assertThat(store.responses().get("c", false)).isPresent();
    assertThat(events).as("one event per switch, not per call").hasSize(1);
  }

  @Test
  void store_returnsToSharedStateWhenRedisAnswersAgain() {
    store.budgets().tryAcquire("org-a", LIMITS, new Demand(1, 0, 0));
    server.stop();
    store.health().disable("key-during", "402 billing_error");
    store.health().coolDown("key-cool", Duration.ofSeconds(60));
    assertThat(store.degraded()).isTrue();

    server.restart(); // same port, empty: no data, no scripts
    assertThat(store.degraded()).as("no probe before the interval").isTrue();
    awaitRecovery();

    assertThat(events).last().asString().startsWith("redis-state recovered");
    assertThat(jedis.hget(KEYS.disabled(), "key-during"))
        .as("disables made during the outage are replayed").isEqualTo("402 billing_error");
    assertThat(jedis.pttl(KEYS.cooldown("key-cool"))).isBetween(50_000L, 60_000L);
    assertThat(store.budgets().tryAcquire("org-a", LIMITS, new Demand(1, 0, 0)).granted()).isTrue();
    assertThat(TestSupport.scriptLoaded(jedis, Scripts.BUDGET_ACQUIRE.sha1())).as("scripts reloaded").isTrue();
    assertThat(jedis.hget(KEYS.budget("org-a"), "v1")).as("shared state again").isNotNull();
    assertThat(store.degraded()).isFalse();
  }

  @Test
  void enable_duringTheOutageIsReplayedToo() {
    store.health().disable("key-a", "401");
    server.stop();
    assertThat(store.health().disabledReason("key-a")).isEqualTo("401");

    assertThat(store.health().enable("key-a")).isTrue();
    assertThat(store.health().disabledReason("key-a")).isNull();
    server.restart();
    server.client().hset(KEYS.disabled(), "key-a", "401"); // as another router left it
    awaitRecovery();

    assertThat(jedis.hget(KEYS.disabled(), "key-a")).isNull();
    assertThat(store.health().disabled()).isEmpty();
  }

  @Test
  void recovery_writesBackTheDisablesARestartedRedisLost() {
    store.health().disable("key:a", "401 authentication_error");
    store.health().disable("keymodel:b/claude-x", "404 not_found_error");
    store.health().disable("key:c", "403 permission_error");
    assertThat(store.health().enable("key:c")).isTrue();
    server.stop();
    assertThat(store.health().disabledReason("key:a")).as("last seen in Redis").isEqualTo("401 authentication_error");
    assertThat(store.degraded()).isTrue();

    server.restart(); // same port, empty
    UnifiedJedis admin = server.client();
    assertThat(admin.hgetAll(KEYS.disabled())).as("Redis lost every disable").isEmpty();
    awaitRecovery();

    assertThat(admin.hgetAll(KEYS.disabled())).as("this store's disables are back; the enabled one is not")
        .containsOnly(Map.entry("key:a", "401 authentication_error"),
            Map.entry("keymodel:b/claude-x", "404 not_found_error"));
    assertThat(events).contains(
        "redis-state wrote back 2 disable(s) Redis no longer had: key:a, keymodel:b/claude-x");
    assertThat(events.indexOf("redis-state wrote back 2 disable(s) Redis no longer had: key:a, keymodel:b/claude-x"))
        .as("written back before the store used Redis again")
        .isLessThan(events.indexOf("redis-state recovered: Redis answers again; back to shared state"));
    assertThat(store.routingView().disabledReason("key:a")).isEqualTo("401 authentication_error");
    RedisStateStore other = RedisStateStore.builder(server.client()).listener(TestSupport.FAIL_ON_DEGRADE).build();
    assertThat(other.health().disabledReason("keymodel:b/claude-x")).as("another router sees it")
        .isEqualTo("404 not_found_error");
    assertThat(other.routingView().disabledReason("key:a")).isEqualTo("401 authentication_error");
    other.close();
  }

  @Test
  void recovery_keepsTheReasonAnotherRouterWroteAfterTheRestart() {
    store.health().disable("key:a", "401 authentication_error");
    server.stop();
    store.budgets().levels("org-a", LIMITS);
    server.restart();
    server.client().hset(KEYS.disabled(), "key:a", "403 permission_error"); // another router, meanwhile

    awaitRecovery();

    assertThat(jedis.hget(KEYS.disabled(), "key:a")).isEqualTo("403 permission_error");
    assertThat(store.health().disabledReason("key:a")).isEqualTo("403 permission_error");
    assertThat(events).noneMatch(m -> m.startsWith("redis-state wrote back"));
  }

  @Test
  void enable_forgetsTheDisableSoARestartDoesNotBringItBack() {
    RedisHealthStore health = (RedisHealthStore) store.health();
    health.disable("key:a", "401");
    health.disable("key:b", "401");
    assertThat(health.ownDisables()).containsOnlyKeys("key:a", "key:b");
    server.stop();
    assertThat(health.enable("key:b")).as("enabled during the outage").isTrue();
    assertThat(health.ownDisables()).containsOnlyKeys("key:a");

    server.restart();
    awaitRecovery();

    assertThat(jedis.hgetAll(KEYS.disabled())).containsOnly(Map.entry("key:a", "401"));
    assertThat(health.enable("key:a")).isTrue();
    assertThat(health.ownDisables()).isEmpty();
    assertThat(jedis.hgetAll(KEYS.disabled())).isEmpty();
  }

  @Test
  void store_probesAtMostOncePerInterval() {
    server.stop();
    store.budgets().levels("org-a", LIMITS);
    long before = events.size();

    for (int i = 0; i < 50; i++) {
      store.budgets().tryAcquire("org-a", LIMITS, new Demand(0, 0, 0));
    }

    assertThat(store.degraded()).isTrue();
    assertThat(events).hasSize((int) before);
    ticker.advance(Duration.ofMillis(999));
    store.budgets().levels("org-a", LIMITS);
    assertThat(store.degraded()).isTrue();
  }

  @Test
  void timeout_slowAnswerIsUsedButSwitchesToTheFallback() {
    SteppingTicker slow = new SteppingTicker();
    RedisStateStore slowStore = RedisStateStore.builder(jedis).ticker(slow).keyPrefix("slow:")
        .timeout(Duration.ofMillis(500)).listener(events::add).build();
    slow.step = Duration.ofMillis(600).toNanos();

    assertThat(slowStore.budgets().tryAcquire("org-a", new BucketLimits(10, 0, 0), new Demand(4, 0, 0)).granted())
        .isTrue();

    assertThat(slowStore.degraded()).isTrue();
    assertThat(events.get(0)).contains("answered in 600 ms, over the 500 ms timeout");
    assertThat(jedis.hget(new Keys("slow:").budget("org-a"), "v1")).as("the slow answer was Redis's").startsWith("6");
    slow.step = 0;
    slow.now += Duration.ofSeconds(2).toNanos();
    slowStore.budgets().levels("org-a", new BucketLimits(10, 0, 0));
    assertThat(slowStore.degraded()).isFalse();
  }

  /** A ticker that moves {@code step} nanoseconds on every read: every call looks that slow. */
  private static final class SteppingTicker implements dev.switchboard.spi.Ticker {
    volatile long now = 1_000_000_000L;
    volatile long step;

    @Override
    public long read() {
      long n = now;
      now = n + step;
      return n;
    }
  }
}
