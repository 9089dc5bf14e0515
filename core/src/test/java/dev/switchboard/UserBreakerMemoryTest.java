package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.BreakerConfig;
import dev.switchboard.spi.BreakerPermit;
import dev.switchboard.spi.BreakerStore;
import dev.switchboard.spi.Providers;
import dev.switchboard.spi.StateStore;
import dev.switchboard.spi.StateStoreConfig;
import dev.switchboard.spi.StateStoreProvider;
import dev.switchboard.testkit.FakeTicker;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One million distinct users through the per-user breakers of the router's default local store
 * (100,000 breakers kept): retained heap stays bounded whatever the number of users.
 */
class UserBreakerMemoryTest {
  /** The stated bound: the store's 100,000 breakers in at most 40 MB (400 bytes each). */
  private static final long BOUND_BYTES = 40L * 1024 * 1024;

  @Test
  @Timeout(60)
  void millionDistinctUsers_stayWithinTheStatedMemoryBound() {
    FakeTicker ticker = new FakeTicker();
    long before = retainedHeap();
    StateStore store = Providers.find(StateStoreProvider.class, "local",
        Switchboard.class.getClassLoader()).create(new StateStoreConfig(ticker, 100_000, 0, Map.of()));
    BreakerStore breakers = store.breakers();
    BreakerConfig config = BreakerConfig.DEFAULT;
    int users = 1_000_000;
    for (int i = 0; i < users; i++) {
      String name = Engine.userBreaker("user-" + i);
      BreakerPermit p = breakers.tryAcquire(name, config);
      breakers.record(name, config, p, false);
    }
    long retained = retainedHeap() - before;
    System.out.printf("1,000,000 users through the per-user breakers: %,d bytes retained "
        + "(%.1f bytes per user, %.0f bytes per kept breaker)%n", retained, retained / (double) users,
        retained / 100_000.0);

    assertThat(retained).isLessThan(BOUND_BYTES);
    assertThat(breakers.state(Engine.userBreaker("user-999999"), config)).isNotNull();
    store.close();
  }

  private static long retainedHeap() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
