package dev.switchboard.testkit;

import static dev.switchboard.testkit.Api.errorMessage;
import static dev.switchboard.testkit.Api.events;
import static dev.switchboard.testkit.Api.json;
import static dev.switchboard.testkit.Api.messages;
import static dev.switchboard.testkit.Api.obj;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ThinkingAndStopTest {
  static final String OPUS = "claude-opus-4-6";
  static final String A = Simulator.Builder.PRESET_KEYS.get("team-a");
  Simulator sim;

  @BeforeEach
  void start() {
    sim = Simulator.builder().preset().limits("org-1", "opus-4", 1_000, 1_000_000, 1_000_000)
        .responseTokens(30, 30).start();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  static String thinking(boolean stream, int maxTokens, int budget) {
    return "{\"model\":\"" + OPUS + "\",\"max_tokens\":" + maxTokens + (stream ? ",\"stream\":true" : "")
        + ",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":" + budget + "},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Think first\"}]}";
  }

  @Test
  void enabledThinking_returnsThinkingBlockWithSignatureBeforeText() {
    HttpResponse<String> r = messages(sim, A, thinking(false, 4_000, 2_000));

    List<?> content = (List<?>) json(r).get("content");
    assertThat(content).hasSize(2);
    Map<String, Object> think = obj(content.get(0));
    assertThat(think).containsEntry("type", "thinking");
    assertThat((String) think.get("thinking")).isNotBlank();
    assertThat((String) think.get("signature")).isNotBlank();
    assertThat(obj(content.get(1))).containsEntry("type", "text");
    int thinkingWords = ((String) think.get("thinking")).split(" ").length;
    assertThat(Api.usage(r, "output_tokens")).isEqualTo(30 + thinkingWords);
  }

  @Test
  void enabledThinking_streamsThinkingDeltasThenSignatureDeltaBeforeTheBlockCloses() {
    List<Api.Event> events = events(messages(sim, A, thinking(true, 4_000, 2_000)).body());

    assertThat(obj(events.get(1).data().get("content_block")))
        .containsEntry("type", "thinking").containsEntry("thinking", "").containsEntry("signature", "");
    int stop = Api.names(events).indexOf("content_block_stop");
    Map<String, Object> beforeStop = obj(events.get(stop - 1).data().get("delta"));
    assertThat(beforeStop).containsEntry("type", "signature_delta").containsKey("signature");
    assertThat(events.subList(3, stop - 1)).allSatisfy(e ->
        assertThat(obj(e.data().get("delta"))).containsEntry("type", "thinking_delta"));
    assertThat(obj(events.get(stop + 1).data().get("content_block"))).containsEntry("type", "text");
    assertThat(events.get(stop + 1).data()).containsEntry("index", 1.0);
  }

  @Test
  void thinkingBudgetRules_areValidated() {
    HttpResponse<String> small = messages(sim, A, thinking(false, 4_000, 100));
    HttpResponse<String> tooBig = messages(sim, A, thinking(false, 2_000, 2_000));

    assertThat(errorMessage(small))
        .isEqualTo("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
    assertThat(errorMessage(tooBig)).isEqualTo("`max_tokens` must be greater than `thinking.budget_tokens`");
  }

  @Test
  void stopSequence_cutsTheTextAndIsReported() {
    String plain = "{\"model\":\"" + OPUS + "\",\"max_tokens\":100,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Tell me\"}]}";
    String text = (String) obj(((List<?>) json(messages(sim, A, plain)).get("content")).get(0)).get("text");
    String word = text.split(" ")[10];
    String withStop = plain.replace("\"messages\"", "\"stop_sequences\":[\" " + word + "\"],\"messages\"");

    HttpResponse<String> r = messages(sim, A, withStop);

    Map<String, Object> m = json(r);
    assertThat(m).containsEntry("stop_reason", "stop_sequence").containsEntry("stop_sequence", " " + word);
    String cut = (String) obj(((List<?>) m.get("content")).get(0)).get("text");
    assertThat(text).startsWith(cut);
    assertThat(cut).doesNotContain(" " + word);
    assertThat(Api.usage(r, "output_tokens")).isEqualTo(cut.split(" ").length);
  }
}
