package dev.switchboard.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.spi.BreakerConfig;
import dev.switchboard.spi.BreakerPermit;
import dev.switchboard.spi.BreakerState;
import dev.switchboard.spi.ContentBlock;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.Providers;
import dev.switchboard.spi.StateStore;
import dev.switchboard.spi.StateStoreConfig;
import dev.switchboard.spi.StateStoreProvider;
import dev.switchboard.spi.Usage;
import dev.switchboard.testkit.FakeTicker;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs the state-store contract against the local home, plus what only the local home does. */
class LocalStateStoreTest extends StateStoreContract {

  @Override
  protected StateStore newStore(FakeTicker ticker) {
    return new LocalStateStoreProvider().create(StateStoreConfig.defaults(ticker));
  }

  static LocalStateStore local(FakeTicker ticker, long maximumBreakers, long maximumResponses) {
    return (LocalStateStore) Providers.find(StateStoreProvider.class, "local",
            LocalStateStoreTest.class.getClassLoader())
        .create(new StateStoreConfig(ticker, maximumBreakers, maximumResponses, Map.of()));
  }

  static final BreakerConfig CONFIG = new BreakerConfig(BreakerConfig.WindowType.COUNT, 4, 2, 0.5,
      Duration.ofSeconds(1), Duration.ofSeconds(4), 1);

  static final MessageResponse RESPONSE = new MessageResponse("msg_1", "claude-haiku-4-5", "assistant",
      List.of(ContentBlock.text("hi")), "end_turn", null, Usage.of(3, 1), Map.of());

  @Test
  void provider_isFoundByServiceLoaderAsLocal() {
    Map<String, StateStoreProvider> all =
        Providers.all(StateStoreProvider.class, LocalStateStoreTest.class.getClassLoader());

    assertThat(all).containsKey("local");
    assertThat(all.get("local")).isInstanceOf(LocalStateStoreProvider.class);
    assertThat(all.get("local").priority()).isZero();
  }

  @Test
  void create_returnsIndependentStores() {
    StateStore a = newStore(ticker);
    StateStore b = newStore(ticker);

    a.health().disable("key:a", "revoked");

    assertThat(b.health().disabled()).isEmpty();
  }

