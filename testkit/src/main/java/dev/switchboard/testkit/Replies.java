package dev.switchboard.testkit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The simulator's deterministic answers: the same model, last user message and prefill always give
 * the same content. One word is one output token. A reply is a list of content blocks, each with
 * its {@code content_block_start} payload, its stream deltas and its complete form.
 */
final class Replies {
  private static final String[] WORDS = {
      "the", "router", "keeps", "every", "key", "busy", "while", "budgets", "refill", "slowly",
      "and", "models", "answer", "with", "calm", "precise", "words", "about", "limits", "tokens",
      "streams", "arrive", "in", "small", "pieces", "so", "clients", "read", "them", "one", "by",
      "another", "request", "finds", "its", "way", "through", "many", "paths", "until", "a",
      "response", "returns", "home", "quickly", "today", "again", "well"};
  private static final char[] BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  private Replies() {}

  /** One content block: its start payload, its deltas (with their output tokens) and its full form. */
  record Block(Map<String, Object> start, List<Map<String, Object>> deltas, List<Integer> tokens,
      Map<String, Object> full) {}

  /** A complete answer. */
  record Reply(String id, List<Block> blocks, int outputTokens, String stopReason,
      String stopSequence) {

    /** Returns the {@code content} array of the non-streaming message. */
    List<Object> content() {
      List<Object> out = new ArrayList<>();
      for (Block b : blocks) {
        out.add(b.full());
      }
      return out;
    }
  }

