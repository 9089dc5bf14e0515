package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link StateStoreConfig} and {@link StrategyContext}. */
class StoreAndStrategyConfigTest {
  /** A fixed ticker: the testkit's FakeTicker depends on this module, so spi tests cannot use it. */
  private static final Ticker TICKER = () -> 42L;

  @Test
  void stateStoreConfig_defaultsBoundBreakersAndResponses() {
    StateStoreConfig c = StateStoreConfig.defaults(TICKER);

    assertThat(c.ticker()).isSameAs(TICKER);
    assertThat(c.maximumBreakers()).isEqualTo(100_000);
    assertThat(c.maximumCachedResponses()).isEqualTo(10_000);
    assertThat(c.options()).isEmpty();
  }

  @Test
  void stateStoreConfig_boundsAreValidated() {
    assertThatThrownBy(() -> new StateStoreConfig(TICKER, 0, 0, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maximumBreakers must be >= 1 but was 0");
    assertThatThrownBy(() -> new StateStoreConfig(TICKER, 1, -1, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maximumCachedResponses must be >= 0 but was -1");
    assertThat(new StateStoreConfig(TICKER, 1, 0, Map.of()).maximumCachedResponses()).isZero();
  }

  @Test
  void stateStoreConfig_tickerIsRequired() {
    assertThatThrownBy(() -> StateStoreConfig.defaults(null))
        .isInstanceOf(NullPointerException.class).hasMessage("ticker");
  }

  @Test
  void stateStoreConfig_optionsAreCopiedAndUnmodifiable() {
    Object client = new Object();
    Map<String, Object> options = new HashMap<>(Map.of("client", client));
    StateStoreConfig c = new StateStoreConfig(TICKER, 10, 10, options);

    options.put("prefix", "sb:");

    assertThat(c.options()).containsOnly(Map.entry("client", client));
    assertThatThrownBy(() -> c.options().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void strategyContext_keepsTickerAndRandom() {
    SplittableRandom random = new SplittableRandom(7);

    StrategyContext c = new StrategyContext(TICKER, random);

    assertThat(c.ticker().read()).isEqualTo(42L);
    assertThat(c.random()).isSameAs(random);
  }

  @Test
  void strategyContext_nullsAreRefused() {
    assertThatThrownBy(() -> new StrategyContext(null, new SplittableRandom(1)))
        .isInstanceOf(NullPointerException.class).hasMessage("ticker");
    assertThatThrownBy(() -> new StrategyContext(TICKER, null))
        .isInstanceOf(NullPointerException.class).hasMessage("random");
  }
}
