package dev.switchboard.budget;

import dev.switchboard.spi.ContentBlock;
import dev.switchboard.spi.Message;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.TokenEstimator;
import java.util.List;
import java.util.Map;

/**
 * Estimates input tokens without a network call: about one token per 3.5 characters of every
 * string in the system prompt, messages and tool definitions (rounded up), plus 4 tokens of
 * overhead per message, 10 per request, and a flat 1,600 per image or document block (the API
 * bills those by size, not by characters). Overestimates slightly for English prose; the router
 * settles every reservation with the real usage, so an estimate only has to be close. Stateless,
 * thread-safe and allocation-light.
 */
public final class HeuristicTokenEstimator implements TokenEstimator {
  /** The shared instance. */
  public static final HeuristicTokenEstimator INSTANCE = new HeuristicTokenEstimator();

  private static final double CHARS_PER_TOKEN = 3.5;
  private static final long PER_MESSAGE = 4;
  private static final long PER_REQUEST = 10;
  private static final long PER_MEDIA_BLOCK = 1_600;

  private HeuristicTokenEstimator() {}

  /** Returns the estimate, at least 1. */
  @Override
  public long estimateInputTokens(MessageRequest request) {
    long chars = 0;
    long fixed = PER_REQUEST;
    // indexed loops: the request's lists are immutable random-access lists, and no iterator is
    // allocated per call
    List<ContentBlock> system = request.system();
    for (int i = 0; i < system.size(); i++) {
      chars += system.get(i).text().length();
    }
    List<Message> messages = request.messages();
    for (int i = 0; i < messages.size(); i++) {
      fixed += PER_MESSAGE;
      List<ContentBlock> content = messages.get(i).content();
      for (int j = 0; j < content.size(); j++) {
        ContentBlock b = content.get(j);
        if (b.type().equals("image") || b.type().equals("document")) {
          fixed += PER_MEDIA_BLOCK;
        } else {
          chars += b.type().length() + charsOf(b.fields());
        }
      }
    }
    for (Map<String, Object> tool : request.tools()) {
      chars += charsOf(tool);
    }
    return Math.max(1, fixed + (long) Math.ceil(chars / CHARS_PER_TOKEN));
  }

  private static long charsOf(Object json) {
    if (json instanceof String s) {
      return s.length();
    }
    if (json instanceof Map<?, ?> map) {
      long n = 0;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        n += String.valueOf(e.getKey()).length() + charsOf(e.getValue());
      }
      return n;
    }
    if (json instanceof List<?> list) {
      long n = 0;
      for (Object o : list) {
        n += charsOf(o);
      }
      return n;
    }
    return json == null ? 0 : 2;
  }
}
