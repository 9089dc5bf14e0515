package dev.switchboard.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A complete {@code Message} returned by {@code POST /v1/messages} (or assembled from a stream).
 *
 * @param id {@code id}, e.g. {@code msg_…}
 * @param model the model that served the request
 * @param role always {@code assistant} today
 * @param content the content blocks
 * @param stopReason {@code stop_reason}; null only while a stream is still open
 * @param stopSequence the matched stop sequence, or null
 * @param usage the token usage
 * @param extra every other top-level field ({@code container}, {@code stop_details}, …) verbatim
 */
public record MessageResponse(
    String id,
    String model,
    String role,
    List<ContentBlock> content,
    String stopReason,
    String stopSequence,
    Usage usage,
    Map<String, Object> extra) {

  /** Validates and copies. */
  public MessageResponse {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(model, "model");
    role = role == null ? "assistant" : role;
    content = ContentBlock.copyOf(content, "content");
    usage = usage == null ? Usage.ZERO : usage;
    extra = Json.freezeObject(extra, "$");
  }

  /** Returns the concatenated text of the text blocks. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    for (ContentBlock b : content) {
      if (b.type().equals("text")) {
        sb.append(b.text());
      }
    }
    return sb.toString();
  }

  /** Returns a short description without the content. */
  @Override
  public String toString() {
    return "MessageResponse[id=" + id + ", model=" + model + ", stop_reason=" + stopReason
        + ", blocks=" + content.size() + ", usage=" + usage + "]";
  }
}
