package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.BudgetStore;
import dev.switchboard.spi.Demand;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;

@ExtendWith(RedisExtension.class)
class RedisConcurrencyTest {

  @Test
  void tryAcquire_twoStoresUnderConcurrentLoadNeverOverGrant(RedisServer server) throws Exception {
    String prefix = TestSupport.uniquePrefix();
    UnifiedJedis probe = server.client();
    BudgetStore first = RedisStateStore.builder(server.client()).keyPrefix(prefix)
        .listener(TestSupport.FAIL_ON_DEGRADE).build().budgets();
    BudgetStore second = RedisStateStore.builder(server.client()).keyPrefix(prefix)
        .listener(TestSupport.FAIL_ON_DEGRADE).build().budgets();
    BucketLimits limits = new BucketLimits(120, 120_000, 0); // 2 requests per second refill
    Demand demand = new Demand(1, 1_000, 0);
    int threads = 8;
    int attemptsEach = 150;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      BudgetStore store = t % 2 == 0 ? first : second;
      results.add(pool.submit(() -> {
        start.await();
        int granted = 0;
        for (int i = 0; i < attemptsEach; i++) {
          if (store.tryAcquire("org-shared", limits, demand).granted()) {
            granted++;
          }
        }
        return granted;
      }));
    }
    long before = TestSupport.serverMicros(probe);
    start.countDown();
    int granted = 0;
    for (Future<Integer> f : results) {
      granted += f.get(60, TimeUnit.SECONDS);
    }
    long elapsedMicros = TestSupport.serverMicros(probe) - before;
    pool.shutdown();

    double refilled = elapsedMicros / 1_000_000.0 * 2.0;
    assertThat(granted).isGreaterThanOrEqualTo(120).isLessThanOrEqualTo(120 + (int) Math.ceil(refilled));
    assertThat(first.levels("org-shared", limits).requests()).isLessThan(1.0 + refilled);
  }
}
