package dev.switchboard.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.spi.ContentBlock;
import dev.switchboard.spi.Message;
import dev.switchboard.spi.MessageRequest;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class CacheKeysTest {
  private static final String SCOPE = CacheKeys.tenantScope("acme");

  private static MessageRequest.Builder base() {
    Map<String, Object> tool = new LinkedHashMap<>();
    tool.put("name", "get_weather");
    tool.put("description", "Weather by city");
    tool.put("input_schema", Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"))));
    return MessageRequest.builder()
        .model("claude-sonnet-4-5")
        .maxTokens(256)
        .system("Be brief.")
        .addUserMessage("Weather in Paris?")
        .temperature(0.0)
        .tools(List.of(tool))
        .toolChoice(Map.of("type", "auto"));
  }

  private static String key(MessageRequest r) {
    return CacheKeys.key(SCOPE, r);
  }

  private static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void key_isSha256Hex() {
    assertThat(key(base().build())).matches("[0-9a-f]{64}");
  }

  @Test
  void key_isStableAcrossCallsAndBuilds() {
    assertThat(key(base().build())).isEqualTo(key(base().build()));
  }

  @Test
  void key_ignoresObjectFieldOrder() {
    MessageRequest a = base()
        .thinking(ordered("type", "enabled", "budget_tokens", 1024))
        .putExtra("output_config", ordered("effort", "low", "format", ordered("type", "json", "strict", true)))
        .putExtra("service_tier", "auto")
        .build();
    MessageRequest b = base()
        .putExtra("service_tier", "auto")
        .putExtra("output_config", ordered("format", ordered("strict", true, "type", "json"), "effort", "low"))
        .thinking(ordered("budget_tokens", 1024, "type", "enabled"))
        .build();

    assertThat(key(a)).isEqualTo(key(b));
  }

  @Test
  void key_ignoresOrderInsideContentBlocksAndTools() {
    MessageRequest a = base().messages(List.of(new Message("user", List.of(
        new ContentBlock("text", ordered("text", "hi", "cache_control", Map.of("type", "ephemeral")))))))
        .tools(List.of(ordered("name", "t", "input_schema", Map.of("type", "object"))))
        .build();
    MessageRequest b = base().messages(List.of(new Message("user", List.of(
        new ContentBlock("text", ordered("cache_control", Map.of("type", "ephemeral"), "text", "hi"))))))
        .tools(List.of(ordered("input_schema", Map.of("type", "object"), "name", "t")))
        .build();

    assertThat(key(a)).isEqualTo(key(b));
  }

  @Test
  void key_normalisesNumbers() {
    UnaryOperator<Object> with = n -> key(base().putExtra("x", Map.of("n", n)).build());

    assertThat(with.apply(1)).isEqualTo(with.apply(1.0)).isEqualTo(with.apply(1L))
        .isEqualTo(with.apply(new BigDecimal("1.00"))).isEqualTo(with.apply(1.0f));
    assertThat(with.apply(0)).isEqualTo(with.apply(-0.0));
    assertThat(with.apply(1)).isNotEqualTo(with.apply(1.5)).isNotEqualTo(with.apply("1"));
    assertThat(CacheKeys.number(1e21)).isEqualTo("1000000000000000000000");
    assertThat(CacheKeys.number(0.1)).isEqualTo("0.1");
    assertThat(CacheKeys.number(Double.NaN)).isEqualTo("\"NaN\"");
  }

  @Test
  void key_differsByTenant() {
    MessageRequest r = base().build();

    assertThat(CacheKeys.key(CacheKeys.tenantScope("acme"), r))
        .isNotEqualTo(CacheKeys.key(CacheKeys.tenantScope("globex"), r));
  }

  @Test
  void key_sharedScopeNeverCollidesWithTenantScope() {
    MessageRequest r = base().build();

    assertThat(CacheKeys.key(CacheKeys.sharedScope("acme"), r))
        .isNotEqualTo(CacheKeys.key(CacheKeys.tenantScope("acme"), r));
  }

  @Test
  void key_chainOfOneEqualsRequestModel() {
    MessageRequest r = base().build();

    assertThat(CacheKeys.key(SCOPE, List.of("claude-sonnet-4-5"), r)).isEqualTo(key(r));
    assertThat(CacheKeys.key(SCOPE, List.of("claude-sonnet-4-5", "claude-haiku-4-5"), r))
        .isNotEqualTo(key(r))
        .isNotEqualTo(CacheKeys.key(SCOPE, List.of("claude-haiku-4-5", "claude-sonnet-4-5"), r));
  }

  @Test
  void key_changesWithEveryCoveredField() {
    String k = key(base().build());
    List<MessageRequest> variants = List.of(
        base().model("claude-opus-4-5").build(),
        base().system("Be verbose.").build(),
        base().systemBlocks(List.of()).build(),
        base().addAssistantMessage("Sunny.").build(),
        base().messages(List.of(Message.user("Weather in Rome?"))).build(),
        base().messages(List.of(new Message("assistant", List.of(ContentBlock.text("Weather in Paris?"))))).build(),
        base().tools(List.of()).build(),
        base().toolChoice(Map.of("type", "any")).build(),
        base().toolChoice(null).build(),
        base().temperature(0.5).build(),
        base().temperature(null).build(),
        base().topP(0.9).build(),
        base().topK(40).build(),
        base().stopSequences(List.of("END")).build(),
        base().maxTokens(257).build(),
        base().thinking(Map.of("type", "enabled", "budget_tokens", 1024)).build(),
        base().putExtra("service_tier", "standard_only").build(),
        base().putExtra("cache_control", Map.of("type", "ephemeral")).build(),
        base().metadata(Map.of("user_id", "u1", "team", "blue")).build());

    for (MessageRequest v : variants) {
      assertThat(key(v)).as("variant %s", v).isNotEqualTo(k);
    }
    assertThat(variants.stream().map(CacheKeysTest::key).distinct()).hasSize(variants.size());
  }

  @Test
  void key_ignoresUserIdAndStream() {
    String k = key(base().build());

    assertThat(key(base().metadataUserId("user-123").build())).isEqualTo(k);
    assertThat(key(base().metadata(Map.of()).build())).isEqualTo(k);
    assertThat(key(base().stream(true).build())).isEqualTo(k);
  }

  @Test
  void key_escapesStringsSoStructureCannotBeForged() {
    MessageRequest a = base().putExtra("a", "x\",\"b\":\"y").build();
    MessageRequest b = base().putExtra("a", "x").putExtra("b", "y").build();

    assertThat(key(a)).isNotEqualTo(key(b));
    assertThat(key(base().putExtra("s", "\ud800").build()))
        .isNotEqualTo(key(base().putExtra("s", "\udc00").build()));
  }

  @Test
  void key_canonicalFormSortsKeys() {
    MessageRequest r = MessageRequest.builder().model("m").maxTokens(1).addUserMessage("hi")
        .putExtra("z", 1.0).putExtra("a", List.of(2, "b")).build();

    assertThat(CacheKeys.canonical("tenant:t", List.of(), r)).isEqualTo(
        "switchboard-cache-key/1\n"
            + "{\"extra\":{\"a\":[2,\"b\"],\"z\":1},\"max_tokens\":1,"
            + "\"messages\":[{\"content\":[{\"text\":\"hi\",\"type\":\"text\"}],\"role\":\"user\"}],"
            + "\"models\":[\"m\"],\"scope\":\"tenant:t\",\"stop_sequences\":[],\"system\":[],"
            + "\"tools\":[]}");
  }

  @Test
  void key_rejectsBadArguments() {
    MessageRequest r = base().build();

    assertThatThrownBy(() -> CacheKeys.key(" ", r))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scope must not be blank but was ' '");
    assertThatThrownBy(() -> CacheKeys.key(SCOPE, List.of("m", ""), r))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("chain[1] must not be blank but was ''");
    assertThatThrownBy(() -> CacheKeys.tenantScope(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tenant must not be blank but was ''");
    assertThatThrownBy(() -> CacheKeys.key(SCOPE, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("request");
  }
}
