package dev.switchboard.okhttp;

import dev.switchboard.okhttp.WireResponses.ShapeException;
import dev.switchboard.spi.ApiError;
import dev.switchboard.spi.StreamEvent;
import java.io.IOException;
import java.util.Map;

/**
 * Maps one server-sent event of a Messages stream to a {@link StreamEvent}.
 *
 * <p>The decision for payloads that cannot be read: an event that carries content or state the
 * consumer needs ({@code message_start}, {@code content_block_start}, {@code content_block_delta},
 * {@code content_block_stop}, {@code message_delta}) with a malformed {@code data} throws
 * {@link ShapeException}, and the transport ends the stream with
 * {@link dev.switchboard.spi.TransportException.Kind#INCOMPLETE_STREAM}: silently dropping a delta
 * would corrupt the assembled message. Events whose payload adds nothing ({@code ping},
 * {@code message_stop}) are delivered whatever their data; an {@code error} event whose data is
 * unreadable is still an {@link StreamEvent.Error}, of type {@code unknown}. Unknown event names
 * become {@link StreamEvent.Unknown} with the raw data. Stateless and thread-safe.
 */
final class StreamEvents {
  private StreamEvents() {}

  /** Returns the typed event for an SSE event. */
  static StreamEvent map(String name, String data) throws ShapeException {
    switch (name) {
      case "ping":
        return new StreamEvent.Ping();
      case "message_stop":
        return new StreamEvent.MessageStop();
      case "error":
        return error(data);
      case "message_start": {
        Map<String, Object> json = parse(name, data);
        Map<String, Object> message = WireResponses.object(json.get("message"), "$.message");
        return new StreamEvent.MessageStart(WireResponses.message(message, "$.message"));
      }
      case "content_block_start": {
        Map<String, Object> json = parse(name, data);
        return new StreamEvent.ContentBlockStart(WireResponses.index(json, "$"),
            WireResponses.block(json.get("content_block"), "$.content_block"));
      }
      case "content_block_delta": {
        Map<String, Object> json = parse(name, data);
        int index = WireResponses.index(json, "$");
        Map<String, Object> delta = WireResponses.object(json.get("delta"), "$.delta");
        String type = WireResponses.string(delta, "type", "$.delta", true);
        return new StreamEvent.ContentBlockDelta(index, type, delta);
      }
      case "content_block_stop": {
        Map<String, Object> json = parse(name, data);
        return new StreamEvent.ContentBlockStop(WireResponses.index(json, "$"));
      }
      case "message_delta": {
        Map<String, Object> json = parse(name, data);
        Object rawDelta = json.get("delta");
        Map<String, Object> delta =
            rawDelta == null ? Map.of() : WireResponses.object(rawDelta, "$.delta");
        return new StreamEvent.MessageDelta(
            WireResponses.string(delta, "stop_reason", "$.delta", false),
            WireResponses.string(delta, "stop_sequence", "$.delta", false),
            WireResponses.usage(json.get("usage"), "$.usage"), delta);
      }
      default:
        return new StreamEvent.Unknown(name, data);
    }
  }

  private static StreamEvent error(String data) {
    try {
      Object json = JsonTrees.parse(data);
      if (json instanceof Map<?, ?> map && map.get("error") instanceof Map<?, ?>) {
        return new StreamEvent.Error(WireResponses.error(map));
      }
      return new StreamEvent.Error(ApiError.of("unknown",
          "error event without an error object: " + WireResponses.describe(data)));
    } catch (IOException | RuntimeException e) {
      return new StreamEvent.Error(ApiError.of("unknown",
          "error event whose data is not JSON (" + WireResponses.describe(data) + "): "
              + e.getMessage()));
    }
  }

  private static Map<String, Object> parse(String name, String data) throws ShapeException {
    Object json;
    try {
      json = JsonTrees.parse(data);
    } catch (IOException | RuntimeException e) {
      throw new ShapeException(name + " event data is not JSON (" + WireResponses.describe(data)
          + "): " + e.getMessage());
    }
    try {
      return WireResponses.object(json, "$");
    } catch (ShapeException e) {
      throw new ShapeException(name + " event: " + e.getMessage());
    }
  }
}
