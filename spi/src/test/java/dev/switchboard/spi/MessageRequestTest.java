package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageRequestTest {
  private static final String SECRET_TEXT = "my bank password is hunter2";

  private static MessageRequest.Builder minimal() {
    return MessageRequest.builder().model("claude-sonnet-4-5").maxTokens(1024).addUserMessage("Hello");
  }

  @Test
  void build_minimalRequestHasDefaults() {
    MessageRequest r = minimal().build();

    assertThat(r.model()).isEqualTo("claude-sonnet-4-5");
    assertThat(r.maxTokens()).isEqualTo(1024);
    assertThat(r.messages()).containsExactly(Message.user("Hello"));
    assertThat(r.system()).isEmpty();
    assertThat(r.stream()).isFalse();
    assertThat(r.temperature()).isEmpty();
    assertThat(r.topP()).isEmpty();
    assertThat(r.topK()).isEmpty();
    assertThat(r.stopSequences()).isEmpty();
    assertThat(r.tools()).isEmpty();
    assertThat(r.toolChoice()).isNull();
    assertThat(r.metadata()).isNull();
    assertThat(r.thinking()).isNull();
    assertThat(r.extra()).isEmpty();
  }

  @Test
  void build_missingModelIsRefused() {
    assertThatThrownBy(() -> MessageRequest.builder().maxTokens(1).addUserMessage("hi").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("model is required");
  }

  @Test
  void build_missingMaxTokensIsRefused() {
    assertThatThrownBy(() -> MessageRequest.builder().model("m").addUserMessage("hi").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("max_tokens is required");
  }

  @Test
  void build_missingMessagesIsRefused() {
    assertThatThrownBy(() -> MessageRequest.builder().model("m").maxTokens(1).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("messages must not be empty");
  }

  @Test
  void model_blankOrNullIsRefused() {
    assertThatThrownBy(() -> MessageRequest.builder().model(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model must not be blank");
    assertThatThrownBy(() -> MessageRequest.builder().model(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("model");
  }

  @Test
  void maxTokens_negativeIsRefusedAndZeroAllowed() {
    assertThatThrownBy(() -> MessageRequest.builder().maxTokens(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max_tokens must be >= 0 but was -1");
    assertThat(minimal().maxTokens(0).build().maxTokens()).isZero();
  }

  @Test
  void temperature_outOfRangeIsRefused() {
    assertThatThrownBy(() -> MessageRequest.builder().temperature(1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("temperature must be in [0.0, 1.0] but was 1.5");
    assertThatThrownBy(() -> MessageRequest.builder().temperature(-0.1))
        .hasMessage("temperature must be in [0.0, 1.0] but was -0.1");
    assertThatThrownBy(() -> MessageRequest.builder().temperature(Double.NaN))
        .hasMessage("temperature must be in [0.0, 1.0] but was NaN");
  }

  @Test
  void temperature_boundsAndNullAreAccepted() {
    assertThat(minimal().temperature(0.0).build().temperature()).hasValue(0.0);
    assertThat(minimal().temperature(1.0).build().temperature()).hasValue(1.0);
    assertThat(minimal().temperature(0.7).temperature(null).build().temperature()).isEmpty();
  }

  @Test
  void topP_outOfRangeIsRefused() {
    assertThatThrownBy(() -> MessageRequest.builder().topP(1.01))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("top_p must be in [0.0, 1.0] but was 1.01");
    assertThatThrownBy(() -> MessageRequest.builder().topP(Double.POSITIVE_INFINITY))
        .hasMessage("top_p must be in [0.0, 1.0] but was Infinity");
    assertThat(minimal().topP(0.9).build().topP()).hasValue(0.9);
  }

  @Test
  void topK_belowOneIsRefused() {
    assertThatThrownBy(() -> MessageRequest.builder().topK(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("top_k must be >= 1 but was 0");
    assertThat(minimal().topK(1).build().topK()).hasValue(1);
  }

  @Test
  void putExtra_keepsUnknownFieldsVerbatimAndInOrder() {
    Map<String, Object> container = new LinkedHashMap<>();
    container.put("id", "container_1");
    container.put("skills", List.of(Map.of("type", "anthropic", "skill_id", "pptx")));

    MessageRequest r = minimal()
        .putExtra("service_tier", "auto")
        .putExtra("container", container)
        .putExtra("inference_geo", null)
        .putExtra("speed", "fast")
        .build();

    assertThat(r.extra()).containsExactly(
        entry("service_tier", "auto"),
        entry("container", container),
        entry("inference_geo", null),
        entry("speed", "fast"));
  }

  @Test
  void putExtra_isDeepImmutable() {
    List<Object> skills = new ArrayList<>(List.of("a"));
    Map<String, Object> container = new LinkedHashMap<>(Map.of("skills", skills));
    MessageRequest r = minimal().putExtra("container", container).build();

    container.put("id", "late");
    skills.add("b");

    @SuppressWarnings("unchecked")
    Map<String, Object> kept = (Map<String, Object>) r.extra().get("container");
    assertThat(kept).containsOnlyKeys("skills");
    assertThat(kept.get("skills")).isEqualTo(List.of("a"));
    assertThatThrownBy(() -> r.extra().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> kept.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    List<Object> keptSkills = (List<Object>) kept.get("skills");
    assertThatThrownBy(() -> keptSkills.add("c")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void putExtra_typedFieldIsRefused() {
    for (String name : MessageRequest.TYPED_FIELDS) {
      assertThatThrownBy(() -> MessageRequest.builder().putExtra(name, "x"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("'" + name + "' is a typed field of MessageRequest: use its setter, not putExtra");
    }
  }

  @Test
  void putExtra_nonJsonValueIsRefusedWithItsPath() {
    assertThatThrownBy(() -> MessageRequest.builder().putExtra("when", new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("value at $.when is not JSON (a java.lang.Object)");
    assertThatThrownBy(() -> MessageRequest.builder()
        .putExtra("container", Map.of("skills", List.of("ok", new StringBuilder("no")))))
        .hasMessage("value at $.container.skills[1] is not JSON (a java.lang.StringBuilder)");
  }

  @Test
  void putExtra_nonStringKeyIsRefused() {
    assertThatThrownBy(() -> MessageRequest.builder().putExtra("container", Map.of(7, "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key at $.container is not a string: 7");
  }

  @Test
  void removeExtra_dropsTheField() {
    MessageRequest r = minimal().putExtra("service_tier", "auto").removeExtra("service_tier").build();

    assertThat(r.extra()).isEmpty();
  }

  @Test
  void toBuilder_roundTripIsEqual() {
    MessageRequest r = minimal()
        .system("Be brief.")
        .addAssistantMessage("Hi")
        .addUserMessage("More")
        .stream(true)
        .temperature(0.5)
        .topP(0.8)
        .topK(40)
        .stopSequences(List.of("END"))
        .tools(List.of(Map.of("name", "get_weather", "input_schema", Map.of("type", "object"))))
        .toolChoice(Map.of("type", "auto"))
        .metadataUserId("u-1")
        .thinking(Map.of("type", "enabled", "budget_tokens", 2048))
        .putExtra("service_tier", "auto")
        .build();

    MessageRequest copy = r.toBuilder().build();

    assertThat(copy).isEqualTo(r).hasSameHashCodeAs(r).isNotSameAs(r);
    assertThat(copy.toolChoice()).isEqualTo(Map.of("type", "auto"));
    assertThat(copy.thinking()).isEqualTo(Map.of("type", "enabled", "budget_tokens", 2048));
    assertThat(copy.stopSequences()).containsExactly("END");
  }

  @Test
  void toBuilder_changesDoNotReachTheOriginal() {
    MessageRequest r = minimal().putExtra("service_tier", "auto").build();

    r.toBuilder().addUserMessage("again").putExtra("speed", "fast").build();

    assertThat(r.messages()).hasSize(1);
    assertThat(r.extra()).containsOnlyKeys("service_tier");
  }

  @Test
  void withModel_changesOnlyTheModel() {
    MessageRequest r = minimal().temperature(0.3).putExtra("service_tier", "auto").build();

    MessageRequest other = r.withModel("claude-haiku-4-5");

    assertThat(other.model()).isEqualTo("claude-haiku-4-5");
    assertThat(other.toBuilder().model(r.model()).build()).isEqualTo(r);
    assertThat(r.model()).isEqualTo("claude-sonnet-4-5");
  }

  @Test
  void withModel_sameModelReturnsThisInstance() {
    MessageRequest r = minimal().build();

    assertThat(r.withModel("claude-sonnet-4-5")).isSameAs(r);
  }

  @Test
  void withStream_setsStreamAndReturnsThisWhenUnchanged() {
    MessageRequest r = minimal().build();

    MessageRequest streaming = r.withStream(true);

    assertThat(streaming.stream()).isTrue();
    assertThat(r.stream()).isFalse();
    assertThat(r.withStream(false)).isSameAs(r);
    assertThat(streaming.withStream(false)).isEqualTo(r);
  }

  @Test
  void usesPromptCache_falseWithoutAnyCacheControl() {
    MessageRequest r = minimal().system("sys")
        .tools(List.of(Map.of("name", "t")))
        .putExtra("service_tier", "auto")
        .build();

    assertThat(r.usesPromptCache()).isFalse();
  }

  @Test
  void usesPromptCache_topLevel() {
    assertThat(minimal().putExtra("cache_control", Map.of("type", "ephemeral")).build().usesPromptCache())
        .isTrue();
  }

  @Test
  void usesPromptCache_onSystemBlock() {
    ContentBlock cached = new ContentBlock("text",
        Map.of("text", "long system prompt", "cache_control", Map.of("type", "ephemeral")));

    assertThat(minimal().systemBlocks(List.of(ContentBlock.text("a"), cached)).build().usesPromptCache())
        .isTrue();
  }

  @Test
  void usesPromptCache_onMessageBlock() {
    ContentBlock cached = new ContentBlock("text",
        Map.of("text", "document", "cache_control", Map.of("type", "ephemeral", "ttl", "1h")));

    MessageRequest r = minimal().addMessage(new Message("user", List.of(ContentBlock.text("q"), cached)))
        .build();

    assertThat(r.usesPromptCache()).isTrue();
  }

  @Test
  void usesPromptCache_onTool() {
    MessageRequest r = minimal()
        .tools(List.of(Map.of("name", "a"), Map.of("name", "b", "cache_control", Map.of("type", "ephemeral"))))
        .build();

    assertThat(r.usesPromptCache()).isTrue();
  }

  @Test
  void metadataUserId_setsKeepsOtherFieldsAndRemoves() {
    MessageRequest.Builder b = minimal().metadata(Map.of("trace", "t-1"));

    MessageRequest withUser = b.metadataUserId("user-42").build();
    MessageRequest without = b.metadataUserId(null).build();

    assertThat(withUser.metadataUserId()).isEqualTo("user-42");
    assertThat(withUser.metadata()).containsEntry("trace", "t-1").containsEntry("user_id", "user-42");
    assertThat(without.metadataUserId()).isNull();
    assertThat(without.metadata()).containsOnlyKeys("trace");
  }

  @Test
  void metadataUserId_nullWithoutMetadataOrWhenNotAString() {
    assertThat(minimal().build().metadataUserId()).isNull();
    assertThat(minimal().metadata(Map.of("user_id", 42)).build().metadataUserId()).isNull();
  }

  @Test
  void equals_differsOnAnyField() {
    MessageRequest r = minimal().build();

    assertThat(r).isEqualTo(minimal().build()).hasSameHashCodeAs(minimal().build());
    assertThat(r).isNotEqualTo(minimal().maxTokens(1).build());
    assertThat(r).isNotEqualTo(minimal().temperature(0.1).build());
    assertThat(r).isNotEqualTo(minimal().putExtra("service_tier", "auto").build());
    assertThat(r).isNotEqualTo(minimal().metadataUserId("u").build());
    assertThat(r).isNotEqualTo(minimal().system("s").build());
    assertThat(r).isNotEqualTo(minimal().stream(true).build());
    assertThat(r).isNotEqualTo("MessageRequest");
  }

  @Test
  void toString_neverShowsMessageOrSystemText() {
    MessageRequest r = MessageRequest.builder().model("claude-opus-4-5").maxTokens(64)
        .system(SECRET_TEXT).addUserMessage(SECRET_TEXT).addAssistantMessage("ok").addUserMessage(SECRET_TEXT)
        .stream(true).build();

    assertThat(r.toString())
        .isEqualTo("MessageRequest[model=claude-opus-4-5, max_tokens=64, messages=3, stream]")
        .doesNotContain("hunter2");
  }

  @Test
  void build_doesNotMutateTheBuilderAndLaterChangesDoNotReachEarlierResults() {
    Map<String, Object> tool = new LinkedHashMap<>(Map.of("name", "search"));
    MessageRequest.Builder b = minimal().tools(List.of(tool)).putExtra("service_tier", "auto");

    MessageRequest first = b.build();
    MessageRequest second = b.build();
    b.model("claude-haiku-4-5").addUserMessage("again").putExtra("speed", "fast").stopSequences(List.of("X"));
    tool.put("cache_control", Map.of("type", "ephemeral"));

    assertThat(second).isEqualTo(first);
    assertThat(first.model()).isEqualTo("claude-sonnet-4-5");
    assertThat(first.messages()).hasSize(1);
    assertThat(first.extra()).containsOnlyKeys("service_tier");
    assertThat(first.stopSequences()).isEmpty();
    assertThat(first.tools()).containsExactly(Map.of("name", "search"));
    assertThat(first.usesPromptCache()).isFalse();
  }

  @Test
  void messages_returnedListsAreUnmodifiable() {
    MessageRequest r = minimal().stopSequences(new ArrayList<>(List.of("a"))).build();

    assertThatThrownBy(() -> r.messages().add(Message.user("x"))).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> r.stopSequences().add("b")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> r.system().add(ContentBlock.text("s"))).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void messages_replacesAndRejectsNull() {
    MessageRequest r = minimal().messages(List.of(Message.user("a"), Message.assistant("b"), Message.user("c")))
        .build();

    assertThat(r.messages()).extracting(Message::text).containsExactly("a", "b", "c");
    assertThatThrownBy(() -> MessageRequest.builder().addMessage(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("message");
  }

  @Test
  void systemBlocks_nullElementIsRefusedWithItsIndex() {
    List<ContentBlock> blocks = new ArrayList<>();
    blocks.add(ContentBlock.text("a"));
    blocks.add(null);

    assertThatThrownBy(() -> MessageRequest.builder().systemBlocks(blocks))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("system[1] is null");
  }

  @Test
  void tools_nonJsonValueIsRefusedAtBuildWithItsPath() {
    MessageRequest.Builder b = minimal().tools(List.of(Map.of("name", "t"), Map.of("input_schema", new Object())));

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("value at $.tools[1].input_schema is not JSON (a java.lang.Object)");
  }
}
