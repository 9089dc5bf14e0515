package dev.switchboard.okhttp;

import static dev.switchboard.okhttp.TestSupport.FAST;
import static dev.switchboard.okhttp.TestSupport.KEY;
import static dev.switchboard.okhttp.TestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.ProviderResponse;
import dev.switchboard.spi.Transport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CountTokensTest {
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

  @Test
  void countTokens_postsOnlyCountableFieldsAndReadsTheCount() throws Exception {
    server.enqueue(new MockResponse.Builder().addHeader("request-id", "req_ct")
        .body("{\"input_tokens\": 14}").build());
    MessageRequest request = MessageRequest.builder().model("claude-sonnet-4-5").maxTokens(1024)
        .system("You are a scientist").addUserMessage("Hello, Claude")
        .temperature(0.5).stopSequences(List.of("STOP")).metadataUserId("u1").stream(true)
        .tools(List.of(Map.of("name", "t")))
        .toolChoice(Map.of("type", "any"))
        .thinking(Map.of("type", "enabled", "budget_tokens", 2048))
        .putExtra("cache_control", Map.of("type", "ephemeral"))
        .putExtra("service_tier", "auto")
        .build();

    ProviderResponse r = await(transport.countTokens(KEY, request, FAST));
    RecordedRequest sent = server.takeRequest(5, TimeUnit.SECONDS);

    assertThat(r.isSuccess()).isTrue();
    assertThat(r.tokenCount()).hasValue(14);
    assertThat(r.message()).isEmpty();
    assertThat(r.requestId()).isEqualTo("req_ct");
    assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/messages/count_tokens");
    assertThat(sent.getHeaders().get("accept")).isEqualTo("application/json");
    String body = sent.getBody().utf8();
    assertThat(body).startsWith("{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"Hello, Claude\"}]}],\"system\":[{\"type\":"
        + "\"text\",\"text\":\"You are a scientist\"}],\"tools\":[{\"name\":\"t\"}],"
        + "\"tool_choice\":{\"type\":\"any\"},\"thinking\":{")
        .endsWith("},\"cache_control\":{\"type\":\"ephemeral\"}}")
        .doesNotContain("max_tokens", "temperature", "stop_sequences", "metadata", "stream",
            "service_tier");
  }

  @Test
  void countTokens_bodyWithoutCountIsMalformed() throws Exception {
    server.enqueue(new MockResponse.Builder().body("{\"tokens\": 14}").build());

    ProviderResponse r = await(transport.countTokens(KEY, TestSupport.hello(), FAST));

    assertThat(r.isSuccess()).isFalse();
    assertThat(r.tokenCount()).isEmpty();
    assertThat(r.error().orElseThrow().message())
        .isEqualTo("the HTTP 200 body is not a token count: $.input_tokens is missing");
  }

  @Test
  void countTokens_errorStatusIsParsedLikeMessages() throws Exception {
    server.enqueue(new MockResponse.Builder().code(429).addHeader("retry-after", "1")
        .body("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"rpm\"}}")
        .build());

    ProviderResponse r = await(transport.countTokens(KEY, TestSupport.hello(), FAST));

    assertThat(r.error().orElseThrow().type()).isEqualTo("rate_limit_error");
    assertThat(r.tokenCount()).isEmpty();
  }
}
