package dev.switchboard.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.ApiError;
import dev.switchboard.spi.Outcome;
import dev.switchboard.spi.ProviderResponse;
import dev.switchboard.spi.RateLimitInfo;
import dev.switchboard.spi.TransportException;
import dev.switchboard.spi.Verdict;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicErrorClassifierTest {
  private final AnthropicErrorClassifier classifier = AnthropicErrorClassifier.INSTANCE;

  private static ProviderResponse response(int status, String type, String message, String code,
      Map<String, String> headers) {
    return ProviderResponse.builder(status).error(new ApiError(type, message, code, null))
        .rateLimits(RateLimitInfo.parse(headers::get, Instant.EPOCH)).build();
  }

  private Verdict classify(int status, String type, String message) {
    return classifier.classify(response(status, type, message, null, Map.of()));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "429|rate_limit_error|over the limit|RATE_LIMITED|true",
      "529|overloaded_error|Overloaded|SERVER_ERROR|true",
      "500|api_error|Internal|SERVER_ERROR|true",
      "502|unknown|<html>bad gateway</html>|SERVER_ERROR|true",
      "503|unknown||SERVER_ERROR|true",
      "504|timeout_error|timed out|SERVER_ERROR|true",
      "401|authentication_error|invalid x-api-key|KEY_FAULT|true",
      "403|permission_error|no access|KEY_FAULT|true",
      "402|billing_error|pay up|KEY_FAULT|true",
      "404|not_found_error|model: claude-nope|MODEL_NOT_FOUND|true",
      "404|not_found_error|no such path /v2|REQUEST_INVALID|false",
      "400|invalid_request_error|messages: required|REQUEST_INVALID|false",
      "413|request_too_large|too big|REQUEST_INVALID|false",
      "422|invalid_request_error|unprocessable|REQUEST_INVALID|false",
      "400|invalid_request_error|prompt is too long: 210000 tokens > 200000 maximum|CONTEXT_OVERFLOW|true",
      "400|invalid_request_error|Your credit balance is too low to access the Anthropic API.|ORGANIZATION_FAULT|true",
      "400|invalid_request_error|You have reached your specified API usage limits.|ORGANIZATION_FAULT|true",
      "400|invalid_request_error|You have reached your specified workspace API usage limits.|ORGANIZATION_FAULT|true",
      "408|unknown|timeout|NETWORK|true",
      "409|conflict_error|conflict|NETWORK|true"})
  void classify_followsTheOutcomeTable(int status, String type, String message, Outcome outcome,
      boolean retryable) {
    Verdict v = classify(status, type, message == null ? "" : message);
    assertThat(v.outcome()).isEqualTo(outcome);
    assertThat(v.retryable()).isEqualTo(retryable);
    assertThat(v.reason()).startsWith("HTTP " + status);
  }

  @Test
  void classify_spendCap429WithoutRetryAfter_isAnOrganizationFault() {
    Verdict v = classifier.classify(response(429, "rate_limit_error", "usage limits",
        "enforced_spend_limit_reached", Map.of()));
    assertThat(v.outcome()).isEqualTo(Outcome.ORGANIZATION_FAULT);
    assertThat(v.reason()).contains("[enforced_spend_limit_reached]");
  }

  @Test
  void classify_shouldRetryOverridesEverythingButKeyFaults() {
    assertThat(classifier.classify(response(529, "overloaded_error", "x", null,
        Map.of("x-should-retry", "false"))).retryable()).isFalse();
    assertThat(classifier.classify(response(400, "invalid_request_error", "x", null,
        Map.of("x-should-retry", "true"))).retryable()).isTrue();
    Verdict key = classifier.classify(response(401, "authentication_error", "x", null,
        Map.of("x-should-retry", "false")));
    assertThat(key.outcome()).isEqualTo(Outcome.KEY_FAULT);
    Verdict spend = classifier.classify(response(429, "rate_limit_error", "x",
        "enforced_spend_limit_reached", Map.of("x-should-retry", "true")));
    assertThat(spend.outcome()).isEqualTo(Outcome.ORGANIZATION_FAULT);
  }

  @Test
  void classify_malformed2xxBody_isANetworkOutcomeNotAnException() {
    Verdict v = classifier.classify(ProviderResponse.builder(200).malformedBody("{\"trunc").build());
    assertThat(v.outcome()).isEqualTo(Outcome.NETWORK);
    assertThat(v.retryable()).isTrue();
  }

  @Test
  void classify_success() {
    assertThat(classifier.classify(ProviderResponse.builder(200).build()).outcome())
        .isEqualTo(Outcome.SUCCESS);
  }

  @Test
  void classify_transportFailures_areNetworkOutcomes() {
    for (TransportException.Kind kind : TransportException.Kind.values()) {
      Verdict v = classifier.classify(new TransportException(kind, "x"));
      assertThat(v.outcome()).isEqualTo(Outcome.NETWORK);
      assertThat(v.retryable()).isEqualTo(kind != TransportException.Kind.CANCELLED);
    }
  }
}
