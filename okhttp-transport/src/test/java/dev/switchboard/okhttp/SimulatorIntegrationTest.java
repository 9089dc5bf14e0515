package dev.switchboard.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.ApiError;
import dev.switchboard.spi.ApiKey;
import dev.switchboard.spi.AttemptOptions;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.ProviderResponse;
import dev.switchboard.spi.StreamEvent;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.TransportConfig;
import dev.switchboard.spi.TransportException;
import dev.switchboard.spi.TransportException.Kind;
import dev.switchboard.testkit.FakeTicker;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.Simulator;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real transport against the testkit's API simulator: every outcome arrives typed and parsed. */
class SimulatorIntegrationTest {
  private static final ApiKey TEAM_A =
      ApiKey.of("team-a", Simulator.Builder.PRESET_KEYS.get("team-a"));
  private static final ApiKey TEAM_B =
      ApiKey.of("team-b", Simulator.Builder.PRESET_KEYS.get("team-b"));
  private static final AttemptOptions OPTIONS = TestSupport.FAST;

  private final FakeTicker ticker = new FakeTicker();
  private Simulator sim;
  private Transport transport;

  @BeforeEach
  void start() {
    sim = Simulator.builder().ticker(ticker).clock(ticker.clock()).preset().start();
    transport = new OkHttpTransportProvider().create(TransportConfig.builder()
        .baseUrl(sim.baseUrl()).clock(ticker.clock()).build());
  }

  @AfterEach
  void stop() {
    transport.close();
    sim.close();
  }

  private static MessageRequest request() {
    return MessageRequest.builder().model("claude-sonnet-4-5").maxTokens(256)
        .system("Be brief.").addUserMessage("Say hello to the simulator.").build();
  }

  @Test
  void send_successIsAParsedMessageWithUsageAndRateLimits() throws Exception {
    ProviderResponse r = TestSupport.await(transport.send(TEAM_A, request(), OPTIONS));

    assertThat(r.isSuccess()).as(r.toString()).isTrue();
    MessageResponse m = r.message().orElseThrow();
    assertThat(m.id()).startsWith("msg_");
    assertThat(m.stopReason()).isNotNull();
    assertThat(m.usage().inputTokens()).isPositive();
    assertThat(m.usage().outputTokens()).isPositive();
    assertThat(r.requestId()).isNotBlank();
    assertThat(r.organizationId()).isEqualTo(sim.organizationId("org-1"));
    assertThat(r.rateLimits().requests().limit()).isEqualTo(50);
    assertThat(r.rateLimits().requests().remaining()).isEqualTo(49);
    assertThat(r.rateLimits().requests().reset()).isAfterOrEqualTo(ticker.now());
    assertThat(sim.callsFor("team-a")).singleElement()
        .satisfies(call -> assertThat(call.header("anthropic-version")).isEqualTo("2023-06-01"));
  }

