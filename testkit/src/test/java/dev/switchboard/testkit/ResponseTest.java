package dev.switchboard.testkit;

import static dev.switchboard.testkit.Api.body;
import static dev.switchboard.testkit.Api.header;
import static dev.switchboard.testkit.Api.json;
import static dev.switchboard.testkit.Api.messages;
import static dev.switchboard.testkit.Api.obj;
import static dev.switchboard.testkit.Api.usage;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResponseTest {
  static final String SONNET = "claude-sonnet-4-6";
  static final String A = Simulator.Builder.PRESET_KEYS.get("team-a");
  Simulator sim;

  @BeforeEach
  void start() {
    sim = Simulator.withDefaults();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void messages_returnsAFullMessageObject() {
    HttpResponse<String> r = messages(sim, A, body(SONNET, 1_000, "Hello, Claude"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "content-type")).isEqualTo("application/json");
    Map<String, Object> m = json(r);
    assertThat((String) m.get("id")).startsWith("msg_").hasSize(28);
    assertThat(m).containsEntry("type", "message").containsEntry("role", "assistant")
        .containsEntry("model", SONNET).containsEntry("stop_reason", "end_turn")
        .containsEntry("stop_sequence", null);
    List<?> content = (List<?>) m.get("content");
    assertThat(content).hasSize(1);
    assertThat(obj(content.get(0))).containsEntry("type", "text");
    Map<String, Object> usage = obj(m.get("usage"));
    assertThat(usage).containsKeys("input_tokens", "output_tokens", "cache_creation_input_tokens",
        "cache_read_input_tokens", "cache_creation").containsEntry("service_tier", "standard")
        .containsEntry("inference_geo", "not_available");
    // "Hello, Claude" is 13 characters: 4 tokens
    assertThat(usage(r, "input_tokens")).isEqualTo(4);
    String text = (String) obj(content.get(0)).get("text");
    assertThat(text.split(" ")).hasSize((int) usage(r, "output_tokens"));
    assertThat(usage(r, "output_tokens")).isBetween(8L, 48L);
  }

  @Test
  void messages_sameRequest_givesTheSameTextAndDifferentIds() {
    HttpResponse<String> a = messages(sim, A, body(SONNET, 1_000, "What is a token bucket?"));
    HttpResponse<String> b = messages(sim, A, body(SONNET, 1_000, "What is a token bucket?"));
    HttpResponse<String> other = messages(sim, A, body(SONNET, 1_000, "Something else entirely"));

    assertThat(json(a).get("content")).isEqualTo(json(b).get("content"));
    assertThat(json(a).get("id")).isNotEqualTo(json(b).get("id"));
    assertThat(header(a, "request-id")).isNotEqualTo(header(b, "request-id"));
    assertThat(json(other).get("content")).isNotEqualTo(json(a).get("content"));
  }

  @Test
  void messages_smallMaxTokens_stopsWithMaxTokens() {
    HttpResponse<String> r = messages(sim, A, body(SONNET, 3, "Tell me a long story"));

    assertThat(json(r)).containsEntry("stop_reason", "max_tokens");
    assertThat(usage(r, "output_tokens")).isEqualTo(3);
  }

  @Test
  void messages_maxTokensZero_returnsNoContent() {
    HttpResponse<String> r = messages(sim, A, body(SONNET, 0, "warm the cache"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat((List<?>) json(r).get("content")).isEmpty();
    assertThat(usage(r, "output_tokens")).isZero();
  }

  @Test
  void messages_assistantPrefill_isContinued() {
    String prefill = "{\"model\":\"" + SONNET + "\",\"max_tokens\":100,\"messages\":["
        + "{\"role\":\"user\",\"content\":\"Say something\"},"
        + "{\"role\":\"assistant\",\"content\":\"Sure, here it is:\"}]}";

    HttpResponse<String> r = messages(sim, A, prefill);

    String text = (String) obj(((List<?>) json(r).get("content")).get(0)).get("text");
    // a continuation: starts with a space after the prefill's last word, not a fresh capital
    assertThat(text).startsWith(" ");
    assertThat(text.charAt(1)).isLowerCase();
  }

  @Test
  void countTokens_matchesUsageInputTokensOfTheSameRequest() {
    String count = "{\"model\":\"" + SONNET + "\",\"system\":\"You are terse.\",\"tools\":[{\"name\":"
        + "\"get_weather\",\"input_schema\":{\"type\":\"object\"}}],\"messages\":[{\"role\":\"user\","
        + "\"content\":\"Hello, Claude\"}]}";
    String create = count.replace("\"system\"", "\"max_tokens\":10,\"system\"");

    HttpResponse<String> counted = Api.countTokens(sim, A, count);
    HttpResponse<String> created = messages(sim, A, create);

    assertThat(counted.statusCode()).isEqualTo(200);
    assertThat(((Number) json(counted).get("input_tokens")).longValue())
        .isEqualTo(usage(created, "input_tokens"))
        .isGreaterThan(4);
  }

  @Test
  void countTokens_unknownModel_returns404() {
    HttpResponse<String> r = Api.countTokens(sim, A,
        "{\"model\":\"claude-nope\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(r.statusCode()).isEqualTo(404);
  }
}
