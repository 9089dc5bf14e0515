package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StreamEventTest {

  private static final MessageResponse START = new MessageResponse("msg_1", "claude-sonnet-4-5", "assistant",
      List.of(), null, null, Usage.of(25, 1), Map.of());

  private static List<StreamEvent> oneOfEach() {
    return List.of(
        new StreamEvent.MessageStart(START),
        new StreamEvent.ContentBlockStart(0, ContentBlock.text("")),
        new StreamEvent.ContentBlockDelta(0, "text_delta", Map.of("type", "text_delta", "text", "Hi")),
        new StreamEvent.ContentBlockStop(0),
        new StreamEvent.MessageDelta("end_turn", null, Usage.of(0, 15), Map.of("stop_reason", "end_turn")),
        new StreamEvent.MessageStop(),
        new StreamEvent.Ping(),
        new StreamEvent.Error(ApiError.of("overloaded_error", "Overloaded")),
        new StreamEvent.Unknown("future_event", "{}"));
  }

  @Test
  void name_isTheSseEventNameOfEachType() {
    assertThat(oneOfEach()).extracting(StreamEvent::name).containsExactly(
        "message_start", "content_block_start", "content_block_delta", "content_block_stop",
        "message_delta", "message_stop", "ping", "error", "future_event");
  }

  @Test
  void oneOfEach_coversEveryPermittedType() {
    assertThat(oneOfEach().stream().map(Object::getClass).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(Arrays.asList(StreamEvent.class.getPermittedSubclasses()));
  }

  @Test
  void isContent_onlyForContentDeltas() {
    assertThat(oneOfEach()).filteredOn(StreamEvent::isContent)
        .containsExactly(new StreamEvent.ContentBlockDelta(0, "text_delta", Map.of("type", "text_delta", "text", "Hi")));
  }

  @Test
  void isContent_trueForTextToolAndThinkingDeltasFalseForSignature() {
    assertThat(new StreamEvent.ContentBlockDelta(0, "input_json_delta", Map.of("partial_json", "{\"a")).isContent())
        .isTrue();
    assertThat(new StreamEvent.ContentBlockDelta(0, "thinking_delta", Map.of("thinking", "so")).isContent()).isTrue();
    assertThat(new StreamEvent.ContentBlockDelta(0, "citations_delta", Map.of()).isContent()).isTrue();
    assertThat(new StreamEvent.ContentBlockDelta(0, "signature_delta", Map.of("signature", "EqQ")).isContent())
        .isFalse();
  }

  @Test
  void contentBlockDeltaText_readsTextPartialJsonOrThinking() {
    assertThat(new StreamEvent.ContentBlockDelta(0, "text_delta", Map.of("text", "Hello")).text()).isEqualTo("Hello");
    assertThat(new StreamEvent.ContentBlockDelta(1, "input_json_delta", Map.of("partial_json", "{\"city\":")).text())
        .isEqualTo("{\"city\":");
    assertThat(new StreamEvent.ContentBlockDelta(2, "thinking_delta", Map.of("thinking", "Let me")).text())
        .isEqualTo("Let me");
  }

  @Test
  void contentBlockDeltaText_isEmptyForOtherDeltas() {
    assertThat(new StreamEvent.ContentBlockDelta(0, "signature_delta", Map.of("signature", "EqQ")).text()).isEmpty();
    assertThat(new StreamEvent.ContentBlockDelta(0, "text_delta", Map.of("text", 5)).text()).isEmpty();
    assertThat(new StreamEvent.ContentBlockDelta(0, "text_delta", null).text()).isEmpty();
  }

  @Test
  void contentBlockDelta_deltaIsFrozenAndTypeRequired() {
    Map<String, Object> delta = new LinkedHashMap<>(Map.of("text", "a"));
    StreamEvent.ContentBlockDelta e = new StreamEvent.ContentBlockDelta(0, "text_delta", delta);

    delta.put("text", "b");

    assertThat(e.text()).isEqualTo("a");
    assertThatThrownBy(() -> e.delta().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> new StreamEvent.ContentBlockDelta(0, null, Map.of()))
        .isInstanceOf(NullPointerException.class).hasMessage("deltaType");
  }

  @Test
  void messageDelta_defaultsUsageAndDelta() {
    StreamEvent.MessageDelta e = new StreamEvent.MessageDelta(null, null, null, null);

    assertThat(e.usage()).isEqualTo(Usage.ZERO);
    assertThat(e.delta()).isEmpty();
    assertThat(e.isContent()).isFalse();
  }

  @Test
  void unknown_defaultsDataAndRequiresName() {
    assertThat(new StreamEvent.Unknown("x", null).data()).isEmpty();
    assertThatThrownBy(() -> new StreamEvent.Unknown(null, "d"))
        .isInstanceOf(NullPointerException.class).hasMessage("name");
  }

  @Test
  void constructors_requireTheirPayload() {
    assertThatThrownBy(() -> new StreamEvent.MessageStart(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("message");
    assertThatThrownBy(() -> new StreamEvent.ContentBlockStart(0, null)).isInstanceOf(NullPointerException.class)
        .hasMessage("block");
    assertThatThrownBy(() -> new StreamEvent.Error(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("error");
  }
}
