package dev.switchboard.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));

  @Test
  void ceilingNanos_doublesUpToTheCap() {
    assertThat(backoff.ceilingNanos(0)).isEqualTo(100_000_000L);
    assertThat(backoff.ceilingNanos(1)).isEqualTo(200_000_000L);
    assertThat(backoff.ceilingNanos(3)).isEqualTo(800_000_000L);
    assertThat(backoff.ceilingNanos(4)).isEqualTo(1_000_000_000L);
    assertThat(backoff.ceilingNanos(1_000)).isEqualTo(1_000_000_000L);
  }

  @Test
  void delayNanos_isFullJitterAppliedAfterTheCap() {
    SplittableRandom random = new SplittableRandom(1);
    long below = 0;
    for (int i = 0; i < 1_000; i++) {
      long d = backoff.delayNanos(10, random);
      assertThat(d).isBetween(0L, 1_000_000_000L);
      if (d < 500_000_000L) {
        below++;
      }
    }
    // at the cap, delays still spread over [0, cap]: about half fall below the middle
    assertThat(below).isBetween(400L, 600L);
  }

  @Test
  void new_invalid_failsNamingTheValue() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessage("backoff base must be positive but was PT0S");
  }
}
