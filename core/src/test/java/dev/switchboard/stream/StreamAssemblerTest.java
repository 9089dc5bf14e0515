package dev.switchboard.stream;

import static dev.switchboard.stream.Events.delta;
import static dev.switchboard.stream.Events.json;
import static dev.switchboard.stream.Events.messageStop;
import static dev.switchboard.stream.Events.ping;
import static dev.switchboard.stream.Events.start;
import static dev.switchboard.stream.Events.stop;
import static dev.switchboard.stream.Events.text;
import static dev.switchboard.stream.Events.textStart;
import static dev.switchboard.stream.Events.toolStart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.spi.ContentBlock;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.StreamEvent;
import dev.switchboard.spi.Usage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamAssemblerTest {
  private final StreamAssembler a = new StreamAssembler();

  @Test
  void message_assemblesTextAndToolUseLikeTheDocsExample() {
    a.accept(start("msg_014p", 472));
    a.accept(textStart(0));
    a.accept(ping());
    a.accept(text(0, "Okay"));
    a.accept(stop(0));
    a.accept(toolStart(1, "toolu_01", "get_weather"));
    a.accept(json(1, ""));
    a.accept(json(1, "{\"location\":"));
    a.accept(json(1, " \"San Francisco, CA\", \"days\": [1, 2]}"));
    a.accept(stop(1));
    a.accept(delta("tool_use", 89));
    a.accept(messageStop());

    MessageResponse m = a.message();
    assertThat(a.isComplete()).isTrue();
    assertThat(m.id()).isEqualTo("msg_014p");
    assertThat(m.text()).isEqualTo("Okay");
    assertThat(m.stopReason()).isEqualTo("tool_use");
    assertThat(m.usage()).isEqualTo(Usage.of(472, 89));
    ContentBlock tool = m.content().get(1);
    assertThat(tool.type()).isEqualTo("tool_use");
    assertThat(tool.string("id")).isEqualTo("toolu_01");
    assertThat(tool.fields().get("input"))
        .isEqualTo(Map.of("location", "San Francisco, CA", "days", List.of(1L, 2L)));
    assertThat(tool.fields()).doesNotContainKey("partial_json");
  }

  @Test
  void message_keepsAnOpenToolUseAsItsRawPartialJson() {
    a.accept(start("msg_1", 10));
    a.accept(toolStart(0, "toolu_1", "search"));
    a.accept(json(0, "{\"query\": \"wea"));

    ContentBlock tool = a.message().content().get(0);
    assertThat(tool.fields().get("input")).isEqualTo(Map.of());
    assertThat(tool.string("partial_json")).isEqualTo("{\"query\": \"wea");
    assertThat(a.message().stopReason()).isNull();
    assertThat(a.openBlockIndex()).isZero();
    assertThat(a.isComplete()).isFalse();
  }

  @Test
  void message_neverThrowsOnMalformedToolInput() {
    a.accept(start("msg_1", 10));
    a.accept(toolStart(0, "toolu_1", "search"));
    a.accept(json(0, "[1, 2]"));
    a.accept(stop(0));

    assertThat(a.message().content().get(0).string("partial_json")).isEqualTo("[1, 2]");
    assertThat(a.openBlockIndex()).isEqualTo(-1);
  }

  @Test
  void message_toolUseWithOnlyAnEmptyPieceHasEmptyInput() {
    a.accept(start("msg_1", 10));
    a.accept(toolStart(0, "toolu_1", "now"));
    a.accept(json(0, ""));
    a.accept(stop(0));

    assertThat(a.message().content().get(0).fields().get("input")).isEqualTo(Map.of());
    assertThat(a.hasContent()).isTrue();
  }

  @Test
  void message_assemblesThinkingWithSignatureAndCitations() {
    a.accept(start("msg_1", 10));
    a.accept(new StreamEvent.ContentBlockStart(0,
        new ContentBlock("thinking", Map.of("thinking", "", "signature", ""))));
    a.accept(new StreamEvent.ContentBlockDelta(0, "thinking_delta",
        Map.of("type", "thinking_delta", "thinking", "Let me think")));
    a.accept(new StreamEvent.ContentBlockDelta(0, "signature_delta",
        Map.of("type", "signature_delta", "signature", "EqQBCgIYAh")));
    a.accept(stop(0));
    a.accept(textStart(1));
    a.accept(new StreamEvent.ContentBlockDelta(1, "citations_delta",
        Map.of("type", "citations_delta", "citation", Map.of("cited_text", "x"))));
    a.accept(text(1, "Answer"));
    a.accept(stop(1));

    ContentBlock thinking = a.message().content().get(0);
    assertThat(thinking.text()).isEqualTo("Let me think");
    assertThat(thinking.string("signature")).isEqualTo("EqQBCgIYAh");
    assertThat(a.message().content().get(1).fields().get("citations"))
        .isEqualTo(List.of(Map.of("cited_text", "x")));
  }

  @Test
  void hasContent_ignoresSignaturesPingsAndStructure() {
    a.accept(start("msg_1", 10));
    a.accept(new StreamEvent.ContentBlockStart(0, new ContentBlock("thinking", Map.of("thinking", ""))));
    a.accept(new StreamEvent.ContentBlockDelta(0, "signature_delta",
        Map.of("type", "signature_delta", "signature", "s")));
    a.accept(ping());
    assertThat(a.hasContent()).isFalse();

    a.accept(new StreamEvent.ContentBlockDelta(0, "thinking_delta",
        Map.of("type", "thinking_delta", "thinking", "h")));
    assertThat(a.hasContent()).isTrue();
  }

  @Test
  void usage_isCumulativeAndKeepsFieldsALaterReportLacks() {
    a.accept(new StreamEvent.MessageStart(new MessageResponse("msg_1", "m", "assistant", List.of(),
        null, null, new Usage(2, 1, 19826, 11590, 0, 19826, "standard"), Map.of())));
    a.accept(new StreamEvent.MessageDelta(null, null, Usage.of(0, 100), Map.of()));
    assertThat(a.usage()).isEqualTo(new Usage(2, 100, 19826, 11590, 0, 19826, "standard"));

    a.accept(new StreamEvent.MessageDelta("end_turn", null,
        new Usage(2, 312, 19826, 11590, 0, 0, null), Map.of("stop_reason", "end_turn",
            "container", Map.of("id", "c1"))));
    assertThat(a.usage()).isEqualTo(new Usage(2, 312, 19826, 11590, 0, 19826, "standard"));
    assertThat(a.message().extra()).containsEntry("container", Map.of("id", "c1"));
  }

  @Test
  void deltasForUnknownBlocksAndUnknownEvents_changeNothing() {
    a.accept(start("msg_1", 10));
    a.accept(text(3, "orphan"));
    a.accept(new StreamEvent.Unknown("future_event", "{}"));

    assertThat(a.blockCount()).isZero();
    assertThat(a.hasContent()).isFalse();
  }

  @Test
  void message_beforeMessageStartIsRejected() {
    assertThat(a.hasStarted()).isFalse();
    assertThatThrownBy(a::message)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no message_start has arrived");
  }
}
