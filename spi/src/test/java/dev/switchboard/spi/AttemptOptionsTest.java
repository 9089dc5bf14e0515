package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttemptOptionsTest {

  @Test
  void default_isTenMinutesSixtySecondsNothingElse() {
    assertThat(AttemptOptions.DEFAULT.timeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(AttemptOptions.DEFAULT.readTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(AttemptOptions.DEFAULT.betas()).isEmpty();
    assertThat(AttemptOptions.DEFAULT.headers()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"x-api-key", "X-Api-Key", "Authorization", "AUTHORIZATION"})
  void constructor_keyHeaderIsRefusedInAnyCase(String name) {
    assertThatThrownBy(() -> new AttemptOptions(Duration.ofSeconds(1), Duration.ofSeconds(1), List.of(),
        Map.of(name, "sk-ant-secret")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("header '" + name + "' is set by the transport from the key");
  }

  @Test
  void withHeader_keyHeaderIsRefusedWithoutShowingTheValue() {
    assertThatThrownBy(() -> AttemptOptions.DEFAULT.withHeader("x-api-key", "sk-ant-CANARY"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("header 'x-api-key' is set by the transport from the key");
  }

  @Test
  void constructor_nonPositiveDurationsAreRefused() {
    assertThatThrownBy(() -> AttemptOptions.DEFAULT.withTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be positive but was PT0S");
    assertThatThrownBy(() -> AttemptOptions.DEFAULT.withReadTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("readTimeout must be positive but was PT-1S");
    assertThatThrownBy(() -> AttemptOptions.DEFAULT.withTimeout(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("timeout");
  }

  @Test
  void withers_changeOneFieldEach() {
    AttemptOptions o = AttemptOptions.DEFAULT
        .withTimeout(Duration.ofSeconds(30))
        .withReadTimeout(Duration.ofSeconds(5))
        .withBetas(List.of("context-1m-2025-08-07"))
        .withHeader("anthropic-beta-extra", "1")
        .withHeader("x-trace", "abc");

    assertThat(o).isEqualTo(new AttemptOptions(Duration.ofSeconds(30), Duration.ofSeconds(5),
        List.of("context-1m-2025-08-07"), Map.of("anthropic-beta-extra", "1", "x-trace", "abc")));
    assertThat(AttemptOptions.DEFAULT.headers()).isEmpty();
  }

  @Test
  void constructor_copiesListsAndMaps() {
    List<String> betas = new ArrayList<>(List.of("a"));
    Map<String, String> headers = new HashMap<>(Map.of("x-a", "1"));
    AttemptOptions o = new AttemptOptions(Duration.ofSeconds(1), Duration.ofSeconds(1), betas, headers);

    betas.add("b");
    headers.put("x-b", "2");

    assertThat(o.betas()).containsExactly("a");
    assertThat(o.headers()).containsOnlyKeys("x-a");
    assertThatThrownBy(() -> o.betas().add("c")).isInstanceOf(UnsupportedOperationException.class);
  }
}