  @Test
  void send_unknownAndRevokedKeysAre401AuthenticationErrors() throws Exception {
    ProviderResponse unknown = TestSupport.await(transport.send(
        ApiKey.of("ghost", "sk-ant-not-registered"), request(), OPTIONS));
    sim.setKeyState("team-b", Simulator.KeyState.REVOKED);
    ProviderResponse revoked = TestSupport.await(transport.send(TEAM_B, request(), OPTIONS));

    for (ProviderResponse r : new ProviderResponse[] {unknown, revoked}) {
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.bodyMalformed()).isFalse();
      assertThat(r.error().orElseThrow().type()).isEqualTo("authentication_error");
      assertThat(r.requestId()).isNotBlank();
    }
  }

  @Test
  void send_overRequestLimitIs429WithParsedHeadersUntilTheBucketRefills() throws Exception {
    sim.setLimits("org-1", "sonnet-4", 1, 30_000, 8_000);
    assertThat(TestSupport.await(transport.send(TEAM_A, request(), OPTIONS)).isSuccess()).isTrue();

    ProviderResponse limited = TestSupport.await(transport.send(TEAM_B, request(), OPTIONS));

    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.error().orElseThrow().type()).isEqualTo("rate_limit_error");
    assertThat(limited.error().orElseThrow().errorCode()).isNull();
    Duration retryAfter = limited.rateLimits().retryAfter().orElseThrow();
    assertThat(retryAfter).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(60));
    assertThat(limited.rateLimits().requests().limit()).isEqualTo(1);
    assertThat(limited.rateLimits().requests().remaining()).isZero();
    assertThat(limited.rateLimits().requests().reset()).isAfter(ticker.now());

    ticker.advance(retryAfter);

    assertThat(TestSupport.await(transport.send(TEAM_B, request(), OPTIONS)).isSuccess())
        .as("after retry-after on the fake clock, the bucket admits again").isTrue();
  }

  @Test
  void send_spendCappedOrganizationIs429WithErrorCodeAndNoRetryAfter() throws Exception {
    sim.setSpendCapped("org-1", true);

    ProviderResponse r = TestSupport.await(transport.send(TEAM_A, request(), OPTIONS));

    assertThat(r.status()).isEqualTo(429);
    assertThat(r.error().orElseThrow().errorCode()).isEqualTo("enforced_spend_limit_reached");
    assertThat(r.rateLimits().retryAfter()).isEmpty();
  }

  @Test
  void send_overloadedIs529OverloadedError() throws Exception {
    sim.faults().add(Fault.overloaded().times(1));

    ProviderResponse r = TestSupport.await(transport.send(TEAM_A, request(), OPTIONS));

    assertThat(r.status()).isEqualTo(529);
    assertThat(r.error().orElseThrow().type()).isEqualTo("overloaded_error");
    assertThat(r.error().orElseThrow().message()).isEqualTo("Overloaded");
  }

  @Test
  void send_proxyHtml502IsMalformedNotAnException() throws Exception {
    sim.faults().add(Fault.badGateway().times(1));

    ProviderResponse r = TestSupport.await(transport.send(TEAM_A, request(), OPTIONS));

    assertThat(r.status()).isEqualTo(502);
    assertThat(r.bodyMalformed()).isTrue();
    assertThat(r.rawBody()).contains("502");
  }

  @Test
  void send_resetBeforeHeadersIsReset() throws Exception {
    sim.faults().add(Fault.resetBeforeHeaders().times(1));

    TransportException e = TestSupport.awaitFailure(transport.send(TEAM_A, request(), OPTIONS));

    assertThat(e.kind()).isEqualTo(Kind.RESET);
  }

  @Test
  void send_stallLongerThanTheAttemptTimeoutIsTimeoutAndTheSimulatorSeesTheClientLeave()
      throws Exception {
    sim.faults().add(Fault.stallBeforeHeaders(Duration.ofSeconds(5)).times(1));

    CompletableFuture<ProviderResponse> future = transport.send(TEAM_A, request(),
        OPTIONS.withTimeout(Duration.ofMillis(300)));

    assertThat(TestSupport.awaitFailure(future).kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(sim.awaitDisconnect(Duration.ofSeconds(5))).isPresent();
  }

  @Test
  void stream_successDeliversTheWholeGrammarThenCompletes() throws Exception {
    RecordingListener l = new RecordingListener();

    transport.stream(TEAM_A, request(), OPTIONS, l);

    l.awaitDone();
    assertThat(l.response.status()).isEqualTo(200);
    assertThat(l.response.rateLimits().requests().limit()).isEqualTo(50);
    assertThat(l.eventNames()).startsWith("message_start").endsWith("message_delta", "message_stop");
    assertThat(l.eventNames()).contains("content_block_start", "content_block_delta",
        "content_block_stop");
    assertThat(l.calls).endsWith("complete");
    StreamEvent.MessageDelta last = (StreamEvent.MessageDelta) l.events.get(l.events.size() - 2);
    assertThat(last.stopReason()).isNotNull();
    assertThat(last.usage().outputTokens()).isPositive();
  }

  @Test
  void stream_midStreamErrorEventArrivesTypedThenCompletes() throws Exception {
    sim.faults().add(Fault.streamError(2).times(1));
    RecordingListener l = new RecordingListener();

    transport.stream(TEAM_A, request(), OPTIONS, l);

    l.awaitDone();
    assertThat(l.calls).endsWith("error", "complete");
    assertThat(l.eventNames()).doesNotContain("message_stop");
    assertThat(((StreamEvent.Error) l.events.get(l.events.size() - 1)).error())
        .isEqualTo(ApiError.of("overloaded_error", "Overloaded"));
  }

  @Test
  void stream_abruptDisconnectIsIncompleteStream() throws Exception {
    sim.faults().add(Fault.streamDisconnect(2).times(1));
    RecordingListener l = new RecordingListener();

    transport.stream(TEAM_A, request(), OPTIONS, l);

    assertThat(l.awaitDone().calls).endsWith("failure INCOMPLETE_STREAM");
    assertThat(l.eventNames()).contains("content_block_delta");
  }

  @Test
  void stream_stallLongerThanTheReadTimeoutIsTimeout() throws Exception {
    sim.faults().add(Fault.streamStall(1, Duration.ofSeconds(5), false).times(1));
    RecordingListener l = new RecordingListener();

    transport.stream(TEAM_A, request(), OPTIONS.withReadTimeout(Duration.ofMillis(300)), l);

    assertThat(l.awaitDone().calls).endsWith("failure TIMEOUT");
    assertThat(l.eventNames()).contains("content_block_delta");
    assertThat(sim.awaitDisconnect(Duration.ofSeconds(5))).isPresent();
  }

  @Test
  void stream_overloadedBeforeTheStreamIsAnErrorResponse() throws Exception {
    sim.faults().add(Fault.overloaded().times(1));
    RecordingListener l = new RecordingListener();

    transport.stream(TEAM_A, request(), OPTIONS, l);

    assertThat(l.awaitDone().calls).containsExactly("response 529", "complete");
    assertThat(l.response.error().orElseThrow().type()).isEqualTo("overloaded_error");
  }

  @Test
  void countTokens_returnsTheSimulatorsCount() throws Exception {
    ProviderResponse r = TestSupport.await(transport.countTokens(TEAM_A, request(), OPTIONS));

    assertThat(r.isSuccess()).as(r.toString()).isTrue();
    assertThat(r.tokenCount()).isPresent();
    assertThat(r.tokenCount().getAsLong()).isPositive();
  }
}
