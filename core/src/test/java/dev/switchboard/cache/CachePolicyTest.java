package dev.switchboard.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.spi.ContentBlock;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.Usage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CachePolicyTest {
  private static final CachePolicy DEFAULT = CachePolicy.DEFAULT;

  private static MessageRequest.Builder request() {
    return MessageRequest.builder().model("claude-sonnet-4-5").maxTokens(100).addUserMessage("hi");
  }

  private static MessageResponse response(String stopReason) {
    return new MessageResponse("msg_1", "claude-sonnet-4-5", "assistant",
        List.of(ContentBlock.text("hello")), stopReason, null, Usage.of(5, 1), Map.of());
  }

  @Test
  void isCacheable_temperatureZeroByDefault() {
    assertThat(DEFAULT.isCacheable(request().temperature(0.0).build(), false)).isTrue();
    assertThat(DEFAULT.isCacheable(request().temperature(0.2).build(), false)).isFalse();
    assertThat(DEFAULT.isCacheable(request().build(), false)).isFalse();
  }

  @Test
  void isCacheable_callerOptInCachesAnyTemperature() {
    assertThat(DEFAULT.isCacheable(request().temperature(1.0).build(), true)).isTrue();
    assertThat(DEFAULT.isCacheable(request().build(), true)).isTrue();
  }

  @Test
  void isCacheable_temperatureZeroRuleCanBeTurnedOff() {
    CachePolicy optInOnly = CachePolicy.builder().cacheTemperatureZero(false).build();

    assertThat(optInOnly.isCacheable(request().temperature(0.0).build(), false)).isFalse();
    assertThat(optInOnly.isCacheable(request().temperature(0.0).build(), true)).isTrue();
  }

  @Test
  void isCacheable_clientToolsAreFine() {
    MessageRequest withTools = request().temperature(0.0)
        .tools(List.of(Map.of("name", "lookup", "input_schema", Map.of("type", "object")),
            Map.of("type", "custom", "name", "calc", "input_schema", Map.of("type", "object"))))
        .build();

    assertThat(DEFAULT.isCacheable(withTools, false)).isTrue();
  }

  @Test
  void isCacheable_neverWithServerToolsUnlessAllowed() {
    MessageRequest webSearch = request().temperature(0.0)
        .tools(List.of(Map.of("type", "web_search_20250305", "name", "web_search"))).build();
    MessageRequest mcp = request().temperature(0.0)
        .putExtra("mcp_servers", List.of(Map.of("type", "url", "url", "https://x"))).build();
    MessageRequest container = request().temperature(0.0).putExtra("container", "c_1").build();

    for (MessageRequest r : List.of(webSearch, mcp, container)) {
      assertThat(DEFAULT.isCacheable(r, false)).isFalse();
      assertThat(DEFAULT.isCacheable(r, true)).isFalse();
      assertThat(CachePolicy.builder().allowServerTools(true).build().isCacheable(r, false)).isTrue();
    }
  }

  @Test
  void isCacheable_neverForPromptCacheWarming() {
    assertThat(DEFAULT.isCacheable(request().maxTokens(0).temperature(0.0).build(), true)).isFalse();
  }

  @Test
  void isStorable_onlyCompleteResponses() {
    assertThat(DEFAULT.isStorable(response("end_turn"))).isTrue();
    assertThat(DEFAULT.isStorable(response("stop_sequence"))).isTrue();
    assertThat(DEFAULT.isStorable(response("tool_use"))).isTrue();
    assertThat(DEFAULT.isStorable(response("max_tokens"))).isTrue();
    assertThat(DEFAULT.isStorable(response("pause_turn"))).isFalse();
    assertThat(DEFAULT.isStorable(response("refusal"))).isFalse();
    assertThat(DEFAULT.isStorable(response("model_context_window_exceeded"))).isFalse();
    assertThat(DEFAULT.isStorable(response(null))).isFalse();
  }

  @Test
  void isStorable_followsConfiguredStopReasons() {
    CachePolicy strict = CachePolicy.builder().storableStopReasons(Set.of("end_turn")).build();

    assertThat(strict.isStorable(response("end_turn"))).isTrue();
    assertThat(strict.isStorable(response("max_tokens"))).isFalse();
  }

  @Test
  void storableStopReasons_refusesIncompleteOnes() {
    assertThatThrownBy(() -> CachePolicy.builder().storableStopReasons(Set.of("end_turn", "pause_turn")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stop reason 'pause_turn' is never storable: the turn is incomplete");
    assertThatThrownBy(() -> CachePolicy.builder().storableStopReasons(Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("storableStopReasons must not be empty");
  }

  @Test
  void scopeFor_isTenantPrivateByDefault() {
    assertThat(DEFAULT.scopeFor("acme")).isEqualTo(CacheKeys.tenantScope("acme"));
    assertThat(DEFAULT.scopeFor("acme")).isNotEqualTo(DEFAULT.scopeFor("globex"));
  }

  @Test
  void scopeFor_sharedOnlyWhenConfigured() {
    CachePolicy shared = CachePolicy.builder().sharedScope("docs").build();

    assertThat(shared.scopeFor("acme")).isEqualTo(shared.scopeFor("globex"))
        .isEqualTo(CacheKeys.sharedScope("docs"));
    assertThat(shared.toBuilder().sharedScope(null).build().scopeFor("acme"))
        .isEqualTo(CacheKeys.tenantScope("acme"));
  }

  @Test
  void builder_validatesDurations() {
    assertThatThrownBy(() -> CachePolicy.builder().ttl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ttl must be positive but was PT0S");
    assertThatThrownBy(() -> CachePolicy.builder().staleFor(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("staleFor must be >= 0 but was PT-1S");
    assertThatThrownBy(() -> CachePolicy.builder().sharedScope(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sharedScope must not be blank but was ''");
    CachePolicy p = CachePolicy.builder().ttl(Duration.ofMinutes(1)).staleFor(Duration.ofHours(1)).build();
    assertThat(p.ttl()).isEqualTo(Duration.ofMinutes(1));
    assertThat(p.staleFor()).isEqualTo(Duration.ofHours(1));
    assertThat(DEFAULT.ttl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(DEFAULT.staleFor()).isZero();
  }
}
