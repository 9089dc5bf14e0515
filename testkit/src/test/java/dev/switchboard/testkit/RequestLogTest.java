package dev.switchboard.testkit;

import static dev.switchboard.testkit.Api.body;
import static dev.switchboard.testkit.Api.messages;
import static dev.switchboard.testkit.Api.streamBody;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RequestLogTest {
  static final String OPUS = "claude-opus-4-6";
  static final String HAIKU = "claude-haiku-4-5";
  static final String A = Simulator.Builder.PRESET_KEYS.get("team-a");
  static final String C = Simulator.Builder.PRESET_KEYS.get("team-c");
  final FakeTicker ticker = new FakeTicker();
  Simulator sim;

  @BeforeEach
  void start() {
    sim = Simulator.builder().preset().ticker(ticker).clock(ticker.clock())
        .limits("org-1", "opus-4", 10_000, 10_000_000, 10_000_000)
        .limits("org-1", "haiku-4-5", 10_000, 10_000_000, 10_000_000)
        .start();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void calls_recordEachRequestWithoutSecrets() {
    messages(sim, A, Api.body(OPUS, 10, "hello"));
    messages(sim, "sk-ant-wrong", Api.body(OPUS, 10, "hello"));

    List<RecordedCall> calls = sim.calls();

    assertThat(calls).hasSize(2);
    RecordedCall ok = calls.get(0);
    assertThat(ok.sequence()).isEqualTo(1);
    assertThat(ok.time()).isEqualTo(ticker.now());
    assertThat(ok.method()).isEqualTo("POST");
    assertThat(ok.path()).isEqualTo("/v1/messages");
    assertThat(ok.keyLabel()).isEqualTo("team-a");
    assertThat(ok.organization()).isEqualTo("org-1");
    assertThat(ok.model()).isEqualTo(OPUS);
    assertThat(ok.stream()).isFalse();
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.requestId()).startsWith("req_");
    assertThat(ok.completed()).isTrue();
    assertThat(ok.inputTokens()).isEqualTo(2);
    assertThat(ok.header("Anthropic-Version")).isEqualTo(Api.VERSION);
    assertThat(ok.header("x-api-key")).isNull();
    assertThat(ok.body()).contains("hello");
    assertThat(calls.get(1).keyLabel()).isNull();
    assertThat(calls.get(1).status()).isEqualTo(401);
    assertThat(calls.get(1).errorType()).isEqualTo("authentication_error");
    assertThat(calls.toString() + sim).doesNotContain("sk-ant");
  }

  @Test
  void callsFor_count_andClearLog() {
    messages(sim, A, body(OPUS, 10, "a"));
    messages(sim, A, streamBody(HAIKU, 10, "b"));
    messages(sim, C, body(OPUS, 10, "c"));

    assertThat(sim.callsFor("team-a")).hasSize(2);
    assertThat(sim.callsFor("team-c")).hasSize(1);
    assertThat(sim.callsForModel(HAIKU)).singleElement()
        .satisfies(c -> assertThat(c.stream()).isTrue());
    assertThat(sim.count(RecordedCall::stream)).isEqualTo(1);
    assertThat(sim.countStatus(200)).isEqualTo(3);

    sim.clearLog();

    assertThat(sim.calls()).isEmpty();
    messages(sim, A, body(OPUS, 10, "d"));
    assertThat(sim.calls()).singleElement().satisfies(c -> assertThat(c.sequence()).isEqualTo(4));
  }

  @Test
  void awaitCall_timesOutWithEmptyWhenNothingMatches() {
    assertThat(sim.awaitCall(c -> c.status() == 418, Duration.ofMillis(50))).isEmpty();
    assertThat(sim.awaitDisconnect(Duration.ofMillis(10))).isEmpty();
  }

  @Test
  void twoHundredConcurrentRequests_allSucceedOnLoopback() throws Exception {
    sim.faults().add(Fault.latency(Duration.ofMillis(100)));
    List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String b = i % 2 == 0 ? body(OPUS, 20, "question " + i) : streamBody(HAIKU, 20, "question " + i);
      HttpRequest req = Api.request(sim, "/v1/messages", i % 4 < 2 ? A : C, b)
          .header("anthropic-version", Api.VERSION).build();
      futures.add(Api.CLIENT.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
    }

    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

    for (CompletableFuture<HttpResponse<String>> f : futures) {
      assertThat(f.join().statusCode()).isEqualTo(200);
    }
    assertThat(sim.calls()).hasSize(200).allSatisfy(c -> assertThat(c.completed()).isTrue());
    assertThat(sim.calls().stream().map(RecordedCall::requestId).distinct()).hasSize(200);
  }

  @Test
  void keepAlive_servesManyRequestsOnOneConnection() {
    for (int i = 0; i < 20; i++) {
      assertThat(messages(sim, A, body(OPUS, 10, "again " + i)).statusCode()).isEqualTo(200);
    }
    assertThat(sim.calls()).hasSize(20);
  }
}
