package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContentBlockTest {

  @Test
  void text_makesATextBlock() {
    ContentBlock b = ContentBlock.text("hello");

    assertThat(b.type()).isEqualTo("text");
    assertThat(b.fields()).containsExactly(Map.entry("text", "hello"));
    assertThat(b.text()).isEqualTo("hello");
    assertThat(b.hasCacheControl()).isFalse();
  }

  @Test
  void constructor_blankTypeIsRefused() {
    assertThatThrownBy(() -> new ContentBlock(" ", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("content block type must not be blank");
    assertThatThrownBy(() -> new ContentBlock(null, Map.of()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("type");
  }

  @Test
  void constructor_dropsTypeFromFieldsAndAcceptsNullFields() {
    assertThat(new ContentBlock("text", Map.of("type", "text", "text", "a")).fields()).containsOnlyKeys("text");
    assertThat(new ContentBlock("redacted_thinking", null).fields()).isEmpty();
  }

  @Test
  void constructor_nonJsonFieldIsRefusedWithItsPath() {
    assertThatThrownBy(() -> new ContentBlock("image", Map.of("source", new Object())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("value at $.image.source is not JSON (a java.lang.Object)");
  }

  @Test
  void fields_areDeepCopiedAndUnmodifiable() {
    Map<String, Object> source = new LinkedHashMap<>(Map.of("type", "base64", "data", "AAAA"));
    Map<String, Object> fields = new LinkedHashMap<>(Map.of("source", source));
    ContentBlock b = new ContentBlock("image", fields);

    source.put("data", "BBBB");
    fields.put("extra", 1);

    assertThat(b.fields()).containsOnlyKeys("source");
    assertThat(b.fields().get("source")).isEqualTo(Map.of("type", "base64", "data", "AAAA"));
    assertThatThrownBy(() -> b.fields().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void fromJson_unknownTypeRoundTripsVerbatim() {
    Map<String, Object> wire = new LinkedHashMap<>();
    wire.put("type", "server_tool_use");
    wire.put("id", "srvtoolu_1");
    wire.put("name", "web_search");
    wire.put("input", Map.of("query", "weather"));

    ContentBlock b = ContentBlock.fromJson(wire);

    assertThat(b.type()).isEqualTo("server_tool_use");
    assertThat(b.toJson()).containsExactlyEntriesOf(wire);
    assertThat(b.toJson().keySet()).first().isEqualTo("type");
    assertThat(b.string("name")).isEqualTo("web_search");
    assertThat(b.string("input")).isNull();
    assertThat(b.string("missing")).isNull();
    assertThat(b.text()).isEmpty();
  }

  @Test
  void fromJson_withoutStringTypeIsRefused() {
    assertThatThrownBy(() -> ContentBlock.fromJson(Map.of("text", "a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("content block has no string 'type': [text]");
    assertThatThrownBy(() -> ContentBlock.fromJson(Map.of("type", 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("content block has no string 'type': [type]");
  }

  @Test
  void text_ofThinkingBlockIsItsThinking() {
    ContentBlock b = new ContentBlock("thinking", Map.of("thinking", "let me see", "signature", "sig"));

    assertThat(b.text()).isEqualTo("let me see");
  }

  @Test
  void toolUse_buildsIdNameAndInput() {
    ContentBlock b = ContentBlock.toolUse("toolu_1", "get_weather", Map.of("city", "Paris"));
    ContentBlock noInput = ContentBlock.toolUse("toolu_2", "now", null);

    assertThat(b.type()).isEqualTo("tool_use");
    assertThat(b.fields()).containsExactly(
        Map.entry("id", "toolu_1"), Map.entry("name", "get_weather"), Map.entry("input", Map.of("city", "Paris")));
    assertThat(noInput.fields().get("input")).isEqualTo(Map.of());
  }

  @Test
  void hasCacheControl_whenTheFieldIsSet() {
    ContentBlock b = new ContentBlock("text", Map.of("text", "a", "cache_control", Map.of("type", "ephemeral")));

    assertThat(b.hasCacheControl()).isTrue();
  }

  @Test
  void equals_comparesTypeAndFields() {
    assertThat(ContentBlock.text("a")).isEqualTo(new ContentBlock("text", Map.of("text", "a")))
        .hasSameHashCodeAs(new ContentBlock("text", Map.of("text", "a")));
    assertThat(ContentBlock.text("a")).isNotEqualTo(ContentBlock.text("b"));
    assertThat(ContentBlock.text("a")).isNotEqualTo(new ContentBlock("other", Map.of("text", "a")));
  }

  @Test
  void text_ofNullIsRefused() {
    assertThatThrownBy(() -> ContentBlock.text(null)).isInstanceOf(NullPointerException.class).hasMessage("text");
  }

  @Test
  void fields_keepNestedListsUnmodifiable() {
    ContentBlock b = new ContentBlock("text", Map.of("text", "a", "citations", List.of(Map.of("cited_text", "x"))));

    @SuppressWarnings("unchecked")
    List<Object> citations = (List<Object>) b.fields().get("citations");
    assertThatThrownBy(() -> citations.add("y")).isInstanceOf(UnsupportedOperationException.class);
  }
}
