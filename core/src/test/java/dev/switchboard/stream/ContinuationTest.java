package dev.switchboard.stream;

import static dev.switchboard.stream.Events.delta;
import static dev.switchboard.stream.Events.json;
import static dev.switchboard.stream.Events.messageStop;
import static dev.switchboard.stream.Events.overloaded;
import static dev.switchboard.stream.Events.start;
import static dev.switchboard.stream.Events.stop;
import static dev.switchboard.stream.Events.text;
import static dev.switchboard.stream.Events.textStart;
import static dev.switchboard.stream.Events.toolStart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.schedule.FakeScheduler;
import dev.switchboard.spi.ContentBlock;
import dev.switchboard.spi.Message;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.ProviderResponse;
import dev.switchboard.spi.StreamEvent;
import dev.switchboard.spi.Usage;
import dev.switchboard.testkit.FakeTicker;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ContinuationTest {
  private static final MessageRequest ORIGINAL = MessageRequest.builder()
      .model("claude-opus-4-6").maxTokens(100).addUserMessage("Tell me a story").build();

  private final FakeTicker ticker = new FakeTicker();
  private final FakeScheduler scheduler = new FakeScheduler(ticker);
  private final RecordingHandler handler = new RecordingHandler();
  private final StreamDelivery delivery = StreamDelivery.to(handler, ticker);

  private void deliver(StreamEvent... events) {
    for (StreamEvent e : events) {
      delivery.deliver(e);
    }
  }

  @Test
  void request_prefillsTheSeenTextWithoutTrailingWhitespaceAndLowersMaxTokens() {
    deliver(start("msg_1", 25), textStart(0), text(0, "Once upon a "), delta(null, 6));

    MessageRequest next = Continuation.of(ORIGINAL, delivery).request();

    assertThat(next.messages()).containsExactly(Message.user("Tell me a story"),
        Message.assistant("Once upon a"));
    assertThat(next.maxTokens()).isEqualTo(94);
    assertThat(next.stream()).isTrue();
    assertThat(next.model()).isEqualTo("claude-opus-4-6");
  }

  @Test
  void request_appendsToTheCallersOwnPrefill() {
    MessageRequest prefilled = ORIGINAL.toBuilder().addAssistantMessage("{").build();
    deliver(start("msg_1", 25), textStart(0), text(0, "\"a\": 1"), stop(0), textStart(1),
        text(1, "\n\n"));

    MessageRequest next = Continuation.of(prefilled, delivery).request();

    assertThat(next.messages()).hasSize(2);
    assertThat(next.messages().get(1)).isEqualTo(new Message("assistant",
        List.of(ContentBlock.text("{"), ContentBlock.text("\"a\": 1"))));
  }

  @Test
  void isPossible_isFalseForToolUseThinkingAndBlankText() {
    deliver(start("msg_1", 25), textStart(0), text(0, "Let me look"), stop(0),
        toolStart(1, "toolu_1", "search"), json(1, "{\"q\":"));
    assertThat(Continuation.isPossible(ORIGINAL, delivery)).isFalse();
    assertThatThrownBy(() -> Continuation.of(ORIGINAL, delivery))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stream cannot be continued: a tool_use block was delivered");

    StreamDelivery blank = StreamDelivery.to(new RecordingHandler(), ticker);
    blank.deliver(start("msg_2", 25));
    blank.deliver(textStart(0));
    blank.deliver(text(0, "  \n"));
    assertThatThrownBy(() -> Continuation.of(ORIGINAL, blank))
        .hasMessage("stream cannot be continued: no text was delivered");

    StreamDelivery text = StreamDelivery.to(new RecordingHandler(), ticker);
    text.deliver(start("msg_3", 25));
    text.deliver(textStart(0));
    text.deliver(text(0, "Hi"));
    MessageRequest thinking = ORIGINAL.toBuilder()
        .thinking(Map.of("type", "enabled", "budget_tokens", 2048)).build();
    assertThat(Continuation.isPossible(thinking, text)).isFalse();
    assertThat(Continuation.isPossible(ORIGINAL, text)).isTrue();
    assertThatThrownBy(() -> Continuation.of(ORIGINAL, StreamDelivery.to(handler, ticker)))
        .hasMessage("stream cannot be continued: no message_start was delivered");
  }

  @Test
  void stitch_mergesIntoTheOpenBlockAndSumsUsage() {
    deliver(start("msg_1", 25), textStart(0), text(0, "Once upon a "), delta(null, 6));
    Continuation c = Continuation.of(ORIGINAL, delivery);
    Consumer<StreamEvent> s = c.stitch(delivery::deliver);

    for (StreamEvent e : List.of(start("msg_2", 40), textStart(0), text(0, " "), text(0, " time"),
        text(0, " there"), stop(0), delta("end_turn", 5), messageStop())) {
      s.accept(e);
    }
    delivery.complete(true);

    assertThat(handler.names()).containsExactly("message_start", "content_block_start",
        "content_block_delta", "message_delta", "content_block_delta", "content_block_delta",
        "content_block_stop", "message_delta", "message_stop");
    assertThat(handler.text()).isEqualTo("Once upon a time there");
    StreamResult r = handler.completions.get(0);
    assertThat(r.continued()).isTrue();
    assertThat(r.message().id()).isEqualTo("msg_1");
    assertThat(r.message().content()).hasSize(1);
    assertThat(r.message().text()).isEqualTo("Once upon a time there");
    assertThat(r.message().stopReason()).isEqualTo("end_turn");
    assertThat(r.message().usage()).isEqualTo(Usage.of(65, 11));
  }

  @Test
  void stitch_shiftsBlocksPastAClosedBlock() {
    deliver(start("msg_1", 25), textStart(0), text(0, "First."), stop(0), delta(null, 3));
    Consumer<StreamEvent> s = Continuation.of(ORIGINAL, delivery).stitch(delivery::deliver);

    for (StreamEvent e : List.of(start("msg_2", 30), textStart(0), text(0, " Second."), stop(0),
        toolStart(1, "toolu_1", "note"), json(1, "{}"), stop(1), delta("tool_use", 4),
        messageStop())) {
      s.accept(e);
    }

    List<Integer> indices = handler.events.stream()
        .filter(e -> e instanceof StreamEvent.ContentBlockStart)
        .map(e -> ((StreamEvent.ContentBlockStart) e).index()).toList();
    assertThat(indices).containsExactly(0, 1, 2);
    assertThat(handler.text()).isEqualTo("First. Second.");
    assertThat(delivery.seenMessage().orElseThrow().content()).hasSize(3);
  }

  @Test
  void stitch_closesTheOpenBlockBeforeANonTextBlock() {
    deliver(start("msg_1", 25), textStart(0), text(0, "Checking"), delta(null, 2));
    Consumer<StreamEvent> s = Continuation.of(ORIGINAL, delivery).stitch(delivery::deliver);

    for (StreamEvent e : List.of(start("msg_2", 30), toolStart(0, "toolu_1", "search"),
        json(0, "{\"q\":\"x\"}"), stop(0), delta("tool_use", 4), messageStop())) {
      s.accept(e);
    }

    assertThat(handler.events.subList(4, handler.events.size())).containsExactly(
        new StreamEvent.ContentBlockStop(0),
        new StreamEvent.ContentBlockStart(1, ContentBlock.toolUse("toolu_1", "search", Map.of())),
        new StreamEvent.ContentBlockDelta(1, "input_json_delta",
            Map.of("type", "input_json_delta", "partial_json", "{\"q\":\"x\"}")),
        new StreamEvent.ContentBlockStop(1),
        new StreamEvent.MessageDelta("tool_use", null, Usage.of(55, 6), Map.of("stop_reason", "tool_use")),
        new StreamEvent.MessageStop());
  }

  @Test
  void gatesAndContinuation_giveTheCallerOneContinuousAnswer() {
    // attempt 1 breaks with overloaded_error after content
    Recorder first = new Recorder();
    StreamGate g1 = StreamGate.builder(ticker, scheduler).downstream(delivery::deliver)
        .observer(first).build();
    delivery.attach(g1);
    g1.start(ScriptedCall::new);
    g1.onResponse(ProviderResponse.builder(200).build());
    for (StreamEvent e : List.of(start("msg_1", 25), textStart(0), text(0, "The answer is"),
        delta(null, 4), overloaded())) {
      g1.onEvent(e);
    }
    assertThat(first.outcome().contentDelivered()).isTrue();
    assertThat(Continuation.isPossible(ORIGINAL, delivery)).isTrue();

    // attempt 2 (the continuation) is rejected before the stream starts: invisible
    Continuation c = Continuation.of(ORIGINAL, delivery);
    Recorder second = new Recorder();
    StreamGate g2 = StreamGate.builder(ticker, scheduler).downstream(c.stitch(delivery::deliver))
        .observer(second).build();
    g2.start(ScriptedCall::new);
    g2.onResponse(ProviderResponse.builder(529).build());
    assertThat(second.outcome().kind()).isEqualTo(StreamOutcome.Kind.REJECTED);

    // attempt 3 finishes it
    Recorder third = new Recorder();
    StreamGate g3 = StreamGate.builder(ticker, scheduler).downstream(c.stitch(delivery::deliver))
        .observer(third).build();
    g3.start(ScriptedCall::new);
    g3.onResponse(ProviderResponse.builder(200).build());
    for (StreamEvent e : List.of(start("msg_3", 30), textStart(0), text(0, " 42."), stop(0),
        delta("end_turn", 3), messageStop())) {
      g3.onEvent(e);
    }
    assertThat(third.outcome().kind()).isEqualTo(StreamOutcome.Kind.COMPLETE);
    delivery.complete(true);

    assertThat(handler.names().stream().filter("message_start"::equals)).hasSize(1);
    assertThat(handler.text()).isEqualTo("The answer is 42.");
    assertThat(handler.completions.get(0).message().usage()).isEqualTo(Usage.of(55, 7));
    assertThat(handler.completions.get(0).continued()).isTrue();
  }
}
