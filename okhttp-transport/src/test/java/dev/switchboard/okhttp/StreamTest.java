package dev.switchboard.okhttp;

import static dev.switchboard.okhttp.TestSupport.FAST;
import static dev.switchboard.okhttp.TestSupport.KEY;
import static dev.switchboard.okhttp.TestSupport.hello;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.ApiError;
import dev.switchboard.spi.ContentBlock;
import dev.switchboard.spi.StreamCall;
import dev.switchboard.spi.StreamEvent;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.TransportConfig;
import dev.switchboard.spi.TransportException.Kind;
import dev.switchboard.spi.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamTest {
  private static final String START = "event: message_start\ndata: {\"type\":\"message_start\","
      + "\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\","
      + "\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
      + "\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n"
      + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
      + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n";
  private static final String DELTA = "event: content_block_delta\ndata: {\"type\":"
      + "\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n";
  private static final String END = "event: content_block_stop\ndata: {\"type\":\"content_block_stop\","
      + "\"index\":0}\n\nevent: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":"
      + "{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":2}}\n\n"
      + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

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

  private static String resource(String name) throws IOException {
    try (InputStream in = StreamTest.class.getResourceAsStream("/sse/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static MockResponse sse(String body) {
    return new MockResponse.Builder().addHeader("content-type", "text/event-stream; charset=utf-8")
        .addHeader("request-id", "req_stream").body(body).build();
  }

  private RecordingListener stream(MockResponse response) throws InterruptedException {
    server.enqueue(response);
    RecordingListener listener = new RecordingListener();
    transport.stream(KEY, hello(), FAST, listener);
    return listener.awaitDone();
  }

  @Test
  void stream_referenceTextExampleYieldsTypedEventsThenCompletes() throws Exception {
    RecordingListener l = stream(sse(resource("reference-5.3-text.txt")));

    assertThat(l.calls).containsExactly("response 200", "message_start", "content_block_start", "ping",
        "content_block_delta", "content_block_delta", "content_block_stop", "message_delta",
        "message_stop", "complete");
    assertThat(l.response.requestId()).isEqualTo("req_stream");
    assertThat(l.response.isSuccess()).isTrue();
    StreamEvent.MessageStart start = (StreamEvent.MessageStart) l.events.get(0);
    assertThat(start.message().id()).isEqualTo("msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY");
    assertThat(start.message().model()).isEqualTo("claude-3-5-sonnet-20241022");
    assertThat(start.message().stopReason()).isNull();
    assertThat(start.message().usage()).isEqualTo(Usage.of(25, 1));
    assertThat(((StreamEvent.ContentBlockStart) l.events.get(1)).block())
        .isEqualTo(ContentBlock.text(""));
    StreamEvent.ContentBlockDelta hello = (StreamEvent.ContentBlockDelta) l.events.get(3);
    assertThat(hello.index()).isZero();
    assertThat(hello.deltaType()).isEqualTo("text_delta");
    assertThat(hello.text()).isEqualTo("Hello");
    assertThat(((StreamEvent.ContentBlockDelta) l.events.get(4)).text()).isEqualTo("!");
    assertThat(((StreamEvent.ContentBlockStop) l.events.get(5)).index()).isZero();
    StreamEvent.MessageDelta delta = (StreamEvent.MessageDelta) l.events.get(6);
    assertThat(delta.stopReason()).isEqualTo("end_turn");
    assertThat(delta.stopSequence()).isNull();
    assertThat(delta.usage()).isEqualTo(Usage.of(0, 15));
  }

  @Test
  void stream_referenceToolUseExampleKeepsInputJsonDeltasVerbatim() throws Exception {
    RecordingListener l = stream(sse(resource("reference-5.4-tool-use.txt")));

    assertThat(l.calls).endsWith("message_delta", "message_stop", "complete");
    StreamEvent.ContentBlockStart toolStart = (StreamEvent.ContentBlockStart) l.events.get(5);
    assertThat(toolStart.index()).isEqualTo(1);
    assertThat(toolStart.block().type()).isEqualTo("tool_use");
    assertThat(toolStart.block().string("id")).isEqualTo("toolu_01T1x1fJ34qAmk2tNTrN7Up6");
    assertThat(toolStart.block().fields().get("input")).isEqualTo(Map.of());
    List<String> partials = l.events.stream()
        .filter(e -> e instanceof StreamEvent.ContentBlockDelta d && d.deltaType().equals("input_json_delta"))
        .map(e -> ((StreamEvent.ContentBlockDelta) e).text()).toList();
    assertThat(partials).containsExactly("", "{\"location\":", " \"San Francisco, CA\"}");
    assertThat(String.join("", partials)).isEqualTo("{\"location\": \"San Francisco, CA\"}");
    StreamEvent.ContentBlockDelta first = (StreamEvent.ContentBlockDelta) l.events.get(6);
    assertThat(first.delta()).isEqualTo(Map.of("type", "input_json_delta", "partial_json", ""));
    assertThat(((StreamEvent.MessageDelta) l.events.get(10)).stopReason()).isEqualTo("tool_use");
    assertThat(((StreamEvent.MessageDelta) l.events.get(10)).usage().outputTokens()).isEqualTo(89);
  }

  @Test
  void stream_crLfFramingGivesTheSameEvents() throws Exception {
    String crlf = resource("reference-5.3-text.txt").replace("\n", "\r\n");

    RecordingListener l = stream(sse(crlf));

    assertThat(l.calls).containsExactly("response 200", "message_start", "content_block_start", "ping",
        "content_block_delta", "content_block_delta", "content_block_stop", "message_delta",
        "message_stop", "complete");
  }

  @Test
  void stream_readsCumulativeUsageWithCacheFields() throws Exception {
    String body = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\","
        + "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\","
        + "\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":2,"
        + "\"cache_creation_input_tokens\":19826,\"cache_read_input_tokens\":11590,"
        + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,\"ephemeral_1h_input_tokens\":19826},"
        + "\"output_tokens\":1,\"service_tier\":\"standard\"}}}\n\n"
        + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
        + "\"end_turn\",\"stop_sequence\":null},\"usage\":{\"input_tokens\":2,"
        + "\"cache_creation_input_tokens\":19826,\"cache_read_input_tokens\":11590,"
        + "\"output_tokens\":312}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

    RecordingListener l = stream(sse(body));

    assertThat(((StreamEvent.MessageStart) l.events.get(0)).message().usage())
        .isEqualTo(new Usage(2, 1, 19826, 11590, 0, 19826, "standard"));
    assertThat(((StreamEvent.MessageDelta) l.events.get(1)).usage())
        .isEqualTo(new Usage(2, 312, 19826, 11590, 0, 0, null));
    assertThat(l.calls).endsWith("complete");
  }

  @Test
  void stream_commentsAndMultiLineDataAreParsed() throws Exception {
    String body = ": keep-alive comment\n\n" + START
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\n"
        + "data:  \"delta\":{\"type\":\"text_delta\",\"text\":\"line1\\nline2\"}}\n\n"
        + ": another comment\n" + END;

    RecordingListener l = stream(sse(body));

    assertThat(l.eventNames()).containsExactly("message_start", "content_block_start",
        "content_block_delta", "content_block_stop", "message_delta", "message_stop");
    assertThat(((StreamEvent.ContentBlockDelta) l.events.get(2)).text()).isEqualTo("line1\nline2");
  }

  @Test
  void stream_unknownEventsAndDeltaTypesPassThrough() throws Exception {
    String body = START
        + "event: future_event\ndata: {\"type\":\"future_event\",\"x\":1}\n\n"
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
        + "\"delta\":{\"type\":\"citations_delta\",\"citation\":{\"cited_text\":\"c\"}}}\n\n" + END;

    RecordingListener l = stream(sse(body));

    assertThat(l.events.get(2)).isEqualTo(
        new StreamEvent.Unknown("future_event", "{\"type\":\"future_event\",\"x\":1}"));
    StreamEvent.ContentBlockDelta citation = (StreamEvent.ContentBlockDelta) l.events.get(3);
    assertThat(citation.deltaType()).isEqualTo("citations_delta");
    assertThat(citation.delta()).isEqualTo(
        Map.of("type", "citations_delta", "citation", Map.of("cited_text", "c")));
    assertThat(l.calls).endsWith("complete");
  }

  @Test
  void stream_errorEventMidStreamIsDeliveredThenCompletes() throws Exception {
    RecordingListener l = stream(sse(START + DELTA + resource("reference-5.6-error.txt")));

    assertThat(l.calls).containsExactly("response 200", "message_start", "content_block_start",
        "content_block_delta", "error", "complete");
    assertThat(((StreamEvent.Error) l.events.get(3)).error())
        .isEqualTo(ApiError.of("overloaded_error", "Overloaded"));
  }

  @Test
  void stream_errorEventWithUnreadableDataIsAnUnknownError() throws Exception {
    RecordingListener l = stream(sse(START + "event: error\ndata: <html>oops</html>\n\n"));

    StreamEvent.Error error = (StreamEvent.Error) l.events.get(2);
    assertThat(error.error().type()).isEqualTo("unknown");
    assertThat(error.error().message()).startsWith("error event whose data is not JSON");
    assertThat(l.calls).endsWith("complete");
  }

  @Test
  void stream_bodyEndingBeforeMessageStopIsIncomplete() throws Exception {
    RecordingListener l = stream(sse(START + DELTA));

    assertThat(l.calls).containsExactly("response 200", "message_start", "content_block_start",
        "content_block_delta", "failure INCOMPLETE_STREAM");
    assertThat(l.failure.getMessage()).endsWith("the stream ended before message_stop");
  }

  @Test
  void stream_finishedStreamsReturnTheirConnectionToThePool() throws Exception {
    server.enqueue(sse(resource("reference-5.3-text.txt")));
    server.enqueue(new MockResponse.Builder().code(529)
        .body("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")
        .build());
    server.enqueue(sse(resource("reference-5.4-tool-use.txt")));

    for (int i = 0; i < 3; i++) {
      RecordingListener l = new RecordingListener();
      transport.stream(KEY, hello(), FAST, l);
      assertThat(l.awaitDone().calls).endsWith("complete");
    }

    List<Integer> connections = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      connections.add(server.takeRequest(5, TimeUnit.SECONDS).getConnectionIndex());
    }
    assertThat(connections).as("one connection, reused").containsOnly(connections.get(0));
  }

  @Test
  void stream_manyConcurrentStreamsEachGetTheirOwnEventsAndOneTerminalCall() throws Exception {
    int streams = 24;
    String body = resource("reference-5.3-text.txt");
    for (int i = 0; i < streams; i++) {
      server.enqueue(sse(body));
    }
    List<RecordingListener> listeners = new java.util.ArrayList<>();
    for (int i = 0; i < streams; i++) {
      RecordingListener l = new RecordingListener();
      listeners.add(l);
      transport.stream(KEY, hello(), FAST, l);
    }

    for (RecordingListener l : listeners) {
      assertThat(l.awaitDone().calls).hasSize(10).endsWith("message_stop", "complete");
      assertThat(l.terminalCalls).isEqualTo(1);
    }
  }

  @Test
  void stream_jsonInsteadOfEventStreamIsIncompleteAndSaysWhy() throws Exception {
    RecordingListener l = stream(new MockResponse.Builder()
        .addHeader("content-type", "application/json")
        .body("{\"id\":\"msg_1\",\"model\":\"m\",\"content\":[]}").build());

    assertThat(l.calls).containsExactly("response 200", "failure INCOMPLETE_STREAM");
    assertThat(l.failure.getMessage()).endsWith("the stream ended before message_stop (its "
        + "content-type was 'application/json', not text/event-stream)");
  }

  @Test
  void stream_connectionDroppedMidBodyIsIncomplete() throws Exception {
    RecordingListener l = stream(new MockResponse.Builder().body(START + DELTA + END)
        .onResponseBody(SocketEffect.ShutdownConnection.INSTANCE).build());

    assertThat(l.calls).startsWith("response 200", "message_start");
    assertThat(l.calls).endsWith("failure INCOMPLETE_STREAM");
    assertThat(l.calls).doesNotContain("message_stop");
    assertThat(l.failure.getMessage()).contains("the stream broke before message_stop");
    TestSupport.assertNoSecret(l.failure);
  }

  @Test
  void stream_idleLongerThanReadTimeoutIsTimeout() throws Exception {
    GatedBody body = new GatedBody(START, END);
    server.enqueue(new MockResponse.Builder().body(body).build());
    RecordingListener l = new RecordingListener();
    try {
      transport.stream(KEY, hello(), FAST.withReadTimeout(Duration.ofMillis(300)), l);
      l.awaitDone();

      assertThat(l.calls).containsExactly("response 200", "message_start", "content_block_start",
          "failure TIMEOUT");
      assertThat(l.failure.getMessage()).contains("idle longer than the read timeout");
    } finally {
      body.release();
    }
  }

  @Test
  void stream_attemptTimeoutStopsGuardingOnceHeadersArrive() throws Exception {
    GatedBody body = new GatedBody(START, DELTA + END);
    server.enqueue(new MockResponse.Builder().body(body).build());
    RecordingListener l = new RecordingListener();
    transport.stream(KEY, hello(), FAST.withTimeout(Duration.ofMillis(200)), l);
    l.awaitFirstEvent();

    boolean endedEarly = l.endsWithin(Duration.ofMillis(700));
    body.release();
    l.awaitDone();

    assertThat(endedEarly).as("no terminal call while the body is merely slow").isFalse();
    assertThat(l.calls).endsWith("message_stop", "complete");
  }

  @Test
  void stream_cancelMidStreamReportsCancelledAndStopsEvents() throws Exception {
    GatedBody body = new GatedBody(START, DELTA + END);
    server.enqueue(new MockResponse.Builder().body(body).build());
    RecordingListener l = new RecordingListener();
    try {
      StreamCall call = transport.stream(KEY, hello(), FAST, l);
      l.awaitFirstEvent();
      l.awaitEvents(2);

      call.cancel();
      call.cancel();

      l.awaitDone();
      assertThat(call.isCancelled()).isTrue();
      assertThat(l.calls).containsExactly("response 200", "message_start", "content_block_start",
          "failure CANCELLED");
      assertThat(l.terminalCalls).isEqualTo(1);
    } finally {
      body.release();
    }
  }

  @Test
  void stream_cancelClosesTheConnectionServerSide() throws Exception {
    try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Transport direct = new OkHttpTransportProvider().create(TransportConfig.builder()
            .baseUrl("http://127.0.0.1:" + raw.getLocalPort()).build())) {
      RecordingListener l = new RecordingListener();
      StreamCall call = direct.stream(KEY, hello(), FAST, l);
      try (java.net.Socket socket = raw.accept()) {
        socket.setSoTimeout(5000);
        InputStream in = socket.getInputStream();
        byte[] head = new byte[16];
        assertThat(in.read(head)).isPositive();

        call.cancel();

        byte[] rest = new byte[4096];
        boolean closed;
        try {
          while (in.read(rest) >= 0) {
            // drain the request until the client closes
          }
          closed = true;
        } catch (java.net.SocketException reset) {
          closed = true;
        }
        assertThat(closed).isTrue();
      }
      assertThat(l.awaitDone().calls).containsExactly("failure CANCELLED");
    }
  }

  @Test
  void stream_non2xxGivesTheParsedErrorThenCompletes() throws Exception {
    RecordingListener l = stream(new MockResponse.Builder().code(429).addHeader("retry-after", "4")
        .addHeader("request-id", "req_429")
        .body("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"},"
            + "\"request_id\":\"req_429\"}").build());

    assertThat(l.calls).containsExactly("response 429", "complete");
    assertThat(l.response.error()).contains(new ApiError("rate_limit_error", "slow down", null,
        "req_429"));
    assertThat(l.response.rateLimits().retryAfter()).contains(Duration.ofSeconds(4));
  }

  @Test
  void stream_non2xxHtmlIsMalformedThenCompletes() throws Exception {
    RecordingListener l = stream(new MockResponse.Builder().code(502)
        .body("<html>Bad Gateway</html>").build());

    assertThat(l.calls).containsExactly("response 502", "complete");
    assertThat(l.response.bodyMalformed()).isTrue();
    assertThat(l.response.rawBody()).isEqualTo("<html>Bad Gateway</html>");
  }

  @Test
  void stream_malformedKnownEventEndsAsIncomplete() throws Exception {
    RecordingListener l = stream(sse(START
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{}}\n\n"
        + END));

    assertThat(l.calls).containsExactly("response 200", "message_start", "content_block_start",
        "failure INCOMPLETE_STREAM");
    assertThat(l.failure.getMessage())
        .endsWith("malformed content_block_delta event: $.delta.type is missing");
  }

  @Test
  void stream_truncatedJsonInKnownEventEndsAsIncomplete() throws Exception {
    RecordingListener l = stream(sse("event: message_start\ndata: {\"type\":\"message_start\","
        + "\"message\":{\"id\":\n\n" + END));

    assertThat(l.calls).containsExactly("response 200", "failure INCOMPLETE_STREAM");
    assertThat(l.failure.getMessage()).contains("malformed message_start event: message_start event "
        + "data is not JSON");
  }

  @Test
  void stream_pingAndMessageStopNeedNoReadableData() throws Exception {
    RecordingListener l = stream(sse(START + "event: ping\ndata: -\n\n" + END.replace(
        "{\"type\":\"message_stop\"}", "?")));

    assertThat(l.eventNames()).containsExactly("message_start", "content_block_start", "ping",
        "content_block_stop", "message_delta", "message_stop");
    assertThat(l.calls).endsWith("complete");
  }

  @Test
  void stream_listenerThatThrowsCancelsTheStreamAndIsToldWhy() throws Exception {
    server.enqueue(sse(START + DELTA + END));
    RecordingListener l = new RecordingListener() {
      @Override
      public void onEvent(StreamEvent event) {
        super.onEvent(event);
        if (event instanceof StreamEvent.ContentBlockDelta) {
          throw new IllegalStateException("listener bug");
        }
      }
    };

    transport.stream(KEY, hello(), FAST, l);
    l.awaitDone();

    assertThat(l.calls).containsExactly("response 200", "message_start", "content_block_start",
        "content_block_delta", "failure CANCELLED");
    assertThat(l.failure.getMessage())
        .endsWith("the stream listener threw in onEvent: IllegalStateException: listener bug");
    assertThat(l.failure.getCause()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void stream_noHeadersWithinAttemptTimeoutFailsWithoutResponse() throws Exception {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    RecordingListener l = new RecordingListener();

    transport.stream(KEY, hello(), FAST.withTimeout(Duration.ofMillis(250)), l);
    l.awaitDone();

    assertThat(l.calls).containsExactly("failure TIMEOUT");
    assertThat(l.response).isNull();
    assertThat(l.failure.getMessage()).contains("no response headers within PT0.25S");
  }

  @Test
  void stream_connectionRefusedFailsWithoutResponse() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    try (Transport refused = new OkHttpTransportProvider().create(TransportConfig.builder()
        .baseUrl("http://127.0.0.1:" + port).build())) {
      RecordingListener l = new RecordingListener();
      refused.stream(KEY, hello(), FAST, l);

      assertThat(l.awaitDone().calls).containsExactly("failure CONNECT");
      TestSupport.assertNoSecret(l.failure);
    }
  }

  @Test
  void stream_closingTheTransportCancelsOpenStreams() throws Exception {
    GatedBody body = new GatedBody(START, END);
    server.enqueue(new MockResponse.Builder().body(body).build());
    RecordingListener l = new RecordingListener();
    try {
      transport.stream(KEY, hello(), FAST, l);
      l.awaitFirstEvent();

      transport.close();

      assertThat(l.awaitDone().calls).endsWith("failure CANCELLED");
      assertThat(l.terminalCalls).isEqualTo(1);
    } finally {
      body.release();
    }
  }
}