  @Test
  void coolDown_negativeDurationIsRejected() {
    assertThatThrownBy(() -> store.health().coolDown("key:a", Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duration must be >= 0 but was PT-1S");
  }

  @Test
  void coolDown_hugeDurationSaturates() {
    store.health().coolDown("key:a", Duration.ofDays(365L * 1_000_000));

    assertThat(store.health().cooldownRemaining("key:a")).isGreaterThan(Duration.ofDays(365L * 200));
  }

  @Test
  void put_negativeTtlIsRejected() {
    assertThatThrownBy(() -> store.responses().put("k", RESPONSE, Duration.ofMillis(-5), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ttl must be >= 0 but was PT-0.005S");
    assertThatThrownBy(() -> store.responses().put("k", RESPONSE, Duration.ZERO, Duration.ofSeconds(-2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("staleFor must be >= 0 but was PT-2S");
  }

  @Test
  void breakers_areBoundedByMaximumBreakers() {
    LocalStateStore local = local(ticker, 100, 10);

    for (int i = 0; i < 1_000; i++) {
      local.breakers().tryAcquire("user:" + i, CONFIG);
    }

    assertThat(local.localBreakers().size()).isLessThanOrEqualTo(100);
  }

  @Test
  void breakers_openOnesSurviveSizeEviction() {
    LocalStateStore local = local(ticker, 10, 10);
    for (int i = 0; i < 2; i++) {
      BreakerPermit p = local.breakers().tryAcquire("model:opus", CONFIG);
      local.breakers().record("model:opus", CONFIG, p, true);
    }

    for (int i = 0; i < 1_000; i++) {
      for (int j = 0; j < 20; j++) { // used more often than the open breaker: only its weight saves it
        local.breakers().tryAcquire("user:" + i, CONFIG);
      }
    }

    assertThat(local.breakers().state("model:opus", CONFIG)).isEqualTo(BreakerState.OPEN);
    assertThat(local.breakers().notClosed()).containsExactly(Map.entry("model:opus", BreakerState.OPEN));
  }

  @Test
  void breakers_idleOnesAreForgottenByTheTicker() {
    LocalStateStore local = local(ticker, 100, 10);
    BreakerPermit p = local.breakers().tryAcquire("user:1", CONFIG);
    local.breakers().record("user:1", CONFIG, p, true);

    ticker.advance(LocalBreakerStore.IDLE_EXPIRY.plusSeconds(1));

    assertThat(local.localBreakers().size()).isZero();
    p = local.breakers().tryAcquire("user:1", CONFIG);
    assertThat(local.breakers().record("user:1", CONFIG, p, true))
        .isEqualTo(BreakerState.CLOSED); // the earlier failure was forgotten with the breaker
  }

  @Test
  void breakers_usedOnesAreKept() {
    LocalStateStore local = local(ticker, 100, 10);
    BreakerPermit p = local.breakers().tryAcquire("user:1", CONFIG);
    local.breakers().record("user:1", CONFIG, p, true);

    ticker.advance(LocalBreakerStore.IDLE_EXPIRY.minusSeconds(1));
    local.breakers().tryAcquire("user:1", CONFIG);
    ticker.advance(LocalBreakerStore.IDLE_EXPIRY.minusSeconds(1));

    p = local.breakers().tryAcquire("user:1", CONFIG);
    assertThat(local.breakers().record("user:1", CONFIG, p, true)).isEqualTo(BreakerState.OPEN);
  }

  @Test
  void record_newConfigWithOtherWindowResetsWindow() {
    BreakerConfig bigger = new BreakerConfig(BreakerConfig.WindowType.COUNT, 8, 2, 0.5,
        Duration.ofSeconds(1), Duration.ofSeconds(4), 1);
    BreakerPermit p = store.breakers().tryAcquire("model:x", CONFIG);
    store.breakers().record("model:x", CONFIG, p, true);

    p = store.breakers().tryAcquire("model:x", bigger);

    assertThat(store.breakers().record("model:x", bigger, p, true)).isEqualTo(BreakerState.CLOSED);
  }

  @Test
  void record_countWindowLargerThanOneWordWorks() {
    BreakerConfig wide = new BreakerConfig(BreakerConfig.WindowType.COUNT, 100, 100, 0.5,
        Duration.ofSeconds(1), Duration.ofSeconds(4), 1);
    for (int i = 0; i < 150; i++) {
      BreakerPermit p = store.breakers().tryAcquire("w", wide);
      assertThat(store.breakers().record("w", wide, p, i >= 100 && i < 149)).isEqualTo(BreakerState.CLOSED);
    }

    BreakerPermit p = store.breakers().tryAcquire("w", wide);

    assertThat(store.breakers().record("w", wide, p, true)).isEqualTo(BreakerState.OPEN); // 50 of 100
  }

  @Test
  void responses_areBoundedByMaximumCachedResponses() {
    LocalStateStore local = local(ticker, 100, 10);

    for (int i = 0; i < 200; i++) {
      local.responses().put("k" + i, RESPONSE, Duration.ofMinutes(1), Duration.ZERO);
    }

    assertThat(local.localResponses().size()).isLessThanOrEqualTo(10);
  }

  @Test
  void responses_expiredEntriesAreEvicted() {
    LocalStateStore local = local(ticker, 100, 10);
    local.responses().put("k", RESPONSE, Duration.ofSeconds(5), Duration.ofSeconds(5));

    ticker.advance(Duration.ofSeconds(10));

    assertThat(local.localResponses().size()).isZero();
  }

  @Test
  void responses_zeroBoundCachesNothing() {
    LocalStateStore local = local(ticker, 100, 0);

    local.responses().put("k", RESPONSE, Duration.ofMinutes(1), Duration.ZERO);

    assertThat(local.responses().get("k", true)).isEmpty();
  }

  @Test
  void close_dropsCachedResponses() {
    store.responses().put("k", RESPONSE, Duration.ofMinutes(1), Duration.ZERO);

    store.close();

    assertThat(store.responses().get("k", true)).isEmpty();
  }

  /**
   * Measures the heap an idle CLOSED breaker costs (Caffeine entry, key, breaker and its window
   * after one recorded outcome). Run with {@code -Dswitchboard.breakers=1000000} for the full
   * measurement; the suite uses 100,000 to stay fast.
   */
  @Test
  void breakers_idleClosedBreakerIsSmall() {
    int n = Integer.getInteger("switchboard.breakers", 100_000);
    LocalStateStore local = local(ticker, n, 10);
    BreakerConfig config = BreakerConfig.DEFAULT;
    long before = usedHeapAfterGc();

    for (int i = 0; i < n; i++) {
      String name = "user:" + (10_000_000 + i);
      BreakerPermit p = local.breakers().tryAcquire(name, config);
      local.breakers().record(name, config, p, false);
    }
    long after = usedHeapAfterGc();

    long perBreaker = (after - before) / n;
    System.out.printf("idle CLOSED breaker: %d bytes each over %,d breakers%n", perBreaker, n);
    assertThat(local.localBreakers().size()).isEqualTo(n);
    assertThat(perBreaker).isLessThan(400);
  }

  private static long usedHeapAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
