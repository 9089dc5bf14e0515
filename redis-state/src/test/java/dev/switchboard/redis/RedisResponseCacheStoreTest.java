package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.spi.CachedResponse;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.ResponseCacheStore;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

@ExtendWith(RedisExtension.class)
class RedisResponseCacheStoreTest {
  private UnifiedJedis jedis;
  private String prefix;
  private ResponseCacheStore cache;

  @BeforeEach
  void setUp(RedisServer server) {
    jedis = server.client();
    prefix = TestSupport.uniquePrefix();
    cache = RedisStateStore.builder(jedis).keyPrefix(prefix).listener(TestSupport.FAIL_ON_DEGRADE).build().responses();
  }

  @Test
  void get_returnsAFreshEntryWithItsAge() {
    MessageResponse response = TestSupport.response("hello");
    cache.put("tenant-a:abc", response, Duration.ofSeconds(60), Duration.ofSeconds(600));

    CachedResponse hit = cache.get("tenant-a:abc", false).orElseThrow();

    assertThat(hit.fresh()).isTrue();
    assertThat(hit.response()).isEqualTo(response);
    assertThat(hit.age()).isLessThan(Duration.ofSeconds(1));
    assertThat(jedis.pttl(prefix + "cache:{tenant-a:abc}")).isBetween(659_000L, 660_000L);
  }

  @Test
  void get_afterTtlServesStaleOnlyWhenAllowed() {
    long start = TestSupport.serverMicros(jedis);
    cache.put("k", TestSupport.response("hi"), Duration.ofMillis(50), Duration.ofSeconds(60));

    TestSupport.awaitServerTime(jedis, start, Duration.ofMillis(80));

    assertThat(cache.get("k", false)).isEmpty();
    CachedResponse stale = cache.get("k", true).orElseThrow();
    assertThat(stale.fresh()).isFalse();
    assertThat(stale.age()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
  }

  @Test
  void get_afterTtlAndStaleTimeIsAMiss() {
    long start = TestSupport.serverMicros(jedis);
    cache.put("k", TestSupport.response("hi"), Duration.ofMillis(30), Duration.ofMillis(30));

    TestSupport.awaitServerTime(jedis, start, Duration.ofMillis(90));

    assertThat(cache.get("k", true)).isEmpty();
    assertThat(jedis.exists(prefix + "cache:{k}")).isFalse();
  }

  @Test
  void invalidate_removesTheEntry() {
    cache.put("k", TestSupport.response("hi"), Duration.ofSeconds(60), Duration.ZERO);

    cache.invalidate("k");

    assertThat(cache.get("k", true)).isEmpty();
  }

  @Test
  void put_zeroLifetimeStoresNothing() {
    cache.put("k", TestSupport.response("hi"), Duration.ZERO, Duration.ZERO);

    assertThat(cache.get("k", true)).isEmpty();
    assertThat(jedis.exists(prefix + "cache:{k}")).isFalse();
  }

  @Test
  void put_rejectsNegativeDurationsNamingThem() {
    assertThatThrownBy(() -> cache.put("k", TestSupport.response("x"), Duration.ofSeconds(-1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ttl must be >= 0 but was PT-1S");
    assertThatThrownBy(() -> cache.put("k", TestSupport.response("x"), Duration.ZERO, Duration.ofSeconds(-2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("staleFor must be >= 0 but was PT-2S");
  }

  @Test
  void get_corruptValueIsAMissNotAnException() {
    long nowMs = TestSupport.serverMicros(jedis) / 1000;
    jedis.set(prefix + "cache:{bad}", "60000 0 " + nowMs + "\n{\"id\": tru", SetParams.setParams().px(60_000));
    jedis.set(prefix + "cache:{worse}", "garbage", SetParams.setParams().px(60_000));
    jedis.set(prefix + "cache:{short}", "60000 0\n{}", SetParams.setParams().px(60_000));
    jedis.set(prefix + "cache:{nan}", "60000 0 soon\n{}", SetParams.setParams().px(60_000));

    assertThat(cache.get("bad", true)).isEqualTo(Optional.empty());
    assertThat(cache.get("worse", true)).isEqualTo(Optional.empty());
    assertThat(cache.get("short", true)).as("a header without the store time").isEqualTo(Optional.empty());
    assertThat(cache.get("nan", true)).isEqualTo(Optional.empty());
  }

  @Test
  void get_isSharedByTwoStores(RedisServer server) {
    ResponseCacheStore other = RedisStateStore.builder(server.client()).keyPrefix(prefix).listener(TestSupport.FAIL_ON_DEGRADE).build().responses();

    cache.put("k", TestSupport.response("shared"), Duration.ofSeconds(60), Duration.ZERO);

    assertThat(other.get("k", false).orElseThrow().response().text()).isEqualTo("shared");
  }
}
