package dev.switchboard.okhttp;

import com.squareup.moshi.JsonWriter;
import dev.switchboard.spi.ContentBlock;
import dev.switchboard.spi.Message;
import dev.switchboard.spi.MessageRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okio.Buffer;
import okio.ByteString;

/**
 * Encodes {@link MessageRequest}s as Messages API request bodies.
 *
 * <p>Typed fields are written under their wire names in a fixed order ({@code model},
 * {@code max_tokens}, {@code messages}, {@code system}, {@code stream}, {@code temperature},
 * {@code top_p}, {@code top_k}, {@code stop_sequences}, {@code tools}, {@code tool_choice},
 * {@code metadata}, {@code thinking}); absent optional fields and empty lists are omitted. The
 * system prompt is an array of blocks and each message's content an array of blocks, both
 * verbatim. Every {@link MessageRequest#extra()} field follows, verbatim and in order, nulls
 * included. Stateless and thread-safe.
 */
final class WireRequests {
  /** The top-level extra fields {@code count_tokens} accepts besides the typed ones. */
  static final Set<String> COUNT_TOKENS_EXTRA = Set.of("cache_control", "output_config");

  private WireRequests() {}

  /** Returns the body of {@code POST /v1/messages}, with {@code "stream": true} when streaming. */
  static ByteString messages(MessageRequest request, boolean stream) {
    Buffer buffer = new Buffer();
    try (JsonWriter w = JsonWriter.of(buffer)) {
      w.setSerializeNulls(true);
      w.beginObject();
      w.name("model").value(request.model());
      w.name("max_tokens").value(request.maxTokens());
      writeMessages(w, request.messages());
      writeSystem(w, request.system());
      if (stream) {
        w.name("stream").value(true);
      }
      if (request.temperature().isPresent()) {
        w.name("temperature").value(request.temperature().getAsDouble());
      }
      if (request.topP().isPresent()) {
        w.name("top_p").value(request.topP().getAsDouble());
      }
      if (request.topK().isPresent()) {
        w.name("top_k").value(request.topK().getAsInt());
      }
      if (!request.stopSequences().isEmpty()) {
        w.name("stop_sequences");
        JsonTrees.write(w, request.stopSequences());
      }
      writeTools(w, request.tools());
      writeObject(w, "tool_choice", request.toolChoice());
      writeObject(w, "metadata", request.metadata());
      writeObject(w, "thinking", request.thinking());
      for (Map.Entry<String, Object> e : request.extra().entrySet()) {
        w.name(e.getKey());
        JsonTrees.write(w, e.getValue());
      }
      w.endObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a memory buffer cannot fail", e);
    }
    return buffer.readByteString();
  }

  /**
   * Returns the body of {@code POST /v1/messages/count_tokens}: model, messages, system, tools,
   * tool_choice, thinking, and the extras {@code cache_control} and {@code output_config} when set.
   */
  static ByteString countTokens(MessageRequest request) {
    Buffer buffer = new Buffer();
    try (JsonWriter w = JsonWriter.of(buffer)) {
      w.setSerializeNulls(true);
      w.beginObject();
      w.name("model").value(request.model());
      writeMessages(w, request.messages());
      writeSystem(w, request.system());
      writeTools(w, request.tools());
      writeObject(w, "tool_choice", request.toolChoice());
      writeObject(w, "thinking", request.thinking());
      for (Map.Entry<String, Object> e : request.extra().entrySet()) {
        if (COUNT_TOKENS_EXTRA.contains(e.getKey())) {
          w.name(e.getKey());
          JsonTrees.write(w, e.getValue());
        }
      }
      w.endObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a memory buffer cannot fail", e);
    }
    return buffer.readByteString();
  }

  private static void writeMessages(JsonWriter w, List<Message> messages) throws IOException {
    w.name("messages").beginArray();
    for (Message m : messages) {
      w.beginObject();
      w.name("role").value(m.role());
      w.name("content");
      writeBlocks(w, m.content());
      w.endObject();
    }
    w.endArray();
  }

  private static void writeSystem(JsonWriter w, List<ContentBlock> system) throws IOException {
    if (!system.isEmpty()) {
      w.name("system");
      writeBlocks(w, system);
    }
  }

  private static void writeBlocks(JsonWriter w, List<ContentBlock> blocks) throws IOException {
    w.beginArray();
    for (ContentBlock b : blocks) {
      JsonTrees.write(w, b.toJson());
    }
    w.endArray();
  }

  private static void writeTools(JsonWriter w, List<Map<String, Object>> tools) throws IOException {
    if (!tools.isEmpty()) {
      w.name("tools");
      JsonTrees.write(w, tools);
    }
  }

  private static void writeObject(JsonWriter w, String name, Map<String, Object> value)
      throws IOException {
    if (value != null) {
      w.name(name);
      JsonTrees.write(w, value);
    }
  }
}
