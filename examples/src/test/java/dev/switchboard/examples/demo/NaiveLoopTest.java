package dev.switchboard.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.ApiKey;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.Providers;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.TransportConfig;
import dev.switchboard.spi.TransportProvider;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.RecordedCall;
import dev.switchboard.testkit.Simulator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NaiveLoopTest {
  private Simulator sim;
  private Transport transport;
  private ScheduledExecutorService timer;
  private Tally tally;
  private NaiveLoop loop;

  @BeforeEach
  void start() {
    sim = Simulator.withDefaults();
    transport = Providers.find(TransportProvider.class, "okhttp", getClass().getClassLoader())
        .create(TransportConfig.builder().baseUrl(sim.baseUrl()).build());
    timer = Executors.newSingleThreadScheduledExecutor();
    tally = new Tally("naive");
    List<ApiKey> keys = List.of(
        ApiKey.of("team-a", Simulator.Builder.PRESET_KEYS.get("team-a")),
        ApiKey.of("team-c", Simulator.Builder.PRESET_KEYS.get("team-c")));
    loop = new NaiveLoop(transport, keys, tally, timer, Duration.ofMillis(1));
  }

  @AfterEach
  void stop() {
    timer.shutdownNow();
    transport.close();
    sim.close();
  }

  @Test
  void call_takesTheKeysRoundRobin() throws Exception {
    assertThat(call(0).failure()).isNull();
    assertThat(call(1).failure()).isNull();
    assertThat(call(2).failure()).isNull();

    assertThat(sim.calls()).extracting(RecordedCall::keyLabel)
        .containsExactly("team-a", "team-c", "team-a");
  }

  @Test
  void call_retriesA429OnTheSameKeyAfterRetryAfter() throws Exception {
    sim.faults().add(Fault.rateLimited(Duration.ZERO).times(2));

    Driver.Ending ending = call(0);

    assertThat(ending.failure()).isNull();
    assertThat(ending.costUsd()).isPositive();
    assertThat(sim.calls()).extracting(RecordedCall::status).containsExactly(429, 429, 200);
    assertThat(sim.calls()).extracting(RecordedCall::keyLabel).containsOnly("team-a");
    assertThat(tally.rateLimitedAttempts.sum()).isEqualTo(2);
  }

  @Test
  void call_givesUpAfterFiveRetriesOfA429() throws Exception {
    sim.faults().add(Fault.rateLimited(Duration.ZERO).times(10));

    Driver.Ending ending = call(0);

    assertThat(ending.failure()).isEqualTo("429 after 5 retries");
    assertThat(sim.calls()).hasSize(6);
  }

  @Test
  void call_retriesOtherErrorsThreeTimesThenFails() throws Exception {
    sim.setKeyState("team-a", Simulator.KeyState.REVOKED);

    Driver.Ending ending = call(0);

    assertThat(ending.failure()).isEqualTo("HTTP 401");
    assertThat(sim.calls()).hasSize(4).extracting(RecordedCall::keyLabel).containsOnly("team-a");
    assertThat(tally.row("team-a", "claude-opus-4-6").errors.sum()).isEqualTo(4);
  }

  @Test
  void call_streamed_countsTheEventsAndTheFirstToken() throws Exception {
    Driver.Ending ending = stream(0);

    assertThat(ending.failure()).isNull();
    assertThat(ending.costUsd()).isPositive();
    assertThat(ending.stream()).isNotNull().satisfies(s -> {
      // message_start, block start, delta(s), block stop, message_delta, message_stop
      assertThat(s.events()).isGreaterThanOrEqualTo(6);
      assertThat(s.timeToFirstTokenNanos()).isPositive();
      assertThat(s.interrupted()).isFalse();
      assertThat(s.continued()).isFalse();
    });
    assertThat(sim.calls()).singleElement().satisfies(c -> assertThat(c.stream()).isTrue());
  }

  @Test
  void call_streamBrokenAfterContent_isSentAgainFromScratchOnTheSameKey() throws Exception {
    sim.faults().add(Fault.streamDisconnect(2).times(1));

    Driver.Ending ending = stream(0);

    assertThat(ending.failure()).isNull();
    assertThat(ending.stream().interrupted()).isTrue();
    assertThat(ending.stream().continued()).isFalse();
    assertThat(sim.calls()).hasSize(2).allSatisfy(c -> assertThat(c.stream()).isTrue())
        .extracting(RecordedCall::keyLabel).containsOnly("team-a");
    assertThat(tally.row("team-a", "claude-opus-4-6").errors.sum()).isEqualTo(1);
  }

  @Test
  void call_streamErrorBeforeContent_isRetriedWithoutCountingAnInterruption() throws Exception {
    sim.faults().add(Fault.streamError(0).times(1));

    Driver.Ending ending = stream(0);

    assertThat(ending.failure()).isNull();
    assertThat(ending.stream().interrupted()).isFalse();
    assertThat(sim.calls()).hasSize(2);
  }

  @Test
  void call_streamThatKeepsBreaking_failsAfterThreeRetries() throws Exception {
    sim.faults().add(Fault.streamError(1));

    Driver.Ending ending = stream(0);

    assertThat(ending.failure()).isEqualTo("stream error overloaded_error");
    assertThat(ending.stream().interrupted()).isTrue();
    assertThat(sim.calls()).hasSize(4);
  }

  private Driver.Ending call(int index) throws Exception {
    return loop.call(spec(index, false)).get(10, TimeUnit.SECONDS);
  }

  private Driver.Ending stream(int index) throws Exception {
    return loop.call(spec(index, true)).get(10, TimeUnit.SECONDS);
  }

  private static Workload.CallSpec spec(int index, boolean stream) {
    MessageRequest request = MessageRequest.builder().model("claude-opus-4-6").maxTokens(64)
        .addUserMessage("Hello " + index).build();
    return new Workload.CallSpec(index, "tenant-01", Workload.ServiceClass.STANDARD, 0, request,
        Duration.ofSeconds(10), Duration.ofSeconds(5), false, false, stream);
  }
}
