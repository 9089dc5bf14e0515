package dev.switchboard.testkit;

import static dev.switchboard.testkit.Api.body;
import static dev.switchboard.testkit.Api.errorMessage;
import static dev.switchboard.testkit.Api.errorType;
import static dev.switchboard.testkit.Api.events;
import static dev.switchboard.testkit.Api.header;
import static dev.switchboard.testkit.Api.messages;
import static dev.switchboard.testkit.Api.names;
import static dev.switchboard.testkit.Api.streamBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultTest {
  static final String OPUS = "claude-opus-4-6";
  static final String HAIKU = "claude-haiku-4-5";
  static final String A = Simulator.Builder.PRESET_KEYS.get("team-a");
  static final String C = Simulator.Builder.PRESET_KEYS.get("team-c");
  Simulator sim;

  @BeforeEach
  void start() {
    sim = Simulator.builder().preset().defaultLimits(10_000, 10_000_000, 10_000_000)
        .limits("org-1", "opus-4", 10_000, 10_000_000, 10_000_000)
        .limits("org-1", "haiku-4-5", 10_000, 10_000_000, 10_000_000)
        .pingInterval(Duration.ofMillis(20))
        .responseTokens(12, 12)
        .start();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void overloaded_timesN_answers529ThenRecovers() {
    Fault overload = Fault.overloaded().times(2);
    sim.faults().add(overload);

    HttpResponse<String> first = messages(sim, A, body(OPUS, 10, "x"));
    HttpResponse<String> second = messages(sim, A, body(OPUS, 10, "x"));
    HttpResponse<String> third = messages(sim, A, body(OPUS, 10, "x"));

    assertThat(first.statusCode()).isEqualTo(529);
    assertThat(errorType(first)).isEqualTo("overloaded_error");
    assertThat(errorMessage(first)).isEqualTo("Overloaded");
    assertThat(second.statusCode()).isEqualTo(529);
    assertThat(third.statusCode()).isEqualTo(200);
    assertThat(sim.faults().hits(overload)).isEqualTo(2);
    assertThat(sim.faults().active()).isEmpty();
    assertThat(sim.calls().get(0).fault()).isEqualTo("529 overloaded_error");
  }

  @Test
  void overloaded_forModel_leavesOtherModelsAlone() {
    sim.faults().add(Fault.overloaded().forModel(OPUS));

    assertThat(messages(sim, A, body(OPUS, 10, "x")).statusCode()).isEqualTo(529);
    assertThat(messages(sim, A, body(HAIKU, 10, "x")).statusCode()).isEqualTo(200);
  }

  @Test
  void fault_forKeyAndForOrganization_targetOnlyThose() {
    sim.faults().add(Fault.apiError().forKey("team-a"));
    sim.faults().add(Fault.gatewayTimeout().forOrganization("org-2"));

    HttpResponse<String> a = messages(sim, A, body(OPUS, 10, "x"));
    HttpResponse<String> b = messages(sim, Simulator.Builder.PRESET_KEYS.get("team-b"), body(OPUS, 10, "x"));
    HttpResponse<String> c = messages(sim, C, body(OPUS, 10, "x"));

    assertThat(a.statusCode()).isEqualTo(500);
    assertThat(errorType(a)).isEqualTo("api_error");
    assertThat(b.statusCode()).isEqualTo(200);
    assertThat(c.statusCode()).isEqualTo(504);
    assertThat(errorType(c)).isEqualTo("timeout_error");
  }

  @Test
  void remove_endsAnOpenEndedWindow() {
    Fault window = Fault.overloaded().forModel(OPUS);
    sim.faults().add(window);
    assertThat(messages(sim, A, body(OPUS, 10, "x")).statusCode()).isEqualTo(529);

    assertThat(sim.faults().remove(window)).isTrue();

    assertThat(messages(sim, A, body(OPUS, 10, "x")).statusCode()).isEqualTo(200);
  }

  @Test
  void badGateway_answersHtmlNotJson() {
    sim.faults().add(Fault.badGateway());

    HttpResponse<String> r = messages(sim, A, body(OPUS, 10, "x"));

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(header(r, "content-type")).isEqualTo("text/html");
    assertThat(r.body()).startsWith("<html>").contains("502 Bad Gateway");
    assertThat(header(r, "request-id")).isNotNull();
  }

  @Test
  void rateLimitedFault_answers429WithTheGivenRetryAfter() {
    sim.faults().add(Fault.rateLimited(Duration.ofMillis(7_200)).times(1));

    HttpResponse<String> r = messages(sim, A, body(OPUS, 10, "x"));

    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(errorType(r)).isEqualTo("rate_limit_error");
    assertThat(header(r, "retry-after")).isEqualTo("8");
  }

  @Test
  void shouldRetryAndCustomHeaders_areAddedWithoutChangingTheAnswer() {
    sim.faults().add(Fault.shouldRetry(false));
    sim.faults().add(Fault.header("retry-after-ms", "1500"));

    HttpResponse<String> ok = messages(sim, A, body(OPUS, 10, "x"));
    sim.faults().add(Fault.overloaded());
    HttpResponse<String> overloaded = messages(sim, A, body(OPUS, 10, "x"));

    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(header(ok, "x-should-retry")).isEqualTo("false");
    assertThat(header(overloaded, "x-should-retry")).isEqualTo("false");
    assertThat(header(overloaded, "retry-after-ms")).isEqualTo("1500");
  }

  @Test
  void resetBeforeHeaders_failsTheClientWithAnIoError() {
    sim.faults().add(Fault.resetBeforeHeaders().times(1));

    assertThatThrownBy(() -> messages(sim, A, body(OPUS, 10, "x")))
        .hasCauseInstanceOf(IOException.class);
    assertThat(sim.calls().get(0).status()).isZero();
    assertThat(messages(sim, A, body(OPUS, 10, "x")).statusCode()).isEqualTo(200);
  }

  @Test
  void latency_delaysTheHeaders() {
    sim.faults().add(Fault.latency(Duration.ofMillis(200)));
    long start = System.nanoTime();

    HttpResponse<String> r = messages(sim, A, body(OPUS, 10, "x"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void stallBeforeHeaders_longerThanClientTimeout_isSeenAsDisconnect() {
    sim.faults().add(Fault.stallBeforeHeaders(Duration.ofSeconds(30)));

    assertThatThrownBy(() -> Api.CLIENT.send(Api.request(sim, "/v1/messages", A, body(OPUS, 10, "x"))
        .header("anthropic-version", Api.VERSION).timeout(Duration.ofMillis(300)).build(),
        HttpResponse.BodyHandlers.ofString())).isInstanceOf(HttpTimeoutException.class);

    Optional<RecordedCall> gone = sim.awaitDisconnect(Duration.ofSeconds(10));
    assertThat(gone).isPresent();
    assertThat(gone.get().status()).isZero();
    assertThat(gone.get().completed()).isFalse();
    assertThat(gone.get().fault()).startsWith("stall 30000ms");
  }

  @Test
  void streamError_sendsAnErrorEventAfterKDeltasAndNoMessageStop() {
    sim.faults().add(Fault.streamError(2));

    HttpResponse<String> r = messages(sim, A, streamBody(HAIKU, 100, "x"));

    assertThat(r.statusCode()).isEqualTo(200);
    List<Api.Event> events = events(r.body());
    assertThat(names(events)).containsExactly("message_start", "content_block_start", "ping",
        "content_block_delta", "content_block_delta", "error");
    assertThat(events.get(5).rawData())
        .isEqualTo("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
    RecordedCall call = sim.calls().get(0);
    assertThat(call.errorType()).isEqualTo("overloaded_error");
    assertThat(call.outputTokens()).isEqualTo(6);
  }

  @Test
  void streamDisconnect_closesTheConnectionMidBody() {
    sim.faults().add(Fault.streamDisconnect(1));

    assertThatThrownBy(() -> messages(sim, A, streamBody(HAIKU, 100, "x")))
        .hasCauseInstanceOf(IOException.class);
    RecordedCall call = sim.calls().get(0);
    assertThat(call.status()).isEqualTo(200);
    assertThat(call.outputTokens()).isEqualTo(3);
    assertThat(call.clientDisconnected()).isFalse();
  }

  @Test
  void streamStall_withPings_sendsPingsThenFinishes() {
    sim.faults().add(Fault.streamStall(1, Duration.ofMillis(200), true));

    HttpResponse<String> r = messages(sim, A, streamBody(HAIKU, 100, "x"));

    List<String> names = names(events(r.body()));
    int firstDelta = names.indexOf("content_block_delta");
    assertThat(names.get(firstDelta + 1)).isEqualTo("ping");
    assertThat(names.stream().filter("ping"::equals).count()).isGreaterThanOrEqualTo(3);
    assertThat(names.get(names.size() - 1)).isEqualTo("message_stop");
  }

  @Test
  void streamStall_withoutPings_isSilent() {
    sim.faults().add(Fault.streamStall(1, Duration.ofMillis(100), false));

    List<String> names = names(events(messages(sim, A, streamBody(HAIKU, 100, "x")).body()));

    assertThat(names.stream().filter("ping"::equals).count()).isEqualTo(1);
    assertThat(names.get(names.size() - 1)).isEqualTo("message_stop");
  }

  @Test
  void streamFaults_doNotTouchNonStreamingCalls() {
    Fault f = Fault.streamError(0);
    sim.faults().add(f);

    assertThat(messages(sim, A, body(HAIKU, 100, "x")).statusCode()).isEqualTo(200);
    assertThat(sim.faults().hits(f)).isZero();
  }

  @Test
  void clientCancellingAStream_isRecordedAsDisconnect() throws Exception {
    sim.faults().add(Fault.streamStall(1, Duration.ofSeconds(30), false));
    HttpResponse<InputStream> r = Api.CLIENT.send(Api.request(sim, "/v1/messages", A,
        streamBody(HAIKU, 100, "x")).header("anthropic-version", Api.VERSION).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    InputStream in = r.body();
    StringBuilder seen = new StringBuilder();
    byte[] buf = new byte[256];
    while (!seen.toString().contains("content_block_delta")) {
      int n = in.read(buf);
      assertThat(n).isPositive();
      seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
    }

    in.close();

    Optional<RecordedCall> gone = sim.awaitDisconnect(Duration.ofSeconds(10));
    assertThat(gone).isPresent();
    assertThat(gone.get().status()).isEqualTo(200);
    assertThat(gone.get().outputTokens()).isEqualTo(3);
    assertThat(gone.get().completed()).isFalse();
  }

  @Test
  void faults_doNotApplyToRequestsThatFailEarlier() {
    Fault f = Fault.overloaded();
    sim.faults().add(f);
    sim.setKeyState("team-a", Simulator.KeyState.REVOKED);

    assertThat(messages(sim, A, body(OPUS, 10, "x")).statusCode()).isEqualTo(401);
    assertThat(messages(sim, C, body("claude-unknown", 10, "x")).statusCode()).isEqualTo(404);
    assertThat(sim.faults().hits(f)).isZero();
  }
}
