package dev.switchboard.okhttp;

import static dev.switchboard.okhttp.TestSupport.FAST;
import static dev.switchboard.okhttp.TestSupport.KEY;
import static dev.switchboard.okhttp.TestSupport.SECRET;
import static dev.switchboard.okhttp.TestSupport.await;
import static dev.switchboard.okhttp.TestSupport.hello;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.spi.ApiKey;
import dev.switchboard.spi.ContentBlock;
import dev.switchboard.spi.Message;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.Transport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RequestEncodingTest {
  private static final String OK_BODY = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
      + "\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":\"end_turn\","
      + "\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}";

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

  private RecordedRequest sendAndTake(MessageRequest request) throws Exception {
    server.enqueue(new MockResponse.Builder().body(OK_BODY).build());
    await(transport.send(KEY, request, FAST));
    return server.takeRequest(5, TimeUnit.SECONDS);
  }

  @Test
  void send_setsKeyVersionAndJsonHeaders() throws Exception {
    RecordedRequest r = sendAndTake(hello());

    assertThat(r.getMethod()).isEqualTo("POST");
    assertThat(r.getUrl().encodedPath()).isEqualTo("/v1/messages");
    assertThat(r.getHeaders().get("x-api-key")).isEqualTo(SECRET);
    assertThat(r.getHeaders().get("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(r.getHeaders().get("content-type")).isEqualTo("application/json");
    assertThat(r.getHeaders().get("accept")).isEqualTo("application/json");
    assertThat(r.getHeaders().get("anthropic-beta")).isNull();
  }

  @Test
  void send_joinsBetasAndAddsDefaultAndAttemptHeaders() throws Exception {
    transport.close();
    transport = new OkHttpTransportProvider().create(TestSupport.config(server)
        .anthropicVersion("2026-10-21")
        .defaultHeader("anthropic-workspace-id", "wrkspc_1")
        .defaultHeader("x-team", "default")
        .build());
    server.enqueue(new MockResponse.Builder().body(OK_BODY).build());

    await(transport.send(KEY, hello(), FAST
        .withBetas(List.of("context-1m-2025-08-07", "files-api-2025-04-14"))
        .withHeader("x-team", "attempt")));
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);

    assertThat(r.getHeaders().get("anthropic-beta"))
        .isEqualTo("context-1m-2025-08-07,files-api-2025-04-14");
    assertThat(r.getHeaders().get("anthropic-version")).isEqualTo("2026-10-21");
    assertThat(r.getHeaders().get("anthropic-workspace-id")).isEqualTo("wrkspc_1");
    assertThat(r.getHeaders().values("x-team")).containsExactly("attempt");
  }

  @Test
  void send_writesMinimalRequestWithoutOptionalFields() throws Exception {
    RecordedRequest r = sendAndTake(hello());

    assertThat(r.getBody().utf8()).isEqualTo("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,"
        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hello\"}]}]}");
  }

  @Test
  void send_writesEveryTypedFieldInWireForm() throws Exception {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", Map.of("location", Map.of("type", "string")));
    schema.put("required", List.of("location"));
    Map<String, Object> tool = new LinkedHashMap<>();
    tool.put("name", "get_weather");
    tool.put("input_schema", schema);
    Map<String, Object> cached = new LinkedHashMap<>();
    cached.put("type", "text");
    cached.put("text", "You are terse.");
    cached.put("cache_control", Map.of("type", "ephemeral"));
    MessageRequest request = MessageRequest.builder()
        .model("claude-opus-4-6").maxTokens(1024)
        .systemBlocks(List.of(ContentBlock.fromJson(cached)))
        .addUserMessage("Weather?")
        .addMessage(new Message("assistant", List.of(ContentBlock.toolUse("toolu_1", "get_weather",
            Map.of("location", "Paris")))))
        .stream(true)
        .temperature(0.2).topP(0.9).topK(40)
        .stopSequences(List.of("\n\nHuman:"))
        .tools(List.of(tool))
        .toolChoice(Map.of("type", "auto"))
        .metadataUserId("user-42")
        .thinking(Map.of("type", "adaptive"))
        .build();

    RecordedRequest r = sendAndTake(request);

    assertThat(r.getBody().utf8()).isEqualTo("{\"model\":\"claude-opus-4-6\",\"max_tokens\":1024,"
        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Weather?\"}]},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\","
        + "\"name\":\"get_weather\",\"input\":{\"location\":\"Paris\"}}]}],"
        + "\"system\":[{\"type\":\"text\",\"text\":\"You are terse.\","
        + "\"cache_control\":{\"type\":\"ephemeral\"}}],"
        + "\"temperature\":0.2,\"top_p\":0.9,\"top_k\":40,\"stop_sequences\":[\"\\n\\nHuman:\"],"
        + "\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\","
        + "\"properties\":{\"location\":{\"type\":\"string\"}},\"required\":[\"location\"]}}],"
        + "\"tool_choice\":{\"type\":\"auto\"},\"metadata\":{\"user_id\":\"user-42\"},"
        + "\"thinking\":{\"type\":\"adaptive\"}}");
  }

  @Test
  void send_writesExtraFieldsVerbatimAfterTypedFields() throws Exception {
    Map<String, Object> outputConfig = new LinkedHashMap<>();
    outputConfig.put("effort", "high");
    outputConfig.put("format", null);
    outputConfig.put("budget", 12);
    outputConfig.put("ratio", 0.5);
    outputConfig.put("flags", List.of(true, false));
    MessageRequest request = hello().toBuilder()
        .putExtra("service_tier", "standard_only")
        .putExtra("output_config", outputConfig)
        .putExtra("container", null)
        .build();

    RecordedRequest r = sendAndTake(request);

    assertThat(r.getBody().utf8()).endsWith("\"content\":[{\"type\":\"text\",\"text\":\"Hello\"}]}],"
        + "\"service_tier\":\"standard_only\",\"output_config\":{\"effort\":\"high\",\"format\":null,"
        + "\"budget\":12,\"ratio\":0.5,\"flags\":[true,false]},\"container\":null}");
  }

  @Test
  void stream_setsStreamTrueAndAcceptsEventStream() throws Exception {
    server.enqueue(new MockResponse.Builder().addHeader("content-type", "text/event-stream")
        .body("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n").build());
    RecordingListener listener = new RecordingListener();

    transport.stream(KEY, hello(), FAST, listener);
    listener.awaitDone();
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);

    assertThat(r.getHeaders().get("accept")).isEqualTo("text/event-stream");
    assertThat(r.getBody().utf8()).isEqualTo("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,"
        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hello\"}]}],"
        + "\"stream\":true}");
  }

  @Test
  void send_appendsPathToBaseUrlWithPrefix() throws Exception {
    transport.close();
    transport = new OkHttpTransportProvider().create(TestSupport.config(server)
        .baseUrl(server.url("/anthropic/").uri()).build());

    RecordedRequest r = sendAndTake(hello());

    assertThat(r.getUrl().encodedPath()).isEqualTo("/anthropic/v1/messages");
  }

  @Test
  void send_rejectsSecretWithHeaderUnsafeCharacterWithoutShowingIt() {
    ApiKey bad = ApiKey.of("broken", "sk-ant-bad\u00e9XYZZY");

    assertThatThrownBy(() -> transport.send(bad, hello(), FAST))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("secret of key " + bad + " contains a character not allowed in an HTTP header,"
            + " at index 10")
        .hasMessageNotContaining("XYZZY");
  }
}
