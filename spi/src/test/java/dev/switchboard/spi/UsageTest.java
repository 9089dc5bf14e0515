package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UsageTest {

  @Test
  void totalInputTokens_sumsInputCacheCreationAndCacheRead() {
    Usage u = new Usage(10, 5, 200, 3000, 150, 50, "standard");

    assertThat(u.totalInputTokens()).isEqualTo(3210);
  }

  @Test
  void rateLimitedInputTokens_excludesCacheReads() {
    Usage u = new Usage(10, 5, 200, 3000, 200, 0, null);

    assertThat(u.rateLimitedInputTokens()).isEqualTo(210);
  }

  @Test
  void of_setsOnlyInputAndOutput() {
    assertThat(Usage.of(12, 34)).isEqualTo(new Usage(12, 34, 0, 0, 0, 0, null));
    assertThat(Usage.ZERO).isEqualTo(Usage.of(0, 0));
  }

  @Test
  void withOutputTokens_keepsEverythingElse() {
    Usage u = new Usage(1, 2, 3, 4, 5, 6, "priority");

    assertThat(u.withOutputTokens(99)).isEqualTo(new Usage(1, 99, 3, 4, 5, 6, "priority"));
  }

  @Test
  void constructor_negativeIsRefusedNamingTheWireField() {
    assertThatThrownBy(() -> new Usage(-1, 0, 0, 0, 0, 0, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("input_tokens must be >= 0 but was -1");
    assertThatThrownBy(() -> new Usage(0, -2, 0, 0, 0, 0, null))
        .hasMessage("output_tokens must be >= 0 but was -2");
    assertThatThrownBy(() -> new Usage(0, 0, -3, 0, 0, 0, null))
        .hasMessage("cache_creation_input_tokens must be >= 0 but was -3");
    assertThatThrownBy(() -> new Usage(0, 0, 0, -4, 0, 0, null))
        .hasMessage("cache_read_input_tokens must be >= 0 but was -4");
    assertThatThrownBy(() -> new Usage(0, 0, 0, 0, -5, 0, null))
        .hasMessage("cache_creation.ephemeral_5m_input_tokens must be >= 0 but was -5");
    assertThatThrownBy(() -> new Usage(0, 0, 0, 0, 0, -6, null))
        .hasMessage("cache_creation.ephemeral_1h_input_tokens must be >= 0 but was -6");
  }

  @Test
  void withOutputTokens_negativeIsRefused() {
    assertThatThrownBy(() -> Usage.of(1, 1).withOutputTokens(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("output_tokens must be >= 0 but was -1");
  }
}
