package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageResponseTest {

  private static MessageResponse response(List<ContentBlock> content) {
    return new MessageResponse("msg_1", "claude-sonnet-4-5", "assistant", content, "end_turn", null,
        Usage.of(10, 20), Map.of());
  }

  @Test
  void text_concatenatesOnlyTextBlocks() {
    MessageResponse r = response(List.of(
        new ContentBlock("thinking", Map.of("thinking", "hmm", "signature", "s")),
        ContentBlock.text("The answer "),
        ContentBlock.toolUse("toolu_1", "calc", Map.of("x", 1)),
        ContentBlock.text("is 42.")));

    assertThat(r.text()).isEqualTo("The answer is 42.");
  }

  @Test
  void text_ofNoTextBlocksIsEmpty() {
    assertThat(response(List.of()).text()).isEmpty();
  }

  @Test
  void constructor_defaultsRoleUsageAndExtra() {
    MessageResponse r = new MessageResponse("msg_1", "m", null, List.of(), null, null, null, null);

    assertThat(r.role()).isEqualTo("assistant");
    assertThat(r.usage()).isEqualTo(Usage.ZERO);
    assertThat(r.extra()).isEmpty();
  }

  @Test
  void constructor_requiresIdAndModel() {
    assertThatThrownBy(() -> new MessageResponse(null, "m", null, List.of(), null, null, null, null))
        .isInstanceOf(NullPointerException.class).hasMessage("id");
    assertThatThrownBy(() -> new MessageResponse("msg_1", null, null, List.of(), null, null, null, null))
        .isInstanceOf(NullPointerException.class).hasMessage("model");
  }

  @Test
  void extra_isDeepCopiedAndUnmodifiable() {
    Map<String, Object> container = new LinkedHashMap<>(Map.of("id", "c1"));
    Map<String, Object> extra = new LinkedHashMap<>(Map.of("container", container));
    MessageResponse r = new MessageResponse("msg_1", "m", null, List.of(), "end_turn", null, null, extra);

    container.put("id", "changed");

    assertThat(r.extra()).isEqualTo(Map.of("container", Map.of("id", "c1")));
    assertThatThrownBy(() -> r.extra().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void toString_omitsTheContent() {
    MessageResponse r = response(List.of(ContentBlock.text("confidential answer")));

    assertThat(r.toString())
        .isEqualTo("MessageResponse[id=msg_1, model=claude-sonnet-4-5, stop_reason=end_turn, blocks=1, usage="
            + Usage.of(10, 20) + "]")
        .doesNotContain("confidential");
  }
}
