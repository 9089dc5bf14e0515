package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.Demand;
import dev.switchboard.spi.Providers;
import dev.switchboard.spi.StateStore;
import dev.switchboard.spi.StateStoreConfig;
import dev.switchboard.spi.StateStoreProvider;
import dev.switchboard.testkit.FakeTicker;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisExtension.class)
class RedisStateStoreProviderTest {
  private final FakeTicker ticker = new FakeTicker();
  private final StateStoreProvider provider = new RedisStateStoreProvider();

  private StateStoreConfig config(Map<String, Object> options) {
    return new StateStoreConfig(ticker, 100, 100, options);
  }

  @Test
  void serviceLoader_findsTheRedisProviderAboveLocal() {
    Map<String, StateStoreProvider> found =
        Providers.all(StateStoreProvider.class, getClass().getClassLoader());

    // core (a test dependency here) registers "local" with priority 0
    assertThat(found).containsOnlyKeys("redis", "local");
    assertThat(found.get("redis")).isInstanceOf(RedisStateStoreProvider.class);
    assertThat(found.get("redis").priority()).isEqualTo(10).isGreaterThan(found.get("local").priority());
  }

  @Test
  void create_usesTheClientAndOptions(RedisServer server) {
    var jedis = server.client();
    String prefix = TestSupport.uniquePrefix();
    StateStore store = provider.create(config(Map.of(
        RedisStateStoreProvider.CLIENT, jedis,
        RedisStateStoreProvider.KEY_PREFIX, prefix,
        RedisStateStoreProvider.TIMEOUT, Duration.ofSeconds(1),
        RedisStateStoreProvider.PROBE_INTERVAL, 250,
        RedisStateStoreProvider.EXPECTED_INSTANCES, 3,
        RedisStateStoreProvider.VIEW_REFRESH, 100,
        RedisStateStoreProvider.LISTENER, TestSupport.FAIL_ON_DEGRADE)));

    assertThat(store.budgets().tryAcquire("org-a", new BucketLimits(5, 0, 0), new Demand(1, 0, 0)).granted()).isTrue();

    assertThat(jedis.exists(new Keys(prefix).budget("org-a"))).isTrue();
    assertThat(store).isInstanceOf(RedisStateStore.class).hasToString("RedisStateStore[prefix=" + prefix + "]");
    store.close();
  }

  @Test
  void create_withoutClientNamesTheOption() {
    assertThatThrownBy(() -> provider.create(config(Map.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("option 'redis.client' is required: put a redis.clients.jedis.UnifiedJedis "
            + "(e.g. a RedisClient or JedisCluster) in StateStoreConfig.options()");
  }

  @Test
  void create_withWrongTypesNamesOptionAndType(RedisServer server) {
    var jedis = server.client();

    assertThatThrownBy(() -> provider.create(config(Map.of(RedisStateStoreProvider.CLIENT, "localhost:6379"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("option 'redis.client' must be a redis.clients.jedis.UnifiedJedis but was a java.lang.String");
    assertThatThrownBy(() -> provider.create(config(Map.of(RedisStateStoreProvider.CLIENT, jedis,
        RedisStateStoreProvider.KEY_PREFIX, 42))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("option 'redis.keyPrefix' must be a String but was a java.lang.Integer");
    assertThatThrownBy(() -> provider.create(config(Map.of(RedisStateStoreProvider.CLIENT, jedis,
        RedisStateStoreProvider.TIMEOUT, "1s"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("option 'redis.timeout' must be a java.time.Duration or a number of milliseconds"
            + " but was a java.lang.String");
    assertThatThrownBy(() -> provider.create(config(Map.of(RedisStateStoreProvider.CLIENT, jedis,
        RedisStateStoreProvider.EXPECTED_INSTANCES, 2.5))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("option 'redis.expectedInstances' must be an integer but was a java.lang.Double");
    assertThatThrownBy(() -> provider.create(config(Map.of(RedisStateStoreProvider.CLIENT, jedis,
        RedisStateStoreProvider.LISTENER, new Object()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("option 'redis.listener' must be a java.util.function.Consumer<String> but was a java.lang.Object");
  }

  @Test
  void create_withInvalidValuesNamesOptionAndValue(RedisServer server) {
    var jedis = server.client();

    assertThatThrownBy(() -> provider.create(config(Map.of(RedisStateStoreProvider.CLIENT, jedis,
        RedisStateStoreProvider.KEY_PREFIX, "app{1}:"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("option 'redis.keyPrefix': keyPrefix must be non-empty and contain no '{' or '}'"
            + " but was 'app{1}:'");
    assertThatThrownBy(() -> provider.create(config(Map.of(RedisStateStoreProvider.CLIENT, jedis,
        RedisStateStoreProvider.PROBE_INTERVAL, 0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("option 'redis.probeInterval' must be positive but was PT0S");
    assertThatThrownBy(() -> provider.create(config(Map.of(RedisStateStoreProvider.CLIENT, jedis,
        RedisStateStoreProvider.VIEW_REFRESH, Duration.ofMillis(-250)))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("option 'redis.viewRefresh' must be positive but was PT-0.25S");
    assertThatThrownBy(() -> provider.create(config(Map.of(RedisStateStoreProvider.CLIENT, jedis,
        RedisStateStoreProvider.VIEW_REFRESH, "250ms"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("option 'redis.viewRefresh' must be a java.time.Duration or a number of milliseconds"
            + " but was a java.lang.String");
    assertThatThrownBy(() -> provider.create(config(Map.of(RedisStateStoreProvider.CLIENT, jedis,
        RedisStateStoreProvider.EXPECTED_INSTANCES, 0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("option 'redis.expectedInstances' must be >= 1 but was 0");
  }

  @Test
  void builder_validatesAtOnceNamingFieldAndValue(RedisServer server) {
    RedisStateStore.Builder b = RedisStateStore.builder(server.client());

    assertThatThrownBy(() -> b.keyPrefix("")).hasMessage(
        "keyPrefix must be non-empty and contain no '{' or '}' but was ''");
    assertThatThrownBy(() -> b.timeout(Duration.ZERO)).hasMessage("timeout must be positive but was PT0S");
    assertThatThrownBy(() -> b.expectedInstances(0)).hasMessage("expectedInstances must be >= 1 but was 0");
    assertThatThrownBy(() -> b.viewRefresh(Duration.ZERO)).hasMessage("viewRefresh must be positive but was PT0S");
    assertThatThrownBy(() -> b.budgetIdleTtl(Duration.ofMillis(10)))
        .hasMessage("budgetIdleTtl must be >= PT1S but was PT0.01S");
    assertThatThrownBy(() -> b.maximumBreakers(0)).hasMessage("maximumBreakers must be >= 1 but was 0");
    assertThatThrownBy(() -> b.maximumCachedResponses(-1))
        .hasMessage("maximumCachedResponses must be >= 0 but was -1");
    assertThatThrownBy(() -> RedisStateStore.builder(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("client");
    Consumer<String> none = m -> {};
    assertThat(b.listener(none).build().keyPrefix()).isEqualTo(RedisStateStore.DEFAULT_KEY_PREFIX);
  }
}
