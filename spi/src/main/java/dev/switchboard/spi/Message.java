package dev.switchboard.spi;

import java.util.List;
import java.util.Objects;

/**
 * One turn of a conversation: a role ({@code user} or {@code assistant}) and its content blocks.
 * A plain-string content on the wire is one {@code text} block here.
 *
 * @param role {@code user}, {@code assistant} (or a role the API adds later)
 * @param content the blocks, never empty
 */
public record Message(String role, List<ContentBlock> content) {

  /** Validates and copies. */
  public Message {
    Objects.requireNonNull(role, "role");
    content = ContentBlock.copyOf(content, "content");
    if (content.isEmpty()) {
      throw new IllegalArgumentException("message content must not be empty (role " + role + ")");
    }
  }

  /** Returns a user turn holding one text block. */
  public static Message user(String text) {
    return new Message("user", List.of(ContentBlock.text(text)));
  }

  /** Returns an assistant turn holding one text block. */
  public static Message assistant(String text) {
    return new Message("assistant", List.of(ContentBlock.text(text)));
  }

  /** Returns the concatenated text of the text blocks. */
  public String text() {
    if (content.size() == 1) {
      return content.get(0).text();
    }
    StringBuilder sb = new StringBuilder();
    for (ContentBlock b : content) {
      sb.append(b.text());
    }
    return sb.toString();
  }
}
