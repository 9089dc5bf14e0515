package dev.switchboard.testkit;

import java.util.List;
import java.util.Map;

/**
 * The simulator's deterministic tokenizer: a text counts {@code ceil(length / 4)} tokens and at
 * least 1; any other block, and every tool definition, counts as the text of its JSON (without
 * {@code cache_control}). The same rule serves usage, count_tokens and the context-window check.
 */
final class TokenCounter {
  private TokenCounter() {}

  /** Returns the tokens of a text: {@code max(1, ceil(chars / 4))}. */
  static long text(String s) {
    return Math.max(1, (s.length() + 3) / 4);
  }

  /** Returns the tokens of one content block, tool or other JSON node. */
  static long node(Object node) {
    if (node instanceof String s) {
      return text(s);
    }
    if (node instanceof Map<?, ?> m && "text".equals(m.get("type")) && m.get("text") instanceof String t) {
      return text(t);
    }
    return text(Wire.json(Wire.withoutCacheControl(node)));
  }

  /** Returns the tokens of a {@code content} or {@code system} value (a string or a block list). */
  static long content(Object content) {
    if (content instanceof List<?> blocks) {
      long n = 0;
      for (Object b : blocks) {
        n += node(b);
      }
      return n;
    }
    return content == null ? 0 : node(content);
  }
}
