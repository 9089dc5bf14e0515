package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.BreakerConfig;
import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.Demand;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

@ExtendWith(RedisExtension.class)
class RedisScriptsTest {
  private static final BucketLimits LIMITS = new BucketLimits(1_000_000, 0, 0);

  private RedisServer server;
  private UnifiedJedis jedis;
  private String prefix;
  private RedisStateStore store;

  @BeforeEach
  void setUp(RedisServer server) {
    this.server = server;
    jedis = server.client();
    prefix = TestSupport.uniquePrefix();
    store = RedisStateStore.builder(jedis).keyPrefix(prefix).listener(TestSupport.FAIL_ON_DEGRADE).build();
  }

  @Test
  void load_computesTheSha1RedisComputes() {
    for (LuaScript script : List.of(Scripts.BUDGET_ACQUIRE, Scripts.BREAKER, Scripts.COOL_DOWN, Scripts.CACHE_GET)) {
      assertThat(jedis.scriptLoad(script.source())).isEqualTo(script.sha1());
    }
    assertThat(Scripts.BUDGET_ACQUIRE.source()).contains("redis.call('TIME')");
    assertThat(Scripts.BUDGET_ACQUIRE).isNotEqualTo(Scripts.BUDGET_SETTLE);
  }

  @Test
  void run_recoversFromNoScriptAfterScriptFlush() {
    store.budgets().tryAcquire("org-a", LIMITS, new Demand(1, 0, 0));
    jedis.scriptFlush();
    assertThat(TestSupport.scriptLoaded(jedis, Scripts.BUDGET_ACQUIRE.sha1())).isFalse();
    TestSupport.resetStats(server);

    assertThat(store.budgets().tryAcquire("org-a", LIMITS, new Demand(1, 0, 0)).granted()).isTrue();
    assertThat(store.budgets().tryAcquire("org-a", LIMITS, new Demand(1, 0, 0)).granted()).isTrue();

    assertThat(TestSupport.commandCalls(jedis, "eval")).as("EVAL once, which loads it").isEqualTo(1);
    assertThat(TestSupport.scriptLoaded(jedis, Scripts.BUDGET_ACQUIRE.sha1())).isTrue();
    assertThat(store.degraded()).isFalse();
  }

  @Test
  void tryAcquire_isOneRoundTrip() {
    store.budgets().tryAcquire("org-a", LIMITS, new Demand(1, 0, 0)); // loads the script
    TestSupport.resetStats(server);

    int calls = 200;
    for (int i = 0; i < calls; i++) {
      store.budgets().tryAcquire("org-a", LIMITS, new Demand(1, 0, 0));
    }

    assertThat(TestSupport.commandCalls(jedis, "evalsha")).isEqualTo(calls);
    assertThat(TestSupport.commandCalls(jedis, "eval")).isZero();
    // inside the script: one TIME, one HMGET, one HSET, one PEXPIRE per acquire
    assertThat(TestSupport.commandCalls(jedis, "hmget")).isEqualTo(calls);
  }

  @Test
  void hotPathDecisions_areOneRoundTripEach() {
    BreakerConfig config = BreakerConfig.DEFAULT;
    store.breakers().tryAcquire("model:m", config);
    store.health().cooldownRemaining("k");
    store.responses().get("c", false);
    TestSupport.resetStats(server);

    store.breakers().tryAcquire("model:m", config);
    store.health().cooldownRemaining("k");
    store.responses().get("c", false);

    assertThat(TestSupport.commandCalls(jedis, "evalsha")).as("breaker, cooldown check, cache get")
        .isEqualTo(3);
    assertThat(TestSupport.totalCalls(jedis) - TestSupport.commandCalls(jedis, "evalsha"))
        .as("commands inside the scripts only").isEqualTo(TestSupport.commandCalls(jedis, "get")
            + TestSupport.commandCalls(jedis, "hgetall") + TestSupport.commandCalls(jedis, "time")
            + TestSupport.commandCalls(jedis, "pexpire"));
    assertThat(TestSupport.commandCalls(jedis, "eval")).isZero();
  }

