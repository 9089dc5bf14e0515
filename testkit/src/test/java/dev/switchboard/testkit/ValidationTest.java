package dev.switchboard.testkit;

import static dev.switchboard.testkit.Api.body;
import static dev.switchboard.testkit.Api.errorMessage;
import static dev.switchboard.testkit.Api.errorType;
import static dev.switchboard.testkit.Api.header;
import static dev.switchboard.testkit.Api.messages;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ValidationTest {
  static final String OPUS = "claude-opus-4-6";
  static final String KEY = "sk-ant-test-aaa";
  FakeTicker ticker;
  Simulator sim;

  @BeforeEach
  void start() {
    ticker = new FakeTicker();
    sim = Simulator.builder().ticker(ticker).clock(ticker.clock())
        .model(OPUS, "opus-4", 1_000, 500)
        .key("team-a", KEY, "org-1")
        .maxRequestBytes(20_000)
        .start();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void messages_missingVersionHeader_returns400() {
    HttpResponse<String> r = Api.send(Api.request(sim, "/v1/messages", KEY, body(OPUS, 10, "hi")));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(errorType(r)).isEqualTo("invalid_request_error");
    assertThat(errorMessage(r)).isEqualTo("anthropic-version: header is required");
    assertThat(header(r, "anthropic-ratelimit-requests-limit")).isNotNull();
  }

  @Test
  void messages_unknownVersion_returns400NamingIt() {
    HttpResponse<String> r = Api.send(Api.request(sim, "/v1/messages", KEY, body(OPUS, 10, "hi"))
        .header("anthropic-version", "2099-01-01"));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(errorMessage(r)).contains("'2099-01-01'");
  }

  @Test
  void messages_missingModel_returns400() {
    HttpResponse<String> r = messages(sim, KEY,
        "{\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(errorMessage(r)).isEqualTo("model: Field required");
  }

  @Test
  void messages_missingMaxTokens_returns400() {
    HttpResponse<String> r = messages(sim, KEY,
        "{\"model\":\"" + OPUS + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(errorMessage(r)).isEqualTo("max_tokens: Field required");
  }

  @Test
  void messages_missingMessages_returns400() {
    HttpResponse<String> r = messages(sim, KEY, "{\"model\":\"" + OPUS + "\",\"max_tokens\":10}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(errorMessage(r)).isEqualTo("messages: Field required");
  }

  @Test
  void messages_badRole_returns400WithPath() {
    HttpResponse<String> r = messages(sim, KEY, "{\"model\":\"" + OPUS
        + "\",\"max_tokens\":10,\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(errorMessage(r)).isEqualTo("messages.0.role: Input should be 'user' or 'assistant'");
  }

  @Test
  void messages_unknownModel_returns404() {
    HttpResponse<String> r = messages(sim, KEY, body("claude-nonexistent-9", 10, "hi"));

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(errorType(r)).isEqualTo("not_found_error");
    assertThat(errorMessage(r)).isEqualTo("model: claude-nonexistent-9");
  }

  @Test
  void messages_malformedJson_returns400AndNeverA500() {
    HttpResponse<String> r = messages(sim, KEY, "{\"model\": \"" + OPUS + "\", \"max_tokens\": ");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(errorType(r)).isEqualTo("invalid_request_error");
    assertThat(errorMessage(r)).startsWith("There was an error parsing the body of your request");
  }

  @Test
  void messages_bodyIsAnArray_returns400() {
    HttpResponse<String> r = messages(sim, KEY, "[1,2]");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(errorMessage(r)).isEqualTo("The request body must be a JSON object but was an array");
  }

  @Test
  void messages_bodyOverLimit_returns413JsonBeforeAuthentication() {
    String big = body(OPUS, 10, "x".repeat(30_000));

    HttpResponse<String> r = messages(sim, "sk-ant-unknown", big);

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(errorType(r)).isEqualTo("request_too_large");
    assertThat(sim.calls().get(0).body()).isEmpty();
  }

  @Test
  void messages_bodyOverLimitWithHtmlOption_returnsCloudflarePage() {
    try (Simulator html = Simulator.builder().model(OPUS, "opus-4", 1_000)
        .key("team-a", KEY, "org-1").maxRequestBytes(100).htmlRequestTooLarge(true).start()) {
      HttpResponse<String> r = messages(html, KEY, body(OPUS, 10, "x".repeat(500)));

      assertThat(r.statusCode()).isEqualTo(413);
      assertThat(header(r, "content-type")).isEqualTo("text/html");
      assertThat(r.body()).contains("413 Request Entity Too Large").contains("cloudflare");
      // the connection stays usable after the oversized body was drained
      assertThat(messages(html, KEY, body(OPUS, 10, "hi")).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void messages_promptOverContextWindow_returns400WithCounts() {
    // 4,004 characters are 1,001 tokens; the window is 1,000
    HttpResponse<String> r = messages(sim, KEY, body(OPUS, 10, "x".repeat(4_004)));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(errorMessage(r)).isEqualTo("prompt is too long: 1001 tokens > 1000 maximum");
  }

  @Test
  void messages_maxTokensAboveModelMaximum_returns400() {
    HttpResponse<String> r = messages(sim, KEY, body(OPUS, 501, "hi"));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(errorMessage(r)).isEqualTo("max_tokens: 501 > 500, which is the maximum allowed "
        + "number of output tokens for claude-opus-4-6");
  }

  @Test
  void messages_unknownFieldsAndMetadataUserId_areAccepted() {
    HttpResponse<String> r = messages(sim, KEY, "{\"model\":\"" + OPUS + "\",\"max_tokens\":10,"
        + "\"metadata\":{\"user_id\":\"u-42\"},\"future_field\":{\"x\":[1,2]},\"temperature\":0.2,"
        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}");

    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void messages_unknownBeta_returns400AndKnownBetaPasses() {
    HttpResponse<String> bad = Api.send(Api.request(sim, "/v1/messages", KEY, body(OPUS, 10, "hi"))
        .header("anthropic-version", Api.VERSION)
        .header("anthropic-beta", "context-1m-2025-08-07,made-up-2030-01-01"));
    HttpResponse<String> good = Api.send(Api.request(sim, "/v1/messages", KEY, body(OPUS, 10, "hi"))
        .header("anthropic-version", Api.VERSION)
        .header("anthropic-beta", "context-1m-2025-08-07"));

    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(errorMessage(bad)).isEqualTo("Unsupported beta header: made-up-2030-01-01");
    assertThat(good.statusCode()).isEqualTo(200);
  }

  @Test
  void unknownPath_returns404() {
    HttpResponse<String> r = Api.send(Api.request(sim, "/v1/complete", KEY, "{}")
        .header("anthropic-version", Api.VERSION));

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(errorType(r)).isEqualTo("not_found_error");
  }

  @Test
  void messages_invalidCacheTtl_returns400() {
    HttpResponse<String> r = messages(sim, KEY, "{\"model\":\"" + OPUS + "\",\"max_tokens\":10,"
        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\","
        + "\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"2h\"}}]}]}");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(errorMessage(r)).contains("cache_control.ttl").contains("\"2h\"");
  }
}
