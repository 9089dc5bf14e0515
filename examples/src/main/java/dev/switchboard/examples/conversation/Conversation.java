package dev.switchboard.examples.conversation;

import dev.switchboard.CallOptions;
import dev.switchboard.RoutedResponse;
import dev.switchboard.Switchboard;
import dev.switchboard.spi.Message;
import dev.switchboard.spi.MessageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A chat that never outgrows its token budget: before each turn is sent, its exact size is counted
 * with the API's free {@code count_tokens} endpoint; past the threshold, the oldest turns are
 * folded into a running summary written by the cheapest tier, and the conversation goes on with
 * the summary in its system prompt and the recent turns verbatim. Every call goes through one
 * {@link Switchboard}; summaries are sent as the tenant {@link ConversationExample#SUMMARY_TENANT},
 * which only the router's Haiku-only key serves (see {@link ConversationExample#router}).
 *
 * <p>Not thread-safe: one conversation is one sequence of turns.
 */
final class Conversation {
  static final String SYSTEM = "You are a patient travel planner.";
  static final String SUMMARISE = "Summarise the conversation below in a few sentences for the "
      + "assistant that continues it. Keep names, dates, numbers and decisions.";

  private final Switchboard router;
  private final CallOptions chatOptions;
  private final CallOptions summaryOptions;
  private final long thresholdTokens;
  private final List<Message> history = new ArrayList<>();
  private final List<Compaction> compactions = new ArrayList<>();
  private final List<Long> sentTokens = new ArrayList<>();
  private final List<RoutedResponse> replies = new ArrayList<>();
  private String summary;

  /**
   * Starts an empty conversation of {@code user}.
   *
   * @throws IllegalArgumentException when the threshold is below 100 tokens
   */
  Conversation(Switchboard router, String user, long thresholdTokens) {
    this.router = Objects.requireNonNull(router, "router");
    if (thresholdTokens < 100) {
      throw new IllegalArgumentException("thresholdTokens must be >= 100 but was " + thresholdTokens);
    }
    this.thresholdTokens = thresholdTokens;
    this.chatOptions = CallOptions.forUser(user);
    this.summaryOptions = CallOptions.forUser(user).tenant(ConversationExample.SUMMARY_TENANT);
  }

  /**
   * Sends the user's next message (after compacting the history if the turn would pass the
   * threshold) and returns the answer's text.
   *
   * @throws IllegalStateException when even the summary and the newest message alone pass the
   *     threshold
   */
  String say(String text) {
    history.add(Message.user(text));
    MessageRequest request = chatRequest();
    long tokens = count(request);
    while (tokens > thresholdTokens) {
      if (history.size() < 3) {
        throw new IllegalStateException("the summary and the newest message alone take " + tokens
            + " tokens, over the threshold of " + thresholdTokens);
      }
      int folded = 2 * Math.max(1, (history.size() - 1) / 4);
      RoutedResponse summaryCall = compact(folded);
      request = chatRequest();
      long after = count(request);
      compactions.add(new Compaction(folded, tokens, after, summaryCall));
      tokens = after;
    }
    RoutedResponse r = router.send(request, chatOptions);
    sentTokens.add(tokens);
    replies.add(r);
    String answer = r.response().text();
    history.add(Message.assistant(answer.isEmpty() ? "(no text)" : answer));
    return answer;
  }

  /**
   * Folds the oldest {@code fold} messages (whole user/assistant pairs: about half of the turns,
   * at least one pair) into the summary and returns the summary call.
   */
  private RoutedResponse compact(int fold) {
    List<Message> oldest = new ArrayList<>(history.subList(0, fold));
    StringBuilder transcript = new StringBuilder();
    if (summary != null) {
      transcript.append("Earlier summary: ").append(summary).append("\n\n");
    }
    for (Message m : oldest) {
      transcript.append(m.role()).append(": ").append(m.text()).append('\n');
    }
    MessageRequest request = MessageRequest.builder()
        .model(ConversationExample.SUMMARY_MODEL)
        .maxTokens(300)
        .system(SUMMARISE)
        .addUserMessage(transcript.toString())
        .build();
    RoutedResponse r = router.send(request, summaryOptions);
    summary = r.response().text();
    history.subList(0, fold).clear();
    return r;
  }

  private MessageRequest chatRequest() {
    String system = summary == null ? SYSTEM
        : SYSTEM + "\n\nSummary of the earlier conversation: " + summary;
    return MessageRequest.builder()
        .model(ConversationExample.CHAT_MODEL)
        .maxTokens(200)
        .system(system)
        .messages(history)
        .build();
  }

  private long count(MessageRequest request) {
    try {
      return router.countTokens(request).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while counting tokens", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
    } catch (TimeoutException e) {
      throw new IllegalStateException("count_tokens did not answer within 30 s", e);
    }
  }

  /** Returns every compaction so far, oldest first. */
  List<Compaction> compactions() {
    return List.copyOf(compactions);
  }

  /** Returns the input tokens of each chat turn as sent (counted by the API), oldest first. */
  List<Long> sentTokens() {
    return List.copyOf(sentTokens);
  }

  /** Returns the answer of each chat turn, oldest first. */
  List<RoutedResponse> replies() {
    return List.copyOf(replies);
  }

  /** Returns the current summary, or null before the first compaction. */
  String summary() {
    return summary;
  }

  /** Returns the turns kept verbatim now. */
  List<Message> history() {
    return List.copyOf(history);
  }

  /**
   * One folding of old turns into the summary.
   *
   * @param foldedMessages how many of the oldest messages were folded
   * @param tokensBefore the turn's input tokens before
   * @param tokensAfter the turn's input tokens after
   * @param summaryCall the call that wrote the summary
   */
  record Compaction(int foldedMessages, long tokensBefore, long tokensAfter,
      RoutedResponse summaryCall) {
    @Override
    public String toString() {
      return "folded " + foldedMessages + " messages (" + tokensBefore + " -> " + tokensAfter
          + " tokens) with " + summaryCall.model() + " via " + summaryCall.keyAlias();
    }
  }
}
