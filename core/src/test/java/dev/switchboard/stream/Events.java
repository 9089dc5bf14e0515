package dev.switchboard.stream;

import dev.switchboard.spi.ApiError;
import dev.switchboard.spi.ContentBlock;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.StreamEvent;
import dev.switchboard.spi.Usage;
import java.util.List;
import java.util.Map;

/** Builds stream events the way the API sends them (reference §5). */
final class Events {
  private Events() {}

  static StreamEvent start(String id, long inputTokens) {
    return new StreamEvent.MessageStart(new MessageResponse(id, "claude-opus-4-6", "assistant",
        List.of(), null, null, Usage.of(inputTokens, 1), Map.of()));
  }

  static StreamEvent textStart(int index) {
    return new StreamEvent.ContentBlockStart(index, ContentBlock.text(""));
  }

  static StreamEvent toolStart(int index, String id, String name) {
    return new StreamEvent.ContentBlockStart(index, ContentBlock.toolUse(id, name, Map.of()));
  }

  static StreamEvent text(int index, String text) {
    return new StreamEvent.ContentBlockDelta(index, "text_delta",
        Map.of("type", "text_delta", "text", text));
  }

  static StreamEvent json(int index, String partial) {
    return new StreamEvent.ContentBlockDelta(index, "input_json_delta",
        Map.of("type", "input_json_delta", "partial_json", partial));
  }

  static StreamEvent stop(int index) {
    return new StreamEvent.ContentBlockStop(index);
  }

  static StreamEvent delta(String stopReason, long outputTokens) {
    return new StreamEvent.MessageDelta(stopReason, null, Usage.of(0, outputTokens),
        stopReason == null ? Map.of() : Map.of("stop_reason", stopReason));
  }

  static StreamEvent messageStop() {
    return new StreamEvent.MessageStop();
  }

  static StreamEvent ping() {
    return new StreamEvent.Ping();
  }

  static StreamEvent overloaded() {
    return new StreamEvent.Error(ApiError.of("overloaded_error", "Overloaded"));
  }
}
