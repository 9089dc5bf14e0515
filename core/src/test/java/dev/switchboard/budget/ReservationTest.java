package dev.switchboard.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.BudgetStore;
import dev.switchboard.spi.Demand;
import dev.switchboard.spi.Providers;
import dev.switchboard.spi.StateStoreConfig;
import dev.switchboard.spi.StateStoreProvider;
import dev.switchboard.testkit.FakeTicker;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReservationTest {
  private final FakeTicker ticker = new FakeTicker();
  private final BudgetStore store = Providers.find(StateStoreProvider.class, "local",
      getClass().getClassLoader()).create(StateStoreConfig.defaults(ticker)).budgets();
  private final PoolLimits limits = new PoolLimits(Map.of("o/p", new BucketLimits(10, 1_000, 1_000)));

  @Test
  void settle_endsTheLeaseExactlyOnce() {
    Reservation r = Reservation.tryAcquire(store, "o/p", limits, new Demand(1, 100, 100)).reservation();

    assertThat(r.settle(new Demand(1, 50, 10))).isTrue();
    assertThat(r.refund()).isFalse();
    assertThat(r.keep()).isFalse();
    assertThat(store.levels("o/p", limits.of("o/p")).inputTokens()).isCloseTo(950, within(1e-6));
    assertThat(store.levels("o/p", limits.of("o/p")).outputTokens()).isCloseTo(990, within(1e-6));
  }

  @Test
  void refund_givesEverythingBack() {
    Reservation r = Reservation.tryAcquire(store, "o/p", limits, new Demand(1, 100, 100)).reservation();
    assertThat(r.refund()).isTrue();
    assertThat(store.levels("o/p", limits.of("o/p")).requests()).isCloseTo(10, within(1e-6));
  }

  @Test
  void tryAcquire_refused_returnsNoLeaseAndTheWait() {
    Reservation.Attempt a = Reservation.tryAcquire(store, "o/p", limits, new Demand(1, 2_000, 0));
    assertThat(a.reservation()).isNull();
    assertThat(a.grant().granted()).isFalse();
    assertThat(a.grant().waitNanos()).isEqualTo(Long.MAX_VALUE);
  }
}
