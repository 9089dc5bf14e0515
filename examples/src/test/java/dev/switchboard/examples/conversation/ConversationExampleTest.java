package dev.switchboard.examples.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.RoutedResponse;
import dev.switchboard.Switchboard;
import dev.switchboard.testkit.RecordedCall;
import dev.switchboard.testkit.Simulator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ConversationExampleTest {
  private static final long THRESHOLD = 400;

  @Test
  @Timeout(60)
  void run_summarisesOldTurnsWithTheCheapTier_andEveryTurnStaysUnderTheThreshold() {
    try (Simulator sim = Simulator.withDefaults();
        Switchboard router = simulatedRouter(sim)) {
      Conversation c = ConversationExample.run(router, 14, THRESHOLD);

      // the conversation went on to the end, every turn on the primary model
      assertThat(c.replies()).hasSize(14).extracting(RoutedResponse::model)
          .containsOnly(ConversationExample.CHAT_MODEL);
      assertThat(sim.callsForModel(ConversationExample.CHAT_MODEL))
          .filteredOn(call -> call.path().equals("/v1/messages")).hasSize(14)
          .allSatisfy(call -> assertThat(call.inputTokens()).isLessThanOrEqualTo(THRESHOLD))
          .extracting(RecordedCall::keyLabel).doesNotContain("team-b");
      assertThat(c.sentTokens()).hasSize(14).allSatisfy(t -> assertThat(t).isLessThanOrEqualTo(THRESHOLD));

      // it had to compact, and every summary went to the cheap tier, through the summary key
      assertThat(c.compactions()).hasSizeGreaterThanOrEqualTo(2).allSatisfy(k -> {
        assertThat(k.summaryCall().model()).isEqualTo(ConversationExample.SUMMARY_MODEL);
        assertThat(k.summaryCall().keyAlias()).isEqualTo(ConversationExample.SUMMARY_KEY);
        assertThat(k.tokensBefore()).isGreaterThan(THRESHOLD);
        assertThat(k.tokensAfter()).isLessThanOrEqualTo(THRESHOLD);
      });
      List<RecordedCall> summaries = sim.callsForModel(ConversationExample.SUMMARY_MODEL);
      assertThat(summaries).hasSize(c.compactions().size())
          .allSatisfy(call -> {
            assertThat(call.keyLabel()).isEqualTo("team-b");
            assertThat(call.status()).isEqualTo(200);
          });
      assertThat(sim.calls()).filteredOn(call -> call.path().equals("/v1/messages"))
          .extracting(RecordedCall::model)
          .containsOnly(ConversationExample.CHAT_MODEL, ConversationExample.SUMMARY_MODEL);

      // the first summary read the oldest turn; later turns carry the summary, not that turn
      assertThat(summaries.get(0).body()).contains(ConversationExample.question(0));
      RecordedCall lastTurn = sim.callsForModel(ConversationExample.CHAT_MODEL).stream()
          .filter(call -> call.path().equals("/v1/messages")).reduce((a, b) -> b).orElseThrow();
      assertThat(lastTurn.body()).contains("Summary of the earlier conversation")
          .doesNotContain(ConversationExample.question(0));
      assertThat(c.summary()).isNotBlank();
    }
  }

  @Test
  @Timeout(30)
  void say_underTheThreshold_neverSummarises() {
    try (Simulator sim = Simulator.withDefaults();
        Switchboard router = simulatedRouter(sim)) {
      Conversation c = ConversationExample.run(router, 2, 100_000);

      assertThat(c.compactions()).isEmpty();
      assertThat(sim.callsForModel(ConversationExample.SUMMARY_MODEL)).isEmpty();
      assertThat(c.history()).hasSize(4);
    }
  }

  @Test
  @Timeout(30)
  void say_whenTheNewestMessageAloneIsTooLong_failsClearly() {
    try (Simulator sim = Simulator.withDefaults();
        Switchboard router = simulatedRouter(sim)) {
      Conversation c = new Conversation(router, "u", 100);

      assertThatThrownBy(() -> c.say("word ".repeat(200)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("over the threshold of 100");
    }
  }

  @Test
  void conversation_rejectsATinyThreshold() {
    assertThatThrownBy(() -> new Conversation(null, "u", 10))
        .isInstanceOf(NullPointerException.class);
    try (Simulator sim = Simulator.withDefaults();
        Switchboard router = simulatedRouter(sim)) {
      assertThatThrownBy(() -> new Conversation(router, "u", 99))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("thresholdTokens must be >= 100 but was 99");
    }
  }

  @Test
  @Timeout(60)
  void main_runsAgainstTheEmbeddedSimulatorWithoutAnApiKey() {
    if (System.getenv("ANTHROPIC_API_KEY") != null) {
      return; // main would call the real API; run() is covered above
    }
    ConversationExample.main(new String[0]);
  }

  private static Switchboard simulatedRouter(Simulator sim) {
    return ConversationExample.router(sim.baseUrl(), Simulator.Builder.PRESET_KEYS.get("team-a"),
        Simulator.Builder.PRESET_KEYS.get("team-c"), Simulator.Builder.PRESET_KEYS.get("team-b"));
  }
}
