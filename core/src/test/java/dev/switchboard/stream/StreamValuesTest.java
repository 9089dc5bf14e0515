package dev.switchboard.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StreamValuesTest {

  @Test
  void measure_computesTimeToFirstTokenRateAndDuration() {
    StreamStats s = StreamStats.measure(1_000, 1_000 + 500_000_000L, 1_000 + 2_500_000_000L, 300);

    assertThat(s.timeToFirstToken()).contains(Duration.ofMillis(500));
    assertThat(s.outputTokensPerSecond()).isEqualTo(150.0);
    assertThat(s.totalDuration()).isEqualTo(Duration.ofMillis(2500));
  }

  @Test
  void measure_withoutContentHasNoFirstTokenAndNoRate() {
    StreamStats s = StreamStats.measure(0, -1, 1_000_000_000L, 0);

    assertThat(s.timeToFirstToken()).isEmpty();
    assertThat(s.outputTokensPerSecond()).isZero();
    assertThat(s.totalDuration()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void stats_rejectNegativeValues() {
    assertThatThrownBy(() -> StreamStats.measure(0, 0, 1, -1))
        .hasMessage("outputTokens must be >= 0 but was -1");
    assertThatThrownBy(() -> new StreamStats(Optional.empty(), -2.0, Duration.ZERO))
        .hasMessage("outputTokensPerSecond must be >= 0 but was -2.0");
  }

  @Test
  void timeouts_rejectOutOfRangeValuesNamingTheField() {
    assertThatThrownBy(() -> StreamTimeouts.DEFAULT.withFirstByte(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("firstByte must be positive but was PT0S");
    assertThatThrownBy(() -> StreamTimeouts.DEFAULT.withIdle(Duration.ofSeconds(-1)))
        .hasMessage("idle must be positive but was PT-1S");
    assertThatThrownBy(() -> StreamTimeouts.DEFAULT.withPingAllowance(Duration.ofMillis(-1)))
        .hasMessage("pingAllowance must be >= 0 but was PT-0.001S");
    assertThat(StreamTimeouts.DEFAULT.withFirstToken(Duration.ofSeconds(7)).firstToken())
        .isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void timeoutException_namesThePhaseAndLimit() {
    assertThat(new StreamTimeoutException(StreamTimeoutException.Phase.IDLE, Duration.ofSeconds(30)))
        .hasMessage("stream idle for PT30S");
    assertThat(new StreamTimeoutException(StreamTimeoutException.Phase.FIRST_TOKEN,
        Duration.ofSeconds(2))).hasMessage("no content within PT2S");
  }
}
