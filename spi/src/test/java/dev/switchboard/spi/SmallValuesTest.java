package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Verdict}, {@link CachedResponse}, {@link BreakerPermit} and {@link Ticker#system()}. */
class SmallValuesTest {

  @Test
  void verdict_requiresOutcomeAndReason() {
    assertThat(new Verdict(Outcome.RATE_LIMITED, true, "429 rate_limit_error").retryable()).isTrue();
    assertThatThrownBy(() -> new Verdict(null, true, "r")).isInstanceOf(NullPointerException.class)
        .hasMessage("outcome");
    assertThatThrownBy(() -> new Verdict(Outcome.SUCCESS, false, null)).isInstanceOf(NullPointerException.class)
        .hasMessage("reason");
  }

  @Test
  void cachedResponse_requiresResponseAndAge() {
    MessageResponse r = new MessageResponse("msg_1", "m", null, List.of(), "end_turn", null, null, Map.of());

    assertThat(new CachedResponse(r, Duration.ofSeconds(3), false).fresh()).isFalse();
    assertThatThrownBy(() -> new CachedResponse(null, Duration.ZERO, true)).isInstanceOf(NullPointerException.class)
        .hasMessage("response");
    assertThatThrownBy(() -> new CachedResponse(r, null, true)).isInstanceOf(NullPointerException.class)
        .hasMessage("age");
  }

  @Test
  void breakerPermit_changedWhenStateDiffersFromPrevious() {
    assertThat(new BreakerPermit(true, true, BreakerState.HALF_OPEN, BreakerState.OPEN, Duration.ZERO).changed())
        .isTrue();
    assertThat(new BreakerPermit(true, false, BreakerState.CLOSED, BreakerState.CLOSED, Duration.ZERO).changed())
        .isFalse();
  }

  @Test
  void tickerSystem_isASingletonThatNeverGoesBackwards() {
    Ticker t = Ticker.system();
    long a = t.read();
    long b = t.read();

    assertThat(Ticker.system()).isSameAs(t);
    assertThat(b).isGreaterThanOrEqualTo(a);
  }
}
