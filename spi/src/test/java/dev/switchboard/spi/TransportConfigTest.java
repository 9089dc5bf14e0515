package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransportConfigTest {

  @Test
  void builder_defaults() {
    TransportConfig c = TransportConfig.builder().build();

    assertThat(c.baseUrl()).isEqualTo(URI.create("https://api.anthropic.com"));
    assertThat(c.anthropicVersion()).isEqualTo("2023-06-01");
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.readTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.maxConcurrentRequests()).isEqualTo(256);
    assertThat(c.defaultHeaders()).isEmpty();
    assertThat(c.clock()).isNotNull();
  }

  @Test
  void baseUrl_acceptsHttpAndHttps() {
    assertThat(TransportConfig.builder().baseUrl("http://localhost:8080").build().baseUrl())
        .isEqualTo(URI.create("http://localhost:8080"));
    assertThat(TransportConfig.builder().baseUrl(URI.create("https://proxy.example/anthropic")).build().baseUrl())
        .isEqualTo(URI.create("https://proxy.example/anthropic"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://api.anthropic.com", "localhost:8080", "/v1/messages"})
  void baseUrl_otherSchemeIsRefused(String url) {
    assertThatThrownBy(() -> TransportConfig.builder().baseUrl(URI.create(url)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("baseUrl must be http or https but was " + url);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://api.anthropic.com", "localhost:8080", "/v1/messages"})
  void baseUrlString_otherSchemeIsRefusedNamingTheUrl(String url) {
    assertThatThrownBy(() -> TransportConfig.builder().baseUrl(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("baseUrl must be http or https but was " + url);
  }

  @Test
  void baseUrl_notAUrlIsRefused() {
    assertThatThrownBy(() -> TransportConfig.builder().baseUrl("http://exa mple.com"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("baseUrl is not a URL: http://exa mple.com");
    assertThatThrownBy(() -> TransportConfig.builder().baseUrl((String) null))
        .isInstanceOf(NullPointerException.class).hasMessage("baseUrl");
  }

  @ParameterizedTest
  @ValueSource(strings = {"x-api-key", "X-API-KEY", "authorization"})
  void defaultHeader_keyHeaderIsRefused(String name) {
    assertThatThrownBy(() -> TransportConfig.builder().defaultHeader(name, "sk-ant-CANARY"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("header '" + name + "' is set by the transport from the key");
  }

  @Test
  void timeouts_mustBePositive() {
    assertThatThrownBy(() -> TransportConfig.builder().connectTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("connectTimeout must be positive but was PT0S");
    assertThatThrownBy(() -> TransportConfig.builder().readTimeout(Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("readTimeout must be positive but was PT-0.005S");
    assertThatThrownBy(() -> TransportConfig.builder().connectTimeout(null))
        .isInstanceOf(NullPointerException.class).hasMessage("connectTimeout");
  }

  @Test
  void maxConcurrentRequests_mustBeAtLeastOne() {
    assertThatThrownBy(() -> TransportConfig.builder().maxConcurrentRequests(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConcurrentRequests must be >= 1 but was 0");
  }

  @Test
  void anthropicVersion_mustNotBeBlank() {
    assertThatThrownBy(() -> TransportConfig.builder().anthropicVersion(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("anthropicVersion must not be blank");
  }

  @Test
  void toBuilder_roundTripsEverySetting() {
    InstantSource clock = InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z"));
    TransportConfig c = TransportConfig.builder().baseUrl("http://127.0.0.1:9999").anthropicVersion("2024-01-01")
        .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(3)).maxConcurrentRequests(7)
        .defaultHeader("anthropic-beta", "x").clock(clock).build();

    TransportConfig copy = c.toBuilder().build();

    assertThat(copy.baseUrl()).isEqualTo(c.baseUrl());
    assertThat(copy.anthropicVersion()).isEqualTo("2024-01-01");
    assertThat(copy.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(copy.readTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(copy.maxConcurrentRequests()).isEqualTo(7);
    assertThat(copy.defaultHeaders()).containsExactly(java.util.Map.entry("anthropic-beta", "x"));
    assertThat(copy.clock()).isSameAs(clock);
  }

  @Test
  void build_laterBuilderChangesDoNotReachEarlierResults() {
    TransportConfig.Builder b = TransportConfig.builder().defaultHeader("x-a", "1");
    TransportConfig first = b.build();

    b.defaultHeader("x-b", "2").maxConcurrentRequests(3);

    assertThat(first.defaultHeaders()).containsOnlyKeys("x-a");
    assertThat(first.maxConcurrentRequests()).isEqualTo(256);
    assertThatThrownBy(() -> first.defaultHeaders().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void toString_namesTheSettings() {
    assertThat(TransportConfig.builder().build().toString()).isEqualTo(
        "TransportConfig[baseUrl=https://api.anthropic.com, version=2023-06-01, connect=PT10S, read=PT1M, maxConcurrent=256]");
  }
}
