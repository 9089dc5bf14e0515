package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageTest {

  @Test
  void user_andAssistantHoldOneTextBlock() {
    assertThat(Message.user("hi")).isEqualTo(new Message("user", List.of(ContentBlock.text("hi"))));
    assertThat(Message.assistant("yo").role()).isEqualTo("assistant");
    assertThat(Message.assistant("yo").content()).containsExactly(ContentBlock.text("yo"));
  }

  @Test
  void constructor_emptyContentIsRefusedNamingTheRole() {
    assertThatThrownBy(() -> new Message("user", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("message content must not be empty (role user)");
  }

  @Test
  void constructor_nullsAreRefused() {
    List<ContentBlock> withNull = new ArrayList<>();
    withNull.add(null);

    assertThatThrownBy(() -> new Message(null, List.of(ContentBlock.text("a"))))
        .isInstanceOf(NullPointerException.class).hasMessage("role");
    assertThatThrownBy(() -> new Message("user", null))
        .isInstanceOf(NullPointerException.class).hasMessage("content");
    assertThatThrownBy(() -> new Message("user", withNull))
        .isInstanceOf(NullPointerException.class).hasMessage("content[0] is null");
  }

  @Test
  void text_concatenatesTextBlocksAndSkipsOthers() {
    Message m = new Message("assistant", List.of(
        ContentBlock.text("Hello, "),
        ContentBlock.toolUse("toolu_1", "t", Map.of()),
        ContentBlock.text("world")));

    assertThat(m.text()).isEqualTo("Hello, world");
  }

  @Test
  void content_isACopy() {
    List<ContentBlock> blocks = new ArrayList<>(List.of(ContentBlock.text("a")));
    Message m = new Message("user", blocks);

    blocks.add(ContentBlock.text("b"));

    assertThat(m.content()).hasSize(1);
    assertThatThrownBy(() -> m.content().add(ContentBlock.text("c")))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
