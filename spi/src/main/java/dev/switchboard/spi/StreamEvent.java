package dev.switchboard.spi;

import java.util.Map;
import java.util.Objects;

/**
 * One server-sent event of a streaming Messages response, typed by its {@code event} name.
 *
 * <p>Grammar: {@link MessageStart}, then per content block {@link ContentBlockStart},
 * {@link ContentBlockDelta}*, {@link ContentBlockStop}; then {@link MessageDelta}+ and
 * {@link MessageStop}. {@link Ping} may appear anywhere; {@link Error} may appear anywhere after
 * the 200 and ends the stream. Events the API adds later arrive as {@link Unknown} and must be
 * ignored by consumers that do not know them.
 */
public sealed interface StreamEvent {

  /** Returns the SSE event name, e.g. {@code content_block_delta}. */
  String name();

  /** Returns true for events that carry generated content (text, tool input, thinking). */
  default boolean isContent() {
    return false;
  }

  /** {@code message_start}: the message with empty content and initial usage. */
  record MessageStart(MessageResponse message) implements StreamEvent {
    public MessageStart {
      Objects.requireNonNull(message, "message");
    }

    @Override
    public String name() {
      return "message_start";
    }
  }

  /** {@code content_block_start}: block {@code index} opens with its initial value. */
  record ContentBlockStart(int index, ContentBlock block) implements StreamEvent {
    public ContentBlockStart {
      Objects.requireNonNull(block, "block");
    }

    @Override
    public String name() {
      return "content_block_start";
    }
  }

  /**
   * {@code content_block_delta}: a piece of block {@code index}.
   *
   * @param index the block's index
   * @param deltaType {@code text_delta}, {@code input_json_delta}, {@code thinking_delta},
   *     {@code signature_delta}, {@code citations_delta}, or a later type
   * @param delta the whole {@code delta} object, verbatim
   */
  record ContentBlockDelta(int index, String deltaType, Map<String, Object> delta)
      implements StreamEvent {
    public ContentBlockDelta {
      Objects.requireNonNull(deltaType, "deltaType");
      delta = Json.freezeObject(delta, "$.delta");
    }

    /** Returns the text of a text, thinking or input-json delta; "" otherwise. */
    public String text() {
      for (String field : new String[] {"text", "partial_json", "thinking"}) {
        if (delta.get(field) instanceof String s) {
          return s;
        }
      }
      return "";
    }

    @Override
    public boolean isContent() {
      return !deltaType.equals("signature_delta");
    }

    @Override
    public String name() {
      return "content_block_delta";
    }
  }

  /** {@code content_block_stop}: block {@code index} is complete. */
  record ContentBlockStop(int index) implements StreamEvent {
    @Override
    public String name() {
      return "content_block_stop";
    }
  }

  /**
   * {@code message_delta}: top-level changes and cumulative usage.
   *
   * @param stopReason {@code delta.stop_reason}, or null
   * @param stopSequence {@code delta.stop_sequence}, or null
   * @param usage the cumulative usage so far ({@code output_tokens} always; other fields when
   *     present, else 0)
   * @param delta the whole {@code delta} object, verbatim
   */
  record MessageDelta(String stopReason, String stopSequence, Usage usage, Map<String, Object> delta)
      implements StreamEvent {
    public MessageDelta {
      usage = usage == null ? Usage.ZERO : usage;
      delta = Json.freezeObject(delta, "$.delta");
    }

    @Override
    public String name() {
      return "message_delta";
    }
  }

  /** {@code message_stop}: the stream is complete. */
  record MessageStop() implements StreamEvent {
    @Override
    public String name() {
      return "message_stop";
    }
  }

  /** {@code ping}: keep-alive, no progress. */
  record Ping() implements StreamEvent {
    @Override
    public String name() {
      return "ping";
    }
  }

  /** {@code error}: the server ends the stream with this error (e.g. {@code overloaded_error}). */
  record Error(ApiError error) implements StreamEvent {
    public Error {
      Objects.requireNonNull(error, "error");
    }

    @Override
    public String name() {
      return "error";
    }
  }

  /**
   * An event this SDK does not know, kept as its name and raw data.
   *
   * @param name the {@code event:} name (or "message" when the frame had none)
   * @param data the raw {@code data:} payload
   */
  record Unknown(String name, String data) implements StreamEvent {
    public Unknown {
      Objects.requireNonNull(name, "name");
      data = data == null ? "" : data;
    }
  }
}
