package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.BreakerConfig;
import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.Demand;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The fallback path of the test harness: the redis-server binary shipped by embedded-redis (6.2)
 * starts on this machine and runs every script, so the suite passes where no redis-server is
 * installed.
 */
class EmbeddedRedisBinaryTest {

  @Test
  void embeddedServer_runsEveryScript() {
    try (RedisServer server = RedisServer.startEmbedded()) {
      RedisStateStore store = RedisStateStore.builder(server.client())
          .listener(TestSupport.FAIL_ON_DEGRADE).build();

      assertThat(server.version()).startsWith("6.2");
      assertThat(store.budgets().tryAcquire("org", new BucketLimits(2, 0, 0), new Demand(2, 0, 0)).granted()).isTrue();
      assertThat(store.budgets().tryAcquire("org", new BucketLimits(2, 0, 0), new Demand(1, 0, 0)).granted()).isFalse();
      store.budgets().settle("org", new BucketLimits(2, 0, 0), new Demand(2, 0, 0), new Demand(1, 0, 0));
      assertThat(store.budgets().levels("org", new BucketLimits(2, 0, 0)).requests()).isGreaterThanOrEqualTo(1.0);
      store.health().coolDown("k", Duration.ofSeconds(5));
      assertThat(store.health().cooldowns()).containsKey("k");
      var permit = store.breakers().tryAcquire("m", BreakerConfig.DEFAULT);
      store.breakers().record("m", BreakerConfig.DEFAULT, permit, true);
      assertThat(store.breakers().notClosed()).isEmpty();
      store.responses().put("c", TestSupport.response("x"), Duration.ofSeconds(5), Duration.ZERO);
      assertThat(store.responses().get("c", false)).isPresent();
    }
  }
}
