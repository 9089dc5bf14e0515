package dev.switchboard.examples.conversation;

import dev.switchboard.Switchboard;
import dev.switchboard.testkit.Simulator;
import java.net.URI;
import java.time.Duration;

/**
 * A long conversation that stays under a token threshold: past it, the oldest turns are summarised
 * by the cheapest tier ({@value #SUMMARY_MODEL}) through the same router, and the chat goes on
 * with Opus. The program prints each turn's size and each compaction.
 *
 * <p>How a summary reaches the cheap tier: the router always plans its tiers from the primary
 * model on (the request's {@code model} is replaced by the tier's), so a call cannot ask for a
 * tier by itself. The router therefore has a key that may serve only {@value #SUMMARY_MODEL}
 * ({@code allowModels}) and is bound to the tenant {@value #SUMMARY_TENANT} ({@code tenantKeys});
 * summaries are sent as that tenant, so no Opus or Sonnet route is eligible for them and the plan
 * lands on Haiku, while chat turns (other tenants) never use that key. A separate key for
 * background work is also how its spend is told apart.
 *
 * <p>Without {@code ANTHROPIC_API_KEY} it runs against the testkit {@link Simulator}; with it,
 * against the real API, and then {@code ANTHROPIC_SUMMARY_API_KEY} (a second key, e.g. of a
 * "background" workspace) is required for the summaries.
 */
public final class ConversationExample {
  /** The chat's primary model. */
  static final String CHAT_MODEL = "claude-opus-4-6";
  /** The cheapest tier, which writes the summaries. */
  static final String SUMMARY_MODEL = "claude-haiku-4-5";
  /** The tenant summaries are sent as; only the summary key serves it. */
  static final String SUMMARY_TENANT = "conversation-summaries";
  /** The alias of the Haiku-only key of the summaries. */
  static final String SUMMARY_KEY = "summaries";

  private static final String[] QUESTIONS = {
      "I want to plan two weeks in Japan in April for two people.",
      "We like food markets, temples and long walks. Where should we start?",
      "How many nights in Tokyo would you suggest?",
      "Is the Japan Rail Pass still worth it for Tokyo, Kyoto and Hiroshima?",
      "Which day trips from Kyoto are easy by train?",
      "Could we fit in a night in a ryokan with an onsen?",
      "What is a sensible daily budget for food, in yen?",
      "Should we book cherry blossom viewing spots in advance?",
      "How do we get from Kyoto to Hiroshima and Miyajima?",
      "What should we pack for April weather?",
      "Which neighbourhood in Osaka is best for street food?",
      "How early should we reserve the ryokan?",
      "Remind me: how many nights did we plan for Tokyo?",
      "Could you draft the final day-by-day outline?",
  };

  private ConversationExample() {}

  /** Runs the example; see the class comment. */
  public static void main(String[] args) {
    String realKey = System.getenv("ANTHROPIC_API_KEY");
    if (realKey != null) {
      String summaryKey = System.getenv("ANTHROPIC_SUMMARY_API_KEY");
      if (summaryKey == null) {
        throw new IllegalStateException("with ANTHROPIC_API_KEY set, this example also needs "
            + "ANTHROPIC_SUMMARY_API_KEY (a second key) for the summaries; unset ANTHROPIC_API_KEY "
            + "to run it against the embedded simulator");
      }
      try (Switchboard router = router(URI.create("https://api.anthropic.com"), realKey, null,
          summaryKey)) {
        print(run(router, QUESTIONS.length, 4_000));
      }
      return;
    }
    try (Simulator sim = Simulator.withDefaults();
        Switchboard router = router(sim.baseUrl(), Simulator.Builder.PRESET_KEYS.get("team-a"),
            Simulator.Builder.PRESET_KEYS.get("team-c"), Simulator.Builder.PRESET_KEYS.get("team-b"))) {
      print(run(router, QUESTIONS.length, 400));
    }
  }

  /**
   * Returns a router over the chat keys ({@code chatKeyB} may be null) with the chain Opus →
   * Sonnet → Haiku, and the Haiku-only summary key bound to {@value #SUMMARY_TENANT}.
   */
  static Switchboard router(URI baseUrl, String chatKeyA, String chatKeyB, String summaryKey) {
    Switchboard.Builder b = Switchboard.builder()
        .baseUrl(baseUrl.toString())
        .key("chat-a", chatKeyA, "org-1");
    if (chatKeyB != null) {
      b.key("chat-b", chatKeyB, "org-2");
    }
    return b.key(SUMMARY_KEY, summaryKey, "org-1")
        .model(CHAT_MODEL).fallbackTo("claude-sonnet-4-6").fallbackTo(SUMMARY_MODEL)
        .allowModels(SUMMARY_KEY, SUMMARY_MODEL)
        .tenantKeys(SUMMARY_TENANT, SUMMARY_KEY)
        .deadline(Duration.ofSeconds(60))
        .build();
  }

  /** Plays {@code turns} user turns (at most the scripted ones) and returns the conversation. */
  static Conversation run(Switchboard router, int turns, long thresholdTokens) {
    Conversation c = new Conversation(router, "traveller-1", thresholdTokens);
    for (int i = 0; i < Math.min(turns, QUESTIONS.length); i++) {
      c.say(QUESTIONS[i]);
    }
    return c;
  }

  /** Returns the scripted user message of turn {@code i} (0-based). */
  static String question(int i) {
    return QUESTIONS[i];
  }

  private static void print(Conversation c) {
    for (int i = 0; i < c.sentTokens().size(); i++) {
      System.out.println("turn " + (i + 1) + ": " + c.sentTokens().get(i) + " input tokens, answered by "
          + c.replies().get(i).model());
    }
    for (Conversation.Compaction k : c.compactions()) {
      System.out.println("compaction: " + k);
    }
    System.out.println("summary now: " + c.summary());
  }
}
