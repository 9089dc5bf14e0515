package dev.switchboard.testkit;

import static dev.switchboard.testkit.Api.body;
import static dev.switchboard.testkit.Api.errorMessage;
import static dev.switchboard.testkit.Api.errorType;
import static dev.switchboard.testkit.Api.header;
import static dev.switchboard.testkit.Api.json;
import static dev.switchboard.testkit.Api.messages;
import static dev.switchboard.testkit.Api.obj;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthTest {
  static final String OPUS = "claude-opus-4-6";
  FakeTicker ticker;
  Simulator sim;

  @BeforeEach
  void start() {
    ticker = new FakeTicker();
    sim = Simulator.builder().ticker(ticker).clock(ticker.clock())
        .model(OPUS, "opus-4", 200_000)
        .key("team-a", "sk-ant-test-aaa", "org-1")
        .key("team-b", "sk-ant-test-bbb", "org-1")
        .key("team-c", "sk-ant-test-ccc", "org-2")
        .start();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void messages_missingKey_returns401() {
    HttpResponse<String> r = messages(sim, null, body(OPUS, 10, "hi"));

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(errorType(r)).isEqualTo("authentication_error");
    assertThat(errorMessage(r)).isEqualTo("invalid x-api-key");
  }

  @Test
  void messages_unknownKey_returns401WithRequestIdButNoOrganization() {
    HttpResponse<String> r = messages(sim, "sk-ant-nope", body(OPUS, 10, "hi"));

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(header(r, "request-id")).startsWith("req_");
    assertThat(json(r).get("request_id")).isEqualTo(header(r, "request-id"));
    assertThat(header(r, "anthropic-organization-id")).isNull();
    assertThat(header(r, "anthropic-ratelimit-requests-limit")).isNull();
  }

  @Test
  void messages_bearerToken_isAcceptedLikeApiKey() {
    HttpResponse<String> r = Api.send(Api.request(sim, "/v1/messages", null, body(OPUS, 10, "hi"))
        .header("anthropic-version", Api.VERSION)
        .header("authorization", "Bearer sk-ant-test-aaa"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(sim.calls().get(0).keyLabel()).isEqualTo("team-a");
  }

  @Test
  void messages_revokedKey_returns401() {
    sim.setKeyState("team-a", Simulator.KeyState.REVOKED);

    HttpResponse<String> r = messages(sim, "sk-ant-test-aaa", body(OPUS, 10, "hi"));

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(errorType(r)).isEqualTo("authentication_error");
    assertThat(header(r, "anthropic-organization-id")).isNull();
  }

  @Test
  void messages_forbiddenKey_returns403() {
    sim.setKeyState("team-a", Simulator.KeyState.FORBIDDEN);

    HttpResponse<String> r = messages(sim, "sk-ant-test-aaa", body(OPUS, 10, "hi"));

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(errorType(r)).isEqualTo("permission_error");
  }

  @Test
  void messages_billingKey_returns402() {
    sim.setKeyState("team-a", Simulator.KeyState.BILLING);

    HttpResponse<String> r = messages(sim, "sk-ant-test-aaa", body(OPUS, 10, "hi"));

    assertThat(r.statusCode()).isEqualTo(402);
    assertThat(errorType(r)).isEqualTo("billing_error");
  }

  @Test
  void messages_spendCappedKey_returns429WithErrorCodeAndNoRetryAfter() {
    sim.setKeyState("team-a", Simulator.KeyState.SPEND_CAPPED);

    HttpResponse<String> r = messages(sim, "sk-ant-test-aaa", body(OPUS, 10, "hi"));

    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(errorType(r)).isEqualTo("rate_limit_error");
    Map<String, Object> error = obj(json(r).get("error"));
    assertThat(obj(error.get("details"))).containsEntry("error_code", "enforced_spend_limit_reached");
    assertThat(errorMessage(r)).startsWith("You have reached your API usage limits")
        .contains("You will regain access on 2026-02-01 at 00:00 UTC.");
    assertThat(header(r, "retry-after")).isNull();
  }

  @Test
  void messages_lowCreditKey_returns400WithCreditMessage() {
    sim.setKeyState("team-a", Simulator.KeyState.LOW_CREDIT);

    HttpResponse<String> r = messages(sim, "sk-ant-test-aaa", body(OPUS, 10, "hi"));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(errorType(r)).isEqualTo("invalid_request_error");
    assertThat(errorMessage(r))
        .startsWith("Your credit balance is too low to access the Anthropic API.");
  }

  @Test
  void setKeyState_atRunTime_appliesToNextRequestAndCanBeUndone() {
    assertThat(messages(sim, "sk-ant-test-aaa", body(OPUS, 10, "hi")).statusCode()).isEqualTo(200);
    sim.setKeyState("team-a", Simulator.KeyState.FORBIDDEN);
    assertThat(messages(sim, "sk-ant-test-aaa", body(OPUS, 10, "hi")).statusCode()).isEqualTo(403);
    sim.setKeyState("team-a", Simulator.KeyState.ACTIVE);

    assertThat(messages(sim, "sk-ant-test-aaa", body(OPUS, 10, "hi")).statusCode()).isEqualTo(200);
    assertThat(sim.keyState("team-a")).isEqualTo(Simulator.KeyState.ACTIVE);
  }

  @Test
  void setSpendCapped_capsEveryKeyOfTheOrganizationOnly() {
    sim.setSpendCapped("org-1", true);

    assertThat(messages(sim, "sk-ant-test-aaa", body(OPUS, 10, "hi")).statusCode()).isEqualTo(429);
    assertThat(messages(sim, "sk-ant-test-bbb", body(OPUS, 10, "hi")).statusCode()).isEqualTo(429);
    assertThat(messages(sim, "sk-ant-test-ccc", body(OPUS, 10, "hi")).statusCode()).isEqualTo(200);

    sim.setSpendCapped("org-1", false);
    assertThat(messages(sim, "sk-ant-test-aaa", body(OPUS, 10, "hi")).statusCode()).isEqualTo(200);
  }

  @Test
  void keyStateErrors_carryOrganizationAndRateLimitHeaders() {
    sim.setKeyState("team-c", Simulator.KeyState.BILLING);

    HttpResponse<String> r = messages(sim, "sk-ant-test-ccc", body(OPUS, 10, "hi"));

    assertThat(header(r, "anthropic-organization-id")).isEqualTo(sim.organizationId("org-2"));
    assertThat(header(r, "anthropic-ratelimit-requests-limit")).isEqualTo("4000");
    assertThat(header(r, "request-id")).isEqualTo(json(r).get("request_id"));
  }

  @Test
  void organizationId_isStablePerOrganizationAndDiffersBetweenThem() {
    assertThat(sim.organizationId("org-1")).hasSize(36).isNotEqualTo(sim.organizationId("org-2"));
    HttpResponse<String> a = messages(sim, "sk-ant-test-aaa", body(OPUS, 10, "hi"));
    HttpResponse<String> b = messages(sim, "sk-ant-test-bbb", body(OPUS, 10, "hi"));
    assertThat(header(a, "anthropic-organization-id")).isEqualTo(header(b, "anthropic-organization-id"))
        .isEqualTo(sim.organizationId("org-1"));
  }
}
