package dev.switchboard.okhttp;

import static dev.switchboard.okhttp.TestSupport.FAST;
import static dev.switchboard.okhttp.TestSupport.KEY;
import static dev.switchboard.okhttp.TestSupport.await;
import static dev.switchboard.okhttp.TestSupport.hello;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.ApiError;
import dev.switchboard.spi.ContentBlock;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.ProviderResponse;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SendResponseTest {
  private static final String MESSAGE = """
      {
        "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5-20250929",
        "content": [
          {"type": "text", "text": "Let me check.", "citations": null},
          {"type": "tool_use", "id": "toolu_01T1x1fJ34qAmk2tNTrN7Up6",
           "name": "get_weather", "input": {"location": "San Francisco, CA", "days": 3}}
        ],
        "stop_reason": "tool_use",
        "stop_sequence": null,
        "stop_details": null,
        "container": {"id": "cntr_1", "ttl": 3600},
        "usage": {
          "input_tokens": 2,
          "cache_creation_input_tokens": 19826,
          "cache_read_input_tokens": 11590,
          "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 19826},
          "output_tokens": 89,
          "server_tool_use": null,
          "service_tier": "standard",
          "inference_geo": "not_available"
        }
      }
      """;

  private final MockWebServer server = new MockWebServer();
  private Transport transport;

  @BeforeEach
  void start() throws Exception {
    server.start();
    transport = TestSupport.transport(server);
  }

  @AfterEach
  void stop() {
    transport.close();
    server.close();
  }

  private ProviderResponse respond(MockResponse response) throws Exception {
    server.enqueue(response);
    return await(transport.send(KEY, hello(), FAST));
  }

  private ProviderResponse respond(int status, String body) throws Exception {
    return respond(new MockResponse.Builder().code(status)
        .addHeader("request-id", "req_hdr_" + status).body(body).build());
  }

  private static String apiError(String type, String message) {
    return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message
        + "\"},\"request_id\":\"req_body\"}";
  }

  @Test
  void send_parsesMessageWithFullUsageAndKeepsBlocksAndExtrasVerbatim() throws Exception {
    ProviderResponse r = respond(new MockResponse.Builder()
        .addHeader("content-type", "application/json")
        .addHeader("request-id", "req_018EeWyXxfu5pfWkrYcMdjWG")
        .addHeader("anthropic-organization-id", "4c8e7e0a-org")
        .body(MESSAGE).build());

    assertThat(r.isSuccess()).isTrue();
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.requestId()).isEqualTo("req_018EeWyXxfu5pfWkrYcMdjWG");
    assertThat(r.organizationId()).isEqualTo("4c8e7e0a-org");
    assertThat(r.error()).isEmpty();
    MessageResponse m = r.message().orElseThrow();
    assertThat(m.id()).isEqualTo("msg_013Zva2CMHLNnXjNJJKqJ2EF");
    assertThat(m.model()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(m.role()).isEqualTo("assistant");
    assertThat(m.stopReason()).isEqualTo("tool_use");
    assertThat(m.stopSequence()).isNull();
    assertThat(m.usage()).isEqualTo(new Usage(2, 89, 19826, 11590, 0, 19826, "standard"));
    assertThat(m.text()).isEqualTo("Let me check.");
    Map<String, Object> text = new LinkedHashMap<>();
    text.put("type", "text");
    text.put("text", "Let me check.");
    text.put("citations", null);
    assertThat(m.content().get(0).toJson()).isEqualTo(text);
    ContentBlock toolUse = m.content().get(1);
    assertThat(toolUse.type()).isEqualTo("tool_use");
    assertThat(toolUse.string("name")).isEqualTo("get_weather");
    assertThat(toolUse.fields().get("input"))
        .isEqualTo(Map.of("location", "San Francisco, CA", "days", 3L));
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("stop_details", null);
    extra.put("container", Map.of("id", "cntr_1", "ttl", 3600L));
    assertThat(m.extra()).isEqualTo(extra);
  }

  @Test
  void send_missingUsageFieldsAreZero() throws Exception {
    ProviderResponse r = respond(200, "{\"id\":\"msg_1\",\"model\":\"m\",\"content\":[],"
        + "\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":7,\"output_tokens\":3}}");

    assertThat(r.message().orElseThrow().usage()).isEqualTo(Usage.of(7, 3));
  }

  @Test
  void send_400InvalidRequestKeepsMessageAndBodyRequestId() throws Exception {
    ProviderResponse r = respond(new MockResponse.Builder().code(400).body(
        apiError("invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum"))
        .build());

    assertThat(r.isSuccess()).isFalse();
    assertThat(r.bodyMalformed()).isFalse();
    assertThat(r.error()).contains(new ApiError("invalid_request_error",
        "prompt is too long: 210000 tokens > 200000 maximum", null, "req_body"));
    assertThat(r.requestId()).isEqualTo("req_body");
  }

  @Test
  void send_401AuthenticationError() throws Exception {
    ProviderResponse r = respond(401, apiError("authentication_error", "invalid x-api-key"));

    assertThat(r.status()).isEqualTo(401);
    assertThat(r.error().orElseThrow().type()).isEqualTo("authentication_error");
    assertThat(r.error().orElseThrow().message()).isEqualTo("invalid x-api-key");
    assertThat(r.requestId()).isEqualTo("req_hdr_401");
  }

  @Test
  void send_402BillingError() throws Exception {
    ProviderResponse r = respond(402, apiError("billing_error", "Payment required"));

    assertThat(r.error().orElseThrow().type()).isEqualTo("billing_error");
    assertThat(r.bodyMalformed()).isFalse();
  }

  @Test
  void send_403PermissionError() throws Exception {
    ProviderResponse r = respond(403, apiError("permission_error", "not allowed"));

    assertThat(r.error().orElseThrow().type()).isEqualTo("permission_error");
  }

  @Test
  void send_404NotFoundErrorForModel() throws Exception {
    ProviderResponse r = respond(404, apiError("not_found_error", "model: claude-nope"));

    assertThat(r.error().orElseThrow())
        .isEqualTo(new ApiError("not_found_error", "model: claude-nope", null, "req_body"));
  }

  @Test
  void send_413HtmlFromCloudflareIsMalformedRequestTooLarge() throws Exception {
    String html = "<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n"
        + "<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>cloudflare</center>"
        + "\r\n</body>\r\n</html>\r\n";
    ProviderResponse r = respond(new MockResponse.Builder().code(413)
        .addHeader("content-type", "text/html").body(html).build());

    assertThat(r.status()).isEqualTo(413);
    assertThat(r.bodyMalformed()).isTrue();
    assertThat(r.rawBody()).isEqualTo(html);
    ApiError error = r.error().orElseThrow();
    assertThat(error.type()).isEqualTo("request_too_large");
    assertThat(error.message()).startsWith("the HTTP 413 response body is not JSON (")
        .contains("looks like HTML/XML");
  }

  @Test
  void send_429ParsesRetryAfterAndRateLimitHeaders() throws Exception {
    ProviderResponse r = respond(new MockResponse.Builder().code(429)
        .addHeader("retry-after", "17")
        .addHeader("anthropic-ratelimit-requests-limit", "50")
        .addHeader("anthropic-ratelimit-requests-remaining", "0")
        .addHeader("anthropic-ratelimit-requests-reset", "2026-04-24T00:01:00Z")
        .addHeader("anthropic-ratelimit-input-tokens-limit", "30000")
        .addHeader("anthropic-ratelimit-input-tokens-remaining", "12000")
        .addHeader("anthropic-ratelimit-input-tokens-reset", "2026-04-24T00:00:30+00:00")
        .addHeader("anthropic-ratelimit-output-tokens-limit", "8000")
        .addHeader("anthropic-ratelimit-output-tokens-remaining", "8000")
        .addHeader("anthropic-ratelimit-output-tokens-reset", "2026-04-24T00:00:00Z")
        .addHeader("anthropic-ratelimit-tokens-limit", "38000")
        .addHeader("anthropic-ratelimit-tokens-remaining", "20000")
        .addHeader("anthropic-ratelimit-tokens-reset", "2026-04-24T00:00:30Z")
        .body(apiError("rate_limit_error", "This request would exceed the rate limit for your "
            + "organization of 50 requests per minute."))
        .build());

    assertThat(r.error().orElseThrow().type()).isEqualTo("rate_limit_error");
    assertThat(r.rateLimits().retryAfter()).contains(Duration.ofSeconds(17));
    assertThat(r.rateLimits().requests().limit()).isEqualTo(50);
    assertThat(r.rateLimits().requests().remaining()).isZero();
    assertThat(r.rateLimits().requests().reset()).isEqualTo(Instant.parse("2026-04-24T00:01:00Z"));
    assertThat(r.rateLimits().inputTokens().remaining()).isEqualTo(12000);
    assertThat(r.rateLimits().inputTokens().reset()).isEqualTo(Instant.parse("2026-04-24T00:00:30Z"));
    assertThat(r.rateLimits().outputTokens().limit()).isEqualTo(8000);
    assertThat(r.rateLimits().tokens().remaining()).isEqualTo(20000);
  }

  @Test
  void send_429SpendCapCarriesErrorCodeAndNoRetryAfter() throws Exception {
    ProviderResponse r = respond(429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
        + "\"message\":\"You have reached your API usage limits.\","
        + "\"details\":{\"error_code\":\"enforced_spend_limit_reached\"}},\"request_id\":\"req_cap\"}");

    assertThat(r.error().orElseThrow()).isEqualTo(new ApiError("rate_limit_error",
        "You have reached your API usage limits.", "enforced_spend_limit_reached", "req_cap"));
    assertThat(r.rateLimits().retryAfter()).isEmpty();
    assertThat(r.requestId()).isEqualTo("req_hdr_429");
  }

  @Test
  void send_500ApiErrorWithNullDetails() throws Exception {
    ProviderResponse r = respond(500, "{\"type\":\"error\",\"error\":{\"details\":null,"
        + "\"type\":\"api_error\",\"message\":\"Internal server error\"},\"request_id\":\"req_5\"}");

    assertThat(r.error().orElseThrow())
        .isEqualTo(new ApiError("api_error", "Internal server error", null, "req_5"));
  }

  @Test
  void send_502HtmlFromProxyIsMalformedUnknown() throws Exception {
    ProviderResponse r = respond(new MockResponse.Builder().code(502)
        .body("<html><body><h1>502 Bad Gateway</h1></body></html>").build());

    assertThat(r.bodyMalformed()).isTrue();
    assertThat(r.error().orElseThrow().type()).isEqualTo("unknown");
    assertThat(r.rawBody()).isEqualTo("<html><body><h1>502 Bad Gateway</h1></body></html>");
  }

  @Test
  void send_504TimeoutError() throws Exception {
    ProviderResponse r = respond(504, apiError("timeout_error", "Request timed out"));

    assertThat(r.error().orElseThrow().type()).isEqualTo("timeout_error");
    assertThat(r.bodyMalformed()).isFalse();
  }

  @Test
  void send_529Overloaded() throws Exception {
    ProviderResponse r = respond(new MockResponse.Builder().code(529).addHeader("x-should-retry", "true")
        .body(apiError("overloaded_error", "Overloaded")).build());

    assertThat(r.status()).isEqualTo(529);
    assertThat(r.error().orElseThrow().type()).isEqualTo("overloaded_error");
    assertThat(r.error().orElseThrow().message()).isEqualTo("Overloaded");
    assertThat(r.rateLimits().shouldRetry()).contains(true);
  }

  @Test
  void send_emptyBodyWith200IsMalformed() throws Exception {
    ProviderResponse r = respond(200, "");

    assertThat(r.isSuccess()).isFalse();
    assertThat(r.bodyMalformed()).isTrue();
    assertThat(r.message()).isEmpty();
    assertThat(r.error().orElseThrow()).isEqualTo(
        ApiError.of("unknown", "the HTTP 200 response had an empty body"));
    assertThat(r.rawBody()).isEmpty();
  }

  @Test
  void send_emptyBodyWith429KeepsStatusImpliedTypeAndHeaders() throws Exception {
    ProviderResponse r = respond(new MockResponse.Builder().code(429).addHeader("retry-after", "3")
        .build());

    assertThat(r.bodyMalformed()).isTrue();
    assertThat(r.error().orElseThrow().type()).isEqualTo("rate_limit_error");
    assertThat(r.rateLimits().retryAfter()).contains(Duration.ofSeconds(3));
  }

  @Test
  void send_truncatedJsonIsMalformedWithJsonPath() throws Exception {
    String truncated = MESSAGE.substring(0, MESSAGE.indexOf("\"tool_use\"") + 12);
    ProviderResponse r = respond(200, truncated);

    assertThat(r.bodyMalformed()).isTrue();
    assertThat(r.rawBody()).isEqualTo(truncated);
    assertThat(r.error().orElseThrow().message())
        .startsWith("the HTTP 200 response body is not JSON (")
        .contains("$.content[1]");
  }

  @Test
  void send_jsonOfWrongShapeIsMalformed() throws Exception {
    ProviderResponse r = respond(200, "[1,2,3]");

    assertThat(r.bodyMalformed()).isTrue();
    assertThat(r.error().orElseThrow().message())
        .isEqualTo("the HTTP 200 body is not a message: $ must be an object but was an array");
  }

  @Test
  void send_200WithoutIdIsMalformed() throws Exception {
    ProviderResponse r = respond(200, "{\"type\":\"message\",\"model\":\"m\",\"content\":[]}");

    assertThat(r.isSuccess()).isFalse();
    assertThat(r.error().orElseThrow().message())
        .isEqualTo("the HTTP 200 body is not a message: $.id is missing");
  }

  @Test
  void send_200WithBadContentBlockNamesItsPath() throws Exception {
    ProviderResponse r = respond(200, "{\"id\":\"msg_1\",\"model\":\"m\",\"content\":[{\"type\":\"text\","
        + "\"text\":\"a\"},{\"text\":\"b\"}],\"usage\":{\"input_tokens\":-1}}");

    assertThat(r.error().orElseThrow().message()).isEqualTo(
        "the HTTP 200 body is not a message: $.content[1].type must be a non-blank string but was null");
  }

  @Test
  void send_200WithNegativeUsageIsMalformed() throws Exception {
    ProviderResponse r = respond(200, "{\"id\":\"msg_1\",\"model\":\"m\",\"content\":[],"
        + "\"usage\":{\"input_tokens\":-1,\"output_tokens\":\"many\"}}");

    assertThat(r.error().orElseThrow().message()).isEqualTo(
        "the HTTP 200 body is not a message: $.usage.input_tokens must be a count >= 0 but was -1");
  }

  @Test
  void send_errorJsonWithoutErrorObjectIsMalformed() throws Exception {
    ProviderResponse r = respond(503, "{\"message\":\"upstream connect error\"}");

    assertThat(r.bodyMalformed()).isTrue();
    assertThat(r.error().orElseThrow().type()).isEqualTo("unknown");
    assertThat(r.error().orElseThrow().message()).startsWith(
        "the HTTP 503 body is JSON but not an API error (no string $.error.type)");
  }

  @Test
  void send_errorShaped200IsMalformedWithThatError() throws Exception {
    ProviderResponse r = respond(200, apiError("overloaded_error", "Overloaded"));

    assertThat(r.bodyMalformed()).isTrue();
    assertThat(r.error().orElseThrow().type()).isEqualTo("overloaded_error");
  }

  @Test
  void send_rawBodyOfHugeGarbageIsCutTo512Chars() throws Exception {
    char[] junk = new char[5000];
    Arrays.fill(junk, 'x');
    ProviderResponse r = respond(500, new String(junk));

    assertThat(r.rawBody()).hasSize(512);
    assertThat(r.error().orElseThrow().type()).isEqualTo("api_error");
    assertThat(List.of(r.toString())).noneMatch(s -> s.length() > 1000);
  }
}
