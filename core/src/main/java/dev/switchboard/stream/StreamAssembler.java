package dev.switchboard.stream;

import dev.switchboard.spi.ContentBlock;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.StreamEvent;
import dev.switchboard.spi.Usage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Builds the {@link MessageResponse} a stream describes, event by event, so that a complete stream
 * yields the same message a non-streaming call would, and a broken one yields the partial message
 * received so far.
 *
 * <ul>
 *   <li>{@code text_delta} and {@code thinking_delta} are appended to their block's text;
 *       {@code signature_delta} sets a thinking block's {@code signature}; {@code citations_delta}
 *       appends to the block's {@code citations}.
 *   <li>{@code input_json_delta} pieces are concatenated and parsed at {@code content_block_stop}
 *       into the block's {@code input}. JSON that does not parse as an object never throws: the
 *       block keeps its initial {@code input} and carries the raw text in a {@code partial_json}
 *       field. A block still open when {@link #message()} is called is treated the same way, so a
 *       partial {@code tool_use} shows exactly what arrived.
 *   <li>Usage is cumulative: {@code message_start} gives the initial usage; each
 *       {@code message_delta} raises it (fields it does not carry keep their earlier value).
 *   <li>Pings, errors and unknown events change nothing; deltas for a block that never started
 *       are ignored.
 * </ul>
 *
 * <p>Not thread-safe: feed it from one thread (or under one lock), as {@link StreamGate} does.
 */
public final class StreamAssembler {
  private MessageResponse start;
  private final TreeMap<Integer, Block> blocks = new TreeMap<>();
  private Usage usage = Usage.ZERO;
  private String stopReason;
  private String stopSequence;
  private final Map<String, Object> extra = new LinkedHashMap<>();
  private boolean content;
  private boolean stopped;
  private int openIndex = -1;

  /** Returns an empty assembler. */
  public StreamAssembler() {}

  /**
   * Applies one event.
   *
   * @throws NullPointerException if {@code event} is null
   */
  public void accept(StreamEvent event) {
    Objects.requireNonNull(event, "event");
    if (event instanceof StreamEvent.MessageStart s) {
      start = s.message();
      usage = s.message().usage();
      extra.putAll(s.message().extra());
    } else if (event instanceof StreamEvent.ContentBlockStart s) {
      blocks.put(s.index(), new Block(s.block()));
      openIndex = s.index();
    } else if (event instanceof StreamEvent.ContentBlockDelta d) {
      Block b = blocks.get(d.index());
      if (b != null && !b.closed) {
        b.apply(d);
        if (d.isContent()) {
          content = true;
        }
      }
    } else if (event instanceof StreamEvent.ContentBlockStop s) {
      Block b = blocks.get(s.index());
      if (b != null) {
        b.closed = true;
      }
      if (openIndex == s.index()) {
        openIndex = -1;
      }
    } else if (event instanceof StreamEvent.MessageDelta d) {
      if (d.stopReason() != null) {
        stopReason = d.stopReason();
      }
      if (d.stopSequence() != null) {
        stopSequence = d.stopSequence();
      }
      for (Map.Entry<String, Object> e : d.delta().entrySet()) {
        if (!e.getKey().equals("stop_reason") && !e.getKey().equals("stop_sequence")
            && e.getValue() != null) {
          extra.put(e.getKey(), e.getValue());
        }
      }
      usage = merge(usage, d.usage());
    } else if (event instanceof StreamEvent.MessageStop) {
      stopped = true;
    }
  }

  /** Returns true once {@code message_start} has arrived. */
  public boolean hasStarted() {
    return start != null;
  }

  /** Returns true once a content delta (text, tool input, thinking; not a signature) has arrived. */
  public boolean hasContent() {
    return content;
  }

  /** Returns true once {@code message_stop} has arrived. */
  public boolean isComplete() {
    return stopped;
  }

  /** Returns the cumulative usage so far ({@link Usage#ZERO} before {@code message_start}). */
  public Usage usage() {
    return usage;
  }

  /** Returns the stop reason from {@code message_delta}, or null while none has arrived. */
  public String stopReason() {
    return stopReason;
  }

  /** Returns how many content blocks have started. */
  public int blockCount() {
    return blocks.size();
  }

  /** Returns the index of the block that has started but not stopped, or -1 when none is open. */
  public int openBlockIndex() {
    return openIndex;
  }

  /**
   * Returns the message so far: complete after {@code message_stop}, otherwise partial (open blocks
   * included with what they received, {@code stop_reason} null unless a {@code message_delta} set
   * it).
   *
   * @throws IllegalStateException if {@code message_start} has not arrived ({@link #hasStarted()})
   */
  public MessageResponse message() {
    if (start == null) {
      throw new IllegalStateException("no message_start has arrived");
    }
    List<ContentBlock> content = new ArrayList<>(blocks.size());
    for (Block b : blocks.values()) {
      content.add(b.build());
    }
    return new MessageResponse(start.id(), start.model(), start.role(), content,
        stopReason != null ? stopReason : start.stopReason(),
        stopSequence != null ? stopSequence : start.stopSequence(), usage, extra);
  }

  /** Returns {@code total} raised by a later cumulative report (absent fields arrive as 0). */
  static Usage merge(Usage total, Usage later) {
    return new Usage(
        Math.max(total.inputTokens(), later.inputTokens()),
        Math.max(total.outputTokens(), later.outputTokens()),
        Math.max(total.cacheCreationInputTokens(), later.cacheCreationInputTokens()),
        Math.max(total.cacheReadInputTokens(), later.cacheReadInputTokens()),
        Math.max(total.cacheCreation5mInputTokens(), later.cacheCreation5mInputTokens()),
        Math.max(total.cacheCreation1hInputTokens(), later.cacheCreation1hInputTokens()),
        later.serviceTier() != null ? later.serviceTier() : total.serviceTier());
  }

  /** One block being assembled. */
  private static final class Block {
    private final ContentBlock initial;
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder json = new StringBuilder();
    private final List<Object> citations = new ArrayList<>();
    private boolean sawJson;
    private String signature;
    private boolean closed;

    Block(ContentBlock initial) {
      this.initial = initial;
      if (initial.fields().get("text") instanceof String t) {
        text.append(t);
      } else if (initial.fields().get("thinking") instanceof String t) {
        text.append(t);
      }
    }

    void apply(StreamEvent.ContentBlockDelta d) {
      switch (d.deltaType()) {
        case "text_delta", "thinking_delta" -> text.append(d.text());
        case "input_json_delta" -> {
          sawJson = true;
          json.append(d.text());
        }
        case "signature_delta" -> {
          if (d.delta().get("signature") instanceof String s) {
            signature = s;
          }
        }
        case "citations_delta" -> {
          Object c = d.delta().get("citation");
          if (c != null) {
            citations.add(c);
          }
        }
        default -> { }
      }
    }

    ContentBlock build() {
      Map<String, Object> f = new LinkedHashMap<>(initial.fields());
      if (f.containsKey("text") || initial.type().equals("text")) {
        f.put("text", text.toString());
      } else if (f.containsKey("thinking") || initial.type().equals("thinking")) {
        f.put("thinking", text.toString());
      }
      if (signature != null) {
        f.put("signature", signature);
      }
      if (!citations.isEmpty()) {
        List<Object> all = new ArrayList<>();
        if (f.get("citations") instanceof List<?> l) {
          all.addAll(l);
        }
        all.addAll(citations);
        f.put("citations", all);
      }
      if (sawJson) {
        String raw = json.toString();
        Object parsed = null;
        if (raw.isBlank()) {
          parsed = Map.of();
        } else {
          try {
            parsed = MiniJson.parse(raw);
          } catch (IllegalArgumentException malformed) {
            parsed = null;
          }
        }
        if (parsed instanceof Map<?, ?>) {
          f.put("input", parsed);
        } else {
          f.put("partial_json", raw);
        }
      }
      return new ContentBlock(initial.type(), f);
    }
  }
}
