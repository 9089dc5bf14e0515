package dev.switchboard.testkit;

import static dev.switchboard.testkit.Api.errorMessage;
import static dev.switchboard.testkit.Api.events;
import static dev.switchboard.testkit.Api.json;
import static dev.switchboard.testkit.Api.messages;
import static dev.switchboard.testkit.Api.names;
import static dev.switchboard.testkit.Api.obj;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ToolUseTest {
  static final String SONNET = "claude-sonnet-4-6";
  static final String A = Simulator.Builder.PRESET_KEYS.get("team-a");
  static final String TOOLS = "\"tools\":[{\"name\":\"get_weather\",\"description\":\"Weather\","
      + "\"input_schema\":{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"},"
      + "\"days\":{\"type\":\"integer\"}},\"required\":[\"location\"]}}]";
  Simulator sim;

  @BeforeEach
  void start() {
    sim = Simulator.withDefaults();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  static String forced(boolean stream) {
    return "{\"model\":\"" + SONNET + "\",\"max_tokens\":200," + (stream ? "\"stream\":true," : "")
        + TOOLS + ",\"tool_choice\":{\"type\":\"tool\",\"name\":\"get_weather\"},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]}";
  }

  @Test
  void forcedToolChoice_returnsToolUseBlock() {
    HttpResponse<String> r = messages(sim, A, forced(false));

    Map<String, Object> m = json(r);
    assertThat(m).containsEntry("stop_reason", "tool_use");
    Map<String, Object> block = obj(((List<?>) m.get("content")).get(0));
    assertThat(block).containsEntry("type", "tool_use").containsEntry("name", "get_weather");
    assertThat((String) block.get("id")).startsWith("toolu_");
    assertThat(obj(block.get("input"))).containsKeys("location", "days");
  }

  @Test
  void forcedToolChoice_streamsInputJsonDeltasThatConcatenateToTheInput() throws Exception {
    Map<String, Object> plain = obj(((List<?>) json(messages(sim, A, forced(false))).get("content")).get(0));

    List<Api.Event> events = events(messages(sim, A, forced(true)).body());

    assertThat(obj(events.get(1).data().get("content_block")))
        .containsEntry("type", "tool_use").containsEntry("input", Map.of());
    StringBuilder json = new StringBuilder();
    List<Api.Event> deltas = events.stream().filter(e -> e.name().equals("content_block_delta")).toList();
    assertThat(obj(deltas.get(0).data().get("delta"))).containsEntry("partial_json", "");
    for (Api.Event e : deltas) {
      Map<String, Object> d = obj(e.data().get("delta"));
      assertThat(d).containsEntry("type", "input_json_delta");
      json.append(d.get("partial_json"));
    }
    assertThat(Wire.parse(json.toString())).isEqualTo(plain.get("input"));
    assertThat(obj(events.get(events.size() - 2).data().get("delta")))
        .containsEntry("stop_reason", "tool_use");
    assertThat(names(events).get(names(events).size() - 1)).isEqualTo("message_stop");
  }

  @Test
  void toolChoiceNamingMissingTool_returns400() {
    HttpResponse<String> r = messages(sim, A, forced(false).replace("\"name\":\"get_weather\"}",
        "\"name\":\"nope\"}"));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(errorMessage(r)).isEqualTo("tool_choice.name: no tool named 'nope' in tools");
  }

  @Test
  void autoToolChoice_answersWithText() {
    HttpResponse<String> r = messages(sim, A, "{\"model\":\"" + SONNET + "\",\"max_tokens\":200,"
        + TOOLS + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(json(r)).containsEntry("stop_reason", "end_turn");
  }

  @Test
  void rejectParameters_answers400ForThatModelOnly() {
    try (Simulator strict = Simulator.builder()
        .model("claude-opus-4-7", "opus-4", 1_000_000).model("claude-opus-4-6", "opus-4", 200_000)
        .rejectParameters("claude-opus-4-7", "temperature", "top_k")
        .key("team-a", A, "org-1").start()) {
      String body = "{\"model\":\"%s\",\"max_tokens\":10,\"temperature\":0.5,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

      HttpResponse<String> rejected = messages(strict, A, body.formatted("claude-opus-4-7"));
      HttpResponse<String> accepted = messages(strict, A, body.formatted("claude-opus-4-6"));

      assertThat(rejected.statusCode()).isEqualTo(400);
      assertThat(errorMessage(rejected)).isEqualTo("`temperature` is deprecated for this model.");
      assertThat(accepted.statusCode()).isEqualTo(200);
    }
  }
}
