package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.spi.BreakerConfig.WindowType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BreakerConfigTest {
  private static final Duration FIVE = Duration.ofSeconds(5);
  private static final Duration MINUTE = Duration.ofSeconds(60);

  @Test
  void default_isTwentyCallsTenMinimumHalfFailingTwoProbes() {
    assertThat(BreakerConfig.DEFAULT).isEqualTo(new BreakerConfig(WindowType.COUNT, 20, 10, 0.5, FIVE, MINUTE, 2));
  }

  @Test
  void constructor_windowSizeBelowOneIsRefused() {
    assertThatThrownBy(() -> new BreakerConfig(WindowType.TIME, 0, 1, 0.5, FIVE, MINUTE, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("windowSize must be >= 1 but was 0");
  }

  @Test
  void constructor_minimumCallsBelowOneIsRefused() {
    assertThatThrownBy(() -> new BreakerConfig(WindowType.COUNT, 10, 0, 0.5, FIVE, MINUTE, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("minimumCalls must be >= 1 but was 0");
  }

  @Test
  void constructor_failureRateThresholdOutsideZeroToOneIsRefused() {
    assertThatThrownBy(() -> new BreakerConfig(WindowType.COUNT, 10, 1, 0.0, FIVE, MINUTE, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failureRateThreshold must be in (0, 1] but was 0.0");
    assertThatThrownBy(() -> new BreakerConfig(WindowType.COUNT, 10, 1, 1.01, FIVE, MINUTE, 1))
        .hasMessage("failureRateThreshold must be in (0, 1] but was 1.01");
    assertThatThrownBy(() -> new BreakerConfig(WindowType.COUNT, 10, 1, Double.NaN, FIVE, MINUTE, 1))
        .hasMessage("failureRateThreshold must be in (0, 1] but was NaN");
    assertThat(new BreakerConfig(WindowType.COUNT, 10, 1, 1.0, FIVE, MINUTE, 1).failureRateThreshold()).isEqualTo(1.0);
  }

  @Test
  void constructor_openDurationMustBePositive() {
    assertThatThrownBy(() -> new BreakerConfig(WindowType.COUNT, 10, 1, 0.5, Duration.ZERO, MINUTE, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("openDuration must be positive but was PT0S");
  }

  @Test
  void constructor_maxOpenDurationBelowOpenDurationIsRefused() {
    assertThatThrownBy(() -> new BreakerConfig(WindowType.COUNT, 10, 1, 0.5, FIVE, Duration.ofSeconds(4), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxOpenDuration must be >= openDuration (PT5S) but was PT4S");
    assertThat(new BreakerConfig(WindowType.COUNT, 10, 1, 0.5, FIVE, FIVE, 1).maxOpenDuration()).isEqualTo(FIVE);
  }

  @Test
  void constructor_halfOpenProbesBelowOneIsRefused() {
    assertThatThrownBy(() -> new BreakerConfig(WindowType.COUNT, 10, 1, 0.5, FIVE, MINUTE, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("halfOpenProbes must be >= 1 but was 0");
  }

  @Test
  void constructor_nullsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> new BreakerConfig(null, 10, 1, 0.5, FIVE, MINUTE, 1))
        .isInstanceOf(NullPointerException.class).hasMessage("windowType");
    assertThatThrownBy(() -> new BreakerConfig(WindowType.COUNT, 10, 1, 0.5, null, MINUTE, 1))
        .isInstanceOf(NullPointerException.class).hasMessage("openDuration");
    assertThatThrownBy(() -> new BreakerConfig(WindowType.COUNT, 10, 1, 0.5, FIVE, null, 1))
        .isInstanceOf(NullPointerException.class).hasMessage("maxOpenDuration");
  }
}
