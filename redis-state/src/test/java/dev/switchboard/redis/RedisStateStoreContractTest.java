package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.Demand;
import dev.switchboard.spi.StateStore;
import dev.switchboard.state.StateStoreContract;
import dev.switchboard.testkit.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;

/**
 * Runs core's whole state-store contract, unchanged and without skipping a test, against
 * {@link RedisStateStore} on a real Redis server. The contract drives time with a
 * {@link FakeTicker}; the store is built with the test-only {@code scriptTicker}, so its Lua scripts
 * read "now" from that ticker instead of the server's {@code TIME} and every refill, cooldown,
 * breaker window and cache age is judged in Redis exactly as the local home judges it. Each test
 * gets its own key prefix on the one shared server; the store must never fall back to local
 * state here (checked after each test), so every answer is Redis's.
 */
@ExtendWith(RedisExtension.class)
class RedisStateStoreContractTest extends StateStoreContract {
  private static UnifiedJedis client;
  private final List<String> switches = new ArrayList<>();

  @BeforeAll
  static void connect(RedisServer server) {
    client = server.client();
  }

  @Override
  protected StateStore newStore(FakeTicker ticker) {
    return RedisStateStore.builder(client)
        .keyPrefix(TestSupport.uniquePrefix())
        .scriptTicker(ticker)
        // the slow-call check stays on real time: a fake ticker moved by another thread must not
        // make a Redis answer look slow
        .ticker(dev.switchboard.spi.Ticker.system())
        .listener(message -> {
          synchronized (switches) {
            switches.add(message);
          }
        })
        .build();
  }

  @AfterEach
  void neverFellBack() {
    synchronized (switches) {
      assertThat(switches).as("the store answered from Redis only").isEmpty();
    }
    assertThat(((RedisStateStore) store).degraded()).isFalse();
  }

  @Test
  void scriptTicker_drivesRefillInRedisNotTheServerClock() {
    BucketLimits limits = new BucketLimits(60, 0, 0);
    store.budgets().tryAcquire("p", limits, new Demand(60, 0, 0));

    assertThat(store.budgets().levels("p", limits).requests()).isEqualTo(0.0);
    ticker.advance(Duration.ofSeconds(30));

    assertThat(store.budgets().levels("p", limits).requests()).isEqualTo(30.0);
    String prefix = ((RedisStateStore) store).keyPrefix();
    assertThat(client.hget(new Keys(prefix).budget("p"), "v1")).isEqualTo("0");
  }
}