  /**
   * Builds the answer to a validated request body.
   *
   * @param seq the call's sequence number, for unique ids
   * @param minWords smallest natural text length
   * @param maxWords largest natural text length
   * @throws ApiHandler.Rejection when {@code tool_choice} names no available tool
   */
  static Reply build(Map<String, Object> body, ModelSpec model, int maxTokens, long seq,
      int minWords, int maxWords) {
    List<?> messages = (List<?>) body.get("messages");
    String lastUser = "";
    for (Object o : messages) {
      Map<?, ?> m = (Map<?, ?>) o;
      if ("user".equals(m.get("role"))) {
        lastUser = textOf(m.get("content"));
      }
    }
    Map<?, ?> last = (Map<?, ?>) messages.get(messages.size() - 1);
    String prefill = "assistant".equals(last.get("role")) ? textOf(last.get("content")) : null;
    long seed = seed(model.id() + '\u0000' + lastUser + '\u0000' + (prefill == null ? "" : prefill));
    SplittableRandom random = new SplittableRandom(seed);
    String id = "msg_" + id(seq, seed);

    List<Block> blocks = new ArrayList<>();
    int left = maxTokens;
    int out = 0;
    int thinkingWords = thinkingWords(body, seed, maxTokens);
    if (thinkingWords > 0) {
      blocks.add(thinking(random, thinkingWords, seed));
      left -= thinkingWords;
      out += thinkingWords;
    }
    Block tool = tool(body, random, left, seq, seed);
    if (tool != null) {
      blocks.add(tool);
      int t = sum(tool.tokens());
      return new Reply(id, List.copyOf(blocks), out + t, "tool_use", null);
    }
    int natural = minWords + (int) Math.floorMod(seed, (long) (maxWords - minWords + 1));
    int words = Math.min(left, natural);
    String stop = natural > left ? "max_tokens" : "end_turn";
    List<String> pieces = new ArrayList<>(words);
    boolean leadingSpace = prefill != null && !prefill.isEmpty()
        && !Character.isWhitespace(prefill.charAt(prefill.length() - 1));
    for (int i = 0; i < words; i++) {
      String w = WORDS[random.nextInt(WORDS.length)];
      if (i == 0 && prefill == null) {
        w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
      }
      if (i == words - 1 && stop.equals("end_turn")) {
        w = w + ".";
      }
      pieces.add(i > 0 || leadingSpace ? " " + w : w);
    }
    String matched = null;
    if (body.get("stop_sequences") instanceof List<?> seqs && !seqs.isEmpty()) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < pieces.size() && matched == null; i++) {
        text.append(pieces.get(i));
        for (Object s : seqs) {
          int at = s instanceof String str && !str.isEmpty() ? text.indexOf(str) : -1;
          if (at >= 0) {
            matched = (String) s;
            // keep the words up to the match; the word holding it is cut before the sequence
            int before = text.length() - pieces.get(i).length();
            pieces.set(i, pieces.get(i).substring(0, Math.max(0, at - before)));
            pieces.subList(i + 1, pieces.size()).clear();
            if (pieces.get(i).isEmpty()) {
              pieces.remove(i);
            }
            break;
          }
        }
      }
      if (matched != null) {
        stop = "stop_sequence";
      }
    }
    int textTokens = pieces.size();
    if (textTokens > 0) {
      blocks.add(text(pieces));
    }
    return new Reply(id, List.copyOf(blocks), out + textTokens, stop, matched);
  }

  private static Block text(List<String> pieces) {
    List<Map<String, Object>> deltas = new ArrayList<>();
    List<Integer> tokens = new ArrayList<>();
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < pieces.size(); i += 3) {
      StringBuilder chunk = new StringBuilder();
      int n = Math.min(pieces.size(), i + 3) - i;
      for (int j = i; j < i + n; j++) {
        chunk.append(pieces.get(j));
      }
      deltas.add(Wire.obj("type", "text_delta", "text", chunk.toString()));
      tokens.add(n);
      all.append(chunk);
    }
    return new Block(Wire.obj("type", "text", "text", ""), List.copyOf(deltas), List.copyOf(tokens),
        Wire.obj("type", "text", "text", all.toString()));
  }

  /** Returns the thinking length: 0 unless {@code thinking} is enabled or adaptive. */
  private static int thinkingWords(Map<String, Object> body, long seed, int maxTokens) {
    if (!(body.get("thinking") instanceof Map<?, ?> t)) {
      return 0;
    }
    Object type = t.get("type");
    if (!"enabled".equals(type) && !"adaptive".equals(type)) {
      return 0;
    }
    int words = 4 + (int) Math.floorMod(seed >>> 7, 13L);
    if (t.get("budget_tokens") instanceof Number budget) {
      words = Math.min(words, budget.intValue());
    }
    return Math.max(0, Math.min(words, maxTokens - 1));
  }

  private static Block thinking(SplittableRandom random, int words, long seed) {
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < words; i++) {
      pieces.add((i == 0 ? "" : " ") + WORDS[random.nextInt(WORDS.length)]);
    }
    byte[] sig = new byte[48];
    new SplittableRandom(~seed).nextBytes(sig);
    String signature = Base64.getEncoder().encodeToString(sig);
    List<Map<String, Object>> deltas = new ArrayList<>();
    List<Integer> tokens = new ArrayList<>();
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < pieces.size(); i += 3) {
      StringBuilder chunk = new StringBuilder();
      int n = Math.min(pieces.size(), i + 3) - i;
      for (int j = i; j < i + n; j++) {
        chunk.append(pieces.get(j));
      }
      deltas.add(Wire.obj("type", "thinking_delta", "thinking", chunk.toString()));
      tokens.add(n);
      all.append(chunk);
    }
    deltas.add(Wire.obj("type", "signature_delta", "signature", signature));
    tokens.add(0);
    return new Block(Wire.obj("type", "thinking", "thinking", "", "signature", ""),
        List.copyOf(deltas), List.copyOf(tokens),
        Wire.obj("type", "thinking", "thinking", all.toString(), "signature", signature));
  }

  /**
   * Returns a {@code tool_use} block when {@code tool_choice} forces a tool ({@code any}, or
   * {@code tool} with a name) and {@code left} output tokens hold its input; else null.
   */
  private static Block tool(Map<String, Object> body, SplittableRandom random, int left, long seq,
      long seed) {
    if (!(body.get("tool_choice") instanceof Map<?, ?> choice)) {
      return null;
    }
    Object type = choice.get("type");
    if (!"any".equals(type) && !"tool".equals(type)) {
      return null;
    }
    List<?> tools = body.get("tools") instanceof List<?> l ? l : List.of();
    Map<?, ?> tool = null;
    for (Object t : tools) {
      if (t instanceof Map<?, ?> m && m.get("name") instanceof String name
          && ("any".equals(type) || name.equals(choice.get("name")))) {
        tool = m;
        break;
      }
    }
    if (tool == null) {
      throw new ApiHandler.Rejection(400, "invalid_request_error", "any".equals(type)
          ? "tool_choice: requires at least one tool in tools"
          : "tool_choice.name: no tool named '" + choice.get("name") + "' in tools");
    }
    Map<String, Object> input = new LinkedHashMap<>();
    if (tool.get("input_schema") instanceof Map<?, ?> schema
        && schema.get("properties") instanceof Map<?, ?> props) {
      for (Map.Entry<?, ?> p : props.entrySet()) {
        Object propType = p.getValue() instanceof Map<?, ?> pm ? pm.get("type") : null;
        Object value = switch (String.valueOf(propType)) {
          case "integer", "number" -> (long) random.nextInt(100);
          case "boolean" -> random.nextBoolean();
          default -> WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)];
        };
        input.put(String.valueOf(p.getKey()), value);
      }
    }
    String json = Wire.json(input);
    List<Map<String, Object>> deltas = new ArrayList<>();
    List<Integer> tokens = new ArrayList<>();
    deltas.add(Wire.obj("type", "input_json_delta", "partial_json", ""));
    tokens.add(0);
    for (int i = 0; i < json.length(); i += 12) {
      String piece = json.substring(i, Math.min(json.length(), i + 12));
      deltas.add(Wire.obj("type", "input_json_delta", "partial_json", piece));
      tokens.add((int) TokenCounter.text(piece));
    }
    if (sum(tokens) > left) {
      return null;
    }
    String toolId = "toolu_" + id(seq, ~seed);
    String name = (String) tool.get("name");
    return new Block(Wire.obj("type", "tool_use", "id", toolId, "name", name, "input", Map.of()),
        List.copyOf(deltas), List.copyOf(tokens),
        Wire.obj("type", "tool_use", "id", toolId, "name", name, "input", input));
  }

  private static int sum(List<Integer> values) {
    int s = 0;
    for (int v : values) {
      s += v;
    }
    return s;
  }

  private static String textOf(Object content) {
    if (content instanceof String s) {
      return s;
    }
    StringBuilder sb = new StringBuilder();
    if (content instanceof List<?> blocks) {
      for (Object b : blocks) {
        if (b instanceof Map<?, ?> m && m.get("text") instanceof String t) {
          sb.append(t);
        } else {
          sb.append(Wire.json(Wire.withoutCacheControl(b)));
        }
      }
    }
    return sb.toString();
  }

  private static long seed(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (d[i] & 0xff);
      }
      return v;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }

  /** Returns a deterministic 24-character base62 id for a sequence number and a salt. */
  static String id(long seq, long salt) {
    StringBuilder sb = new StringBuilder("01");
    SplittableRandom r = new SplittableRandom(seq * 0x9E3779B97F4A7C15L ^ salt);
    while (sb.length() < 24) {
      sb.append(BASE62[r.nextInt(62)]);
    }
    return sb.toString();
  }
}