  @Test
  void keys_routingStateSharesOneSlotAndTheRestSpreads() {
    Keys keys = new Keys(prefix);
    int routing = JedisClusterCRC16.getSlot(prefix + "{r}");
    for (String key : List.of(keys.budget("org-a/opus-4"), keys.budget("org-b/sonnet-4"), keys.cooldown("pool:x"),
        keys.cooldownIndex(), keys.disabled(), keys.breaker("model:opus"), keys.breaker("route:a/opus"),
        keys.routingBreakerIndex(), keys.breakerIndex("route:a/opus"))) {
      assertThat(JedisClusterCRC16.getSlot(key)).as(key).isEqualTo(routing);
    }
    // per-user breakers and cached responses spread over slots by their own tag
    assertThat(JedisClusterCRC16.getSlot(keys.breaker("user:42"))).isEqualTo(JedisClusterCRC16.getSlot("user:42"));
    assertThat(keys.breakerIndex("user:42")).isEqualTo(keys.userBreakerIndex());
    assertThat(JedisClusterCRC16.getSlot(keys.cache("t:abc"))).isEqualTo(JedisClusterCRC16.getSlot("t:abc"));
    assertThat(JedisClusterCRC16.getSlot(keys.budget("odd{pool}"))).as("a brace in a name changes nothing")
        .isEqualTo(routing);
  }

  @Test
  void everyKey_livesUnderThePrefixAndAllButDisablesExpire() {
    store.budgets().tryAcquire("org-a", new BucketLimits(10, 10, 10), new Demand(1, 1, 1));
    store.health().coolDown("key-a", Duration.ofSeconds(30));
    store.health().disable("key-b", "401");
    for (int i = 0; i < 10; i++) {
      var permit = store.breakers().tryAcquire("model:m", BreakerConfig.DEFAULT);
      store.breakers().record("model:m", BreakerConfig.DEFAULT, permit, true);
      permit = store.breakers().tryAcquire("user:u", BreakerConfig.DEFAULT);
      store.breakers().record("user:u", BreakerConfig.DEFAULT, permit, true);
    }
    store.responses().put("c", TestSupport.response("x"), Duration.ofSeconds(5), Duration.ofSeconds(5));

    Set<String> keys = jedis.keys(prefix + "*");

    assertThat(keys).containsExactlyInAnyOrder(prefix + "{r}:budget:org-a", prefix + "{r}:cooldown:key-a",
        prefix + "{r}:cooldowns", prefix + "{r}:disabled", prefix + "{r}:breaker:model:m",
        prefix + "{r}:notclosed", prefix + "breaker:{user:u}", prefix + "{breakers}:notclosed",
        prefix + "cache:{c}");
    for (String key : keys) {
      if (!key.endsWith("{r}:disabled")) {
        assertThat(jedis.pttl(key)).as(key).isPositive();
      }
    }
    assertThat(store.breakers().notClosed()).as("both indexes are read")
        .containsOnlyKeys("model:m", "user:u");
  }

  @Test
  void keyPrefix_isolatesTwoApplications(RedisServer server) {
    RedisStateStore otherApp = RedisStateStore.builder(server.client()).keyPrefix(TestSupport.uniquePrefix())
        .listener(TestSupport.FAIL_ON_DEGRADE).build();
    BucketLimits one = new BucketLimits(1, 0, 0);

    assertThat(store.budgets().tryAcquire("org-a", one, new Demand(1, 0, 0)).granted()).isTrue();
    store.health().disable("key-a", "401");

    assertThat(otherApp.budgets().tryAcquire("org-a", one, new Demand(1, 0, 0)).granted()).isTrue();
    assertThat(otherApp.health().disabledReason("key-a")).isNull();
    assertThat(store.budgets().tryAcquire("org-a", one, new Demand(1, 0, 0)).granted()).isFalse();
  }
}
