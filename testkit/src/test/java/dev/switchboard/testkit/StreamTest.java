package dev.switchboard.testkit;

import static dev.switchboard.testkit.Api.body;
import static dev.switchboard.testkit.Api.events;
import static dev.switchboard.testkit.Api.header;
import static dev.switchboard.testkit.Api.json;
import static dev.switchboard.testkit.Api.messages;
import static dev.switchboard.testkit.Api.names;
import static dev.switchboard.testkit.Api.obj;
import static dev.switchboard.testkit.Api.streamBody;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamTest {
  static final String HAIKU = "claude-haiku-4-5";
  static final String A = Simulator.Builder.PRESET_KEYS.get("team-a");
  Simulator sim;

  @AfterEach
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  @Test
  void stream_followsTheReferenceEventOrderAndFraming() {
    sim = Simulator.withDefaults();

    HttpResponse<String> r = messages(sim, A, streamBody(HAIKU, 1_000, "Hello"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "content-type")).isEqualTo("text/event-stream; charset=utf-8");
    assertThat(header(r, "request-id")).startsWith("req_");
    assertThat(header(r, "anthropic-ratelimit-output-tokens-limit")).isEqualTo("10000");
    List<Api.Event> events = events(r.body());
    List<String> names = names(events);
    assertThat(names.subList(0, 3)).containsExactly("message_start", "content_block_start", "ping");
    assertThat(names.subList(names.size() - 3, names.size()))
        .containsExactly("content_block_stop", "message_delta", "message_stop");
    assertThat(names.subList(3, names.size() - 3)).isNotEmpty().containsOnly("content_block_delta");
    for (Api.Event e : events) {
      assertThat(e.data()).containsEntry("type", e.name());
    }
  }

  @Test
  void stream_messageStartHasEmptyContentAndInitialUsage() {
    sim = Simulator.withDefaults();

    List<Api.Event> events = events(messages(sim, A, streamBody(HAIKU, 1_000, "Hello")).body());

    Map<String, Object> message = obj(events.get(0).data().get("message"));
    assertThat((String) message.get("id")).startsWith("msg_");
    assertThat(message).containsEntry("content", List.of()).containsEntry("stop_reason", null)
        .containsEntry("model", HAIKU);
    Map<String, Object> usage = obj(message.get("usage"));
    assertThat(usage).containsEntry("input_tokens", 2.0).containsEntry("output_tokens", 1.0)
        .containsEntry("service_tier", "standard").containsKey("cache_creation");
    assertThat(obj(events.get(1).data().get("content_block")))
        .containsEntry("type", "text").containsEntry("text", "");
  }

  @Test
  void stream_deltasAddUpToTheNonStreamingTextAndUsageIsCumulative() {
    sim = Simulator.withDefaults();
    HttpResponse<String> plain = messages(sim, A, body(HAIKU, 1_000, "Same prompt"));
    String expected = (String) obj(((List<?>) json(plain).get("content")).get(0)).get("text");

    List<Api.Event> events = events(messages(sim, A, streamBody(HAIKU, 1_000, "Same prompt")).body());

    StringBuilder text = new StringBuilder();
    for (Api.Event e : events) {
      if (e.name().equals("content_block_delta")) {
        assertThat(e.data()).containsEntry("index", 0.0);
        Map<String, Object> delta = obj(e.data().get("delta"));
        assertThat(delta).containsEntry("type", "text_delta");
        text.append(delta.get("text"));
      }
    }
    assertThat(text.toString()).isEqualTo(expected);
    Map<String, Object> messageDelta = events.get(events.size() - 2).data();
    assertThat(obj(messageDelta.get("delta"))).containsEntry("stop_reason", "end_turn")
        .containsEntry("stop_sequence", null);
    assertThat(((Number) obj(messageDelta.get("usage")).get("output_tokens")).longValue())
        .isEqualTo(Api.usage(plain, "output_tokens"));
    assertThat(obj(messageDelta.get("usage"))).containsKeys("input_tokens",
        "cache_creation_input_tokens", "cache_read_input_tokens");
  }

  @Test
  void stream_maxTokensCut_reportsMaxTokensStop() {
    sim = Simulator.withDefaults();

    List<Api.Event> events = events(messages(sim, A, streamBody(HAIKU, 2, "Hello")).body());

    Map<String, Object> messageDelta = events.get(events.size() - 2).data();
    assertThat(obj(messageDelta.get("delta"))).containsEntry("stop_reason", "max_tokens");
    assertThat(obj(messageDelta.get("usage"))).containsEntry("output_tokens", 2.0);
  }

  @Test
  void stream_pacing_appliesTimeToFirstTokenAndInterEventDelay() {
    sim = Simulator.builder().preset().timeToFirstToken(Duration.ofMillis(150))
        .interEventDelay(Duration.ofMillis(20)).responseTokens(9, 9).start();
    long start = System.nanoTime();

    HttpResponse<String> r = messages(sim, A, streamBody(HAIKU, 1_000, "Hello"));

    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    // 9 tokens = 3 deltas: 150 ms before the first, 20 ms before each of the other two
    assertThat(elapsedMillis).isGreaterThanOrEqualTo(190);
    assertThat(names(events(r.body()))).filteredOn("content_block_delta"::equals).hasSize(3);
    assertThat(sim.calls().get(0).completed()).isTrue();
    assertThat(sim.calls().get(0).outputTokens()).isEqualTo(9);
  }
}
