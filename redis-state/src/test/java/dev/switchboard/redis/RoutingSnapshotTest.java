package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.BreakerConfig;
import dev.switchboard.spi.BreakerState;
import dev.switchboard.testkit.FakeTicker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** The Redis store's routing view, without Redis: deadlines by the ticker, refresh and writes. */
class RoutingSnapshotTest {
  private final FakeTicker ticker = new FakeTicker();
  private final Guard guard = new Guard(ticker, Duration.ofMillis(500).toNanos(), Duration.ofSeconds(1).toNanos(),
      message -> {});
  private final FallbackState fallback = new FallbackState(new FallbackBudgets(ticker, 1), new FallbackHealth(ticker),
      new FallbackBreakers(ticker, 10), new FallbackCache(ticker, 10));
  private final RoutingSnapshot view = new RoutingSnapshot(ticker, guard, fallback.routingView());
  private final BreakerConfig config = BreakerConfig.DEFAULT;

  @Test
  void replace_turnsTimesLeftIntoTickerDeadlines() {
    long now = ticker.read();
    view.replace(new RoutingSnapshot.State(Map.of("key:a", "401"), Map.of("pool:p", now + 3_000_000_000L),
        Map.of("model:m", new RoutingSnapshot.Breaker(BreakerState.OPEN, now + 2_000_000_000L),
            "route:r", new RoutingSnapshot.Breaker(BreakerState.HALF_OPEN, now))));

    assertThat(view.disabledReason("key:a")).isEqualTo("401");
    assertThat(view.cooldownNanos("pool:p")).isEqualTo(3_000_000_000L);
    assertThat(view.breakerState("model:m", config)).isEqualTo(BreakerState.OPEN);
    assertThat(view.breakerState("route:r", config)).isEqualTo(BreakerState.HALF_OPEN);
    ticker.advance(Duration.ofSeconds(2));
    assertThat(view.cooldownNanos("pool:p")).isEqualTo(1_000_000_000L);
    assertThat(view.breakerState("model:m", config)).as("the open period passed").isEqualTo(BreakerState.HALF_OPEN);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(view.cooldownNanos("pool:p")).isZero();
    assertThat(view.breakerState("model:x", config)).isEqualTo(BreakerState.CLOSED);
  }

  @Test
  void write_duringARefreshIsReappliedOnTopOfItsAnswer() {
    view.disabled("key:old", "401");
    view.refreshing(); // the refresh reads Redis now, before the writes below reach it

    view.disabled("key:new", "403");
    view.enabled("key:old");
    view.cooled("pool:p", 5_000_000_000L);
    view.breaker("model:m", BreakerState.OPEN, 1_000_000_000L);
    view.replace(new RoutingSnapshot.State(Map.of("key:old", "401", "key:remote", "402"), Map.of(), Map.of()));

    assertThat(view.disabledReason("key:new")).isEqualTo("403");
    assertThat(view.disabledReason("key:old")).isNull();
    assertThat(view.disabledReason("key:remote")).as("another router's disable").isEqualTo("402");
    assertThat(view.cooldownNanos("pool:p")).isEqualTo(5_000_000_000L);
    assertThat(view.breakerState("model:m", config)).isEqualTo(BreakerState.OPEN);

    view.replace(new RoutingSnapshot.State(Map.of(), Map.of(), Map.of()));
    assertThat(view.disabledReason("key:new")).as("no refresh in flight: Redis's answer wins").isNull();
  }

  @Test
  void refreshFailed_keepsTheCopyAndStopsRecording() {
    view.disabled("key:a", "401");
    view.refreshing();
    view.refreshFailed();
    view.enabled("key:a");

    view.replace(new RoutingSnapshot.State(Map.of("key:a", "401"), Map.of(), Map.of()));

    assertThat(view.disabledReason("key:a")).isEqualTo("401");
  }

  @Test
  void cooled_neverShortensAndLearnedFactsOnlyFillGaps() {
    view.cooled("pool:p", 10_000_000_000L);
    view.cooled("pool:p", 1_000_000_000L);
    assertThat(view.cooldownNanos("pool:p")).isEqualTo(10_000_000_000L);

    view.learnedCooling("pool:p", 20_000_000_000L);
    assertThat(view.cooldownNanos("pool:p")).as("already known").isEqualTo(10_000_000_000L);
    view.learnedCooling("pool:q", 20_000_000_000L);
    assertThat(view.cooldownNanos("pool:q")).isEqualTo(20_000_000_000L);

    view.learnedOpen("model:m", 4_000_000_000L);
    RoutingSnapshot.State before = view.current();
    view.learnedOpen("model:m", 3_000_000_000L);
    assertThat(view.current()).as("nothing copied for a known fact").isSameAs(before);
    view.learnedOpen("user:u", 4_000_000_000L);
    assertThat(view.breakerState("user:u", config)).as("per-user breakers are not in the view")
        .isEqualTo(BreakerState.CLOSED);
  }

  @Test
  void breaker_closedRemovesAndHalfOpenStays() {
    view.breaker("model:m", BreakerState.OPEN, 1_000_000_000L);
    view.breaker("model:m", BreakerState.HALF_OPEN, 0);
    assertThat(view.breakerState("model:m", config)).isEqualTo(BreakerState.HALF_OPEN);

    view.breaker("model:m", BreakerState.CLOSED, 0);

    assertThat(view.current().breakers()).isEmpty();
  }

  @Test
  void degraded_answersFromTheFallback() {
    view.disabled("key:a", "401");
    fallback.health().disable("key:b", "during the outage");
    fallback.health().coolDown("pool:p", 2_000_000_000L);
    guard.call(() -> {
      throw new JedisConnectionException("down");
    }, () -> null);

    assertThat(guard.degraded()).isTrue();
    assertThat(view.disabledReason("key:b")).isEqualTo("during the outage");
    assertThat(view.disabledReason("key:a")).as("the fallback knows only what it saw").isNull();
    assertThat(view.cooldownNanos("pool:p")).isEqualTo(2_000_000_000L);
    assertThat(view.breakerState("model:m", config)).isEqualTo(BreakerState.CLOSED);
    assertThat(List.of(view.toString())).allMatch(s -> s.contains("degraded"));
  }
}
