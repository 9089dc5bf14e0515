package dev.switchboard.stream;

import dev.switchboard.spi.ContentBlock;
import dev.switchboard.spi.Message;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.StreamEvent;
import dev.switchboard.spi.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Finishes an interrupted stream on another route so that the caller sees one continuous answer
 * (off by default in the router; a result finished this way is marked
 * {@linkplain StreamResult#continued() continued}).
 *
 * <p><b>The request.</b> The original request plus an assistant turn holding the text the caller
 * has seen (a <i>prefill</i>): the model continues from it. If the original already ends with an
 * assistant turn (the caller's own prefill), the text is appended to that turn. Trailing
 * whitespace is removed from the prefill (the API rejects it) and the continuation's leading
 * whitespace is then dropped, because the caller has already seen it. {@code max_tokens} is
 * reduced by the output tokens already generated (at least 1).
 *
 * <p><b>When it is not possible</b> ({@link #isPossible}): nothing but text may have been seen.
 * A {@code tool_use} (complete or partial) cannot be prefilled: an assistant turn ending in
 * {@code tool_use} asks for a {@code tool_result}, and a partial tool input cannot be resumed, so
 * such a stream ends with {@link StreamInterruptedException} instead. Likewise thinking blocks (a
 * partial one has no signature) and requests with extended thinking enabled (the API requires an
 * assistant turn to start with a signed thinking block). At least some non-blank text must have
 * been seen.
 *
 * <p><b>The stitching</b> ({@link #stitch}): the continuation's {@code message_start} is dropped
 * (the caller has had one); if a text block was open when the stream broke, the continuation's
 * first text block is merged into it; every later block index is shifted past the blocks the
 * caller has seen; usage in {@code message_delta} is the sum of what the caller had seen and the
 * continuation's cumulative usage.
 *
 * <p>Immutable and thread-safe; each {@link #stitch} call returns a fresh, single-use stitcher.
 */
public final class Continuation {
  private final MessageRequest request;
  private final int openIndex;
  private final int blockCount;
  private final Usage base;
  private final boolean stripLeading;

  private Continuation(MessageRequest request, int openIndex, int blockCount, Usage base,
      boolean stripLeading) {
    this.request = request;
    this.openIndex = openIndex;
    this.blockCount = blockCount;
    this.base = base;
    this.stripLeading = stripLeading;
  }

  /**
   * Returns true when the stream delivered so far can be continued, as described on the class.
   *
   * @throws NullPointerException if an argument is null
   */
  public static boolean isPossible(MessageRequest original, StreamDelivery delivered) {
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(delivered, "delivered");
    return whyNot(original, delivered.seenMessage().orElse(null)) == null;
  }

  /**
   * Returns the continuation of {@code original} after what {@code delivered} has shown the caller.
   *
   * @throws IllegalArgumentException naming the reason when {@link #isPossible} is false
   * @throws NullPointerException if an argument is null
   */
  public static Continuation of(MessageRequest original, StreamDelivery delivered) {
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(delivered, "delivered");
    int[] shape = delivered.shape();
    MessageResponse seen = delivered.seenMessage().orElse(null);
    String why = whyNot(original, seen);
    if (why != null) {
      throw new IllegalArgumentException("stream cannot be continued: " + why);
    }
    List<ContentBlock> prefill = new ArrayList<>();
    for (ContentBlock b : seen.content()) {
      prefill.add(ContentBlock.text(b.text()));
    }
    boolean trimmed = false;
    while (!prefill.isEmpty()) {
      String t = prefill.get(prefill.size() - 1).text();
      String s = t.stripTrailing();
      if (s.length() != t.length()) {
        trimmed = true;
      }
      if (s.isEmpty()) {
        prefill.remove(prefill.size() - 1);
      } else {
        prefill.set(prefill.size() - 1, ContentBlock.text(s));
        break;
      }
    }
    List<Message> messages = new ArrayList<>(original.messages());
    Message last = messages.get(messages.size() - 1);
    if (last.role().equals("assistant")) {
      List<ContentBlock> merged = new ArrayList<>(last.content());
      merged.addAll(prefill);
      messages.set(messages.size() - 1, new Message("assistant", merged));
    } else {
      messages.add(new Message("assistant", prefill));
    }
    long left = original.maxTokens() - seen.usage().outputTokens();
    MessageRequest next = original.toBuilder()
        .messages(messages)
        .maxTokens((int) Math.max(1, left))
        .stream(true)
        .build();
    return new Continuation(next, shape[0], shape[1], seen.usage(), trimmed && shape[0] >= 0);
  }

  /** Returns the request to stream on the next route. */
  public MessageRequest request() {
    return request;
  }

  /**
   * Returns a single-use consumer that rewrites one continuation attempt's events into the
   * caller's stream and passes them to {@code downstream}. Use a fresh one for each attempt.
   */
  public Consumer<StreamEvent> stitch(Consumer<StreamEvent> downstream) {
    Objects.requireNonNull(downstream, "downstream");
    return new Stitcher(downstream);
  }

  private static String whyNot(MessageRequest original, MessageResponse seen) {
    if (original.thinking() != null && !"disabled".equals(original.thinking().get("type"))) {
      return "extended thinking is enabled";
    }
    if (seen == null) {
      return "no message_start was delivered";
    }
    boolean text = false;
    for (ContentBlock b : seen.content()) {
      if (!b.type().equals("text")) {
        return "a " + b.type() + " block was delivered";
      }
      text |= !b.text().isBlank();
    }
    return text ? null : "no text was delivered";
  }

  /** Rewrites one continuation attempt. Called under the gate's lock, so not synchronized. */
  private final class Stitcher implements Consumer<StreamEvent> {
    private final Consumer<StreamEvent> downstream;
    private Usage own = Usage.ZERO;
    private int shift = -1;
    private boolean mergedFirst;
    private boolean openClosed = openIndex < 0;
    private boolean stripping = stripLeading;

    Stitcher(Consumer<StreamEvent> downstream) {
      this.downstream = downstream;
    }

    @Override
    public void accept(StreamEvent event) {
      if (event instanceof StreamEvent.MessageStart s) {
        own = s.message().usage();
      } else if (event instanceof StreamEvent.ContentBlockStart s) {
        if (shift < 0) {
          mergedFirst = openIndex >= 0 && s.index() == 0 && s.block().type().equals("text");
          shift = openIndex < 0 ? blockCount : mergedFirst ? openIndex : openIndex + 1;
        }
        if (mergedFirst && s.index() == 0) {
          return;
        }
        closeOpen();
        downstream.accept(new StreamEvent.ContentBlockStart(s.index() + shift, s.block()));
      } else if (event instanceof StreamEvent.ContentBlockDelta d) {
        if (shift < 0) {
          return;
        }
        if (mergedFirst && d.index() == 0 && stripping && d.deltaType().equals("text_delta")) {
          String t = d.text().stripLeading();
          if (t.isEmpty()) {
            return;
          }
          stripping = false;
          if (t.length() != d.text().length()) {
            java.util.Map<String, Object> delta = new java.util.LinkedHashMap<>(d.delta());
            delta.put("text", t);
            downstream.accept(new StreamEvent.ContentBlockDelta(d.index() + shift, d.deltaType(), delta));
            return;
          }
        }
        downstream.accept(new StreamEvent.ContentBlockDelta(d.index() + shift, d.deltaType(), d.delta()));
      } else if (event instanceof StreamEvent.ContentBlockStop s) {
        if (shift < 0) {
          return;
        }
        if (mergedFirst && s.index() == 0) {
          openClosed = true;
        }
        downstream.accept(new StreamEvent.ContentBlockStop(s.index() + shift));
      } else if (event instanceof StreamEvent.MessageDelta d) {
        closeOpen();
        own = StreamAssembler.merge(own, d.usage());
        downstream.accept(new StreamEvent.MessageDelta(d.stopReason(), d.stopSequence(),
            sum(base, own), d.delta()));
      } else if (event instanceof StreamEvent.MessageStop) {
        closeOpen();
        downstream.accept(event);
      } else {
        downstream.accept(event);
      }
    }

    private void closeOpen() {
      if (!openClosed) {
        openClosed = true;
        downstream.accept(new StreamEvent.ContentBlockStop(openIndex));
      }
    }
  }

  private static Usage sum(Usage a, Usage b) {
    return new Usage(a.inputTokens() + b.inputTokens(), a.outputTokens() + b.outputTokens(),
        a.cacheCreationInputTokens() + b.cacheCreationInputTokens(),
        a.cacheReadInputTokens() + b.cacheReadInputTokens(),
        a.cacheCreation5mInputTokens() + b.cacheCreation5mInputTokens(),
        a.cacheCreation1hInputTokens() + b.cacheCreation1hInputTokens(),
        b.serviceTier() != null ? b.serviceTier() : a.serviceTier());
  }
}
