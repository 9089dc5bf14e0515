package dev.switchboard.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.okhttp.OkHttpTransportProvider;
import dev.switchboard.schedule.FakeScheduler;
import dev.switchboard.spi.ApiKey;
import dev.switchboard.spi.AttemptOptions;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.StreamEvent;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.TransportConfig;
import dev.switchboard.spi.TransportException;
import dev.switchboard.stream.StreamOutcome.Kind;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.FakeTicker;
import dev.switchboard.testkit.RecordedCall;
import dev.switchboard.testkit.Simulator;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gate against the real OkHttp transport and the testkit simulator's stream faults. The HTTP
 * is real; the watchdogs run on a fake ticker, so timeouts fire when the test says.
 */
@Timeout(30)
class StreamSimulatorTest {
  private static final ApiKey KEY = ApiKey.of("team-a", "sk-ant-sim-team-a");
  private static final MessageRequest REQUEST = MessageRequest.builder()
      .model("claude-haiku-4-5").maxTokens(64).addUserMessage("Say something").build();
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final FakeTicker ticker = new FakeTicker();
  private final FakeScheduler scheduler = new FakeScheduler(ticker);
  private final RecordingHandler handler = new RecordingHandler();
  private final StreamDelivery delivery = StreamDelivery.to(handler, ticker);
  private final CompletableFuture<StreamOutcome> outcome = new CompletableFuture<>();
  private Simulator sim;
  private Transport transport;

  @BeforeEach
  void start() {
    sim = Simulator.builder().preset().pingInterval(Duration.ofMillis(20)).start();
    transport = new OkHttpTransportProvider().create(
        TransportConfig.builder().baseUrl(sim.baseUrl()).build());
  }

  @AfterEach
  void stop() {
    transport.close();
    sim.close();
  }

  private StreamGate stream() {
    StreamGate gate = StreamGate.builder(ticker, scheduler)
        .timeouts(new StreamTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(20),
            Duration.ofSeconds(5), Duration.ofSeconds(3)))
        .downstream(delivery::deliver)
        .observer(outcome::complete)
        .build();
    delivery.attach(gate);
    gate.start(l -> transport.stream(KEY, REQUEST, AttemptOptions.DEFAULT, l));
    return gate;
  }

  private StreamOutcome outcome() throws Exception {
    return outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void cleanStream_isPassedThroughAndAssembled() throws Exception {
    stream();
    StreamOutcome o = outcome();
    assertThat(o.kind()).isEqualTo(Kind.COMPLETE);
    delivery.complete(false);

    StreamResult r = handler.completions.get(0);
    assertThat(r.message().text()).isNotEmpty().isEqualTo(handler.text());
    assertThat(r.message().stopReason()).isNotNull();
    assertThat(r.message().usage()).isEqualTo(o.usage());
    assertThat(r.message().usage().outputTokens()).isPositive();
    assertThat(handler.names()).startsWith("message_start").endsWith("message_stop")
        .doesNotContain("ping", "error");
  }

  @Test
  void errorEventBeforeContent_reachesNobody() throws Exception {
    sim.faults().add(Fault.streamError(0));
    stream();

    StreamOutcome o = outcome();
    assertThat(o.kind()).isEqualTo(Kind.ERROR_EVENT);
    assertThat(o.error().orElseThrow().type()).isEqualTo("overloaded_error");
    assertThat(o.contentDelivered()).isFalse();
    assertThat(handler.events).isEmpty();
  }

  @Test
  void errorEventMidContent_isClassifiedAfterContent() throws Exception {
    sim.faults().add(Fault.streamError(2, "api_error", "Internal server error"));
    stream();

    StreamOutcome o = outcome();
    assertThat(o.kind()).isEqualTo(Kind.ERROR_EVENT);
    assertThat(o.error().orElseThrow().type()).isEqualTo("api_error");
    assertThat(o.contentDelivered()).isTrue();
    assertThat(handler.events.stream().filter(StreamEvent::isContent)).hasSize(2);
    delivery.interrupt(o);
    assertThat(((StreamInterruptedException) handler.errors.get(0)).partial().orElseThrow().text())
        .isEqualTo(handler.text());
  }

  @Test
  void abruptCloseMidContent_isBrokenAfterContent() throws Exception {
    sim.faults().add(Fault.streamDisconnect(1));
    stream();

    StreamOutcome o = outcome();
    assertThat(o.kind()).isEqualTo(Kind.BROKEN);
    assertThat(o.contentDelivered()).isTrue();
    assertThat(((TransportException) o.cause()).kind())
        .isEqualTo(TransportException.Kind.INCOMPLETE_STREAM);
  }

  @Test
  void stallBeforeHeaders_timesOutAtFirstByteAndDisconnects() throws Exception {
    sim.faults().add(Fault.stallBeforeHeaders(Duration.ofSeconds(20)));
    stream();
    assertThat(sim.awaitCall(c -> true, WAIT)).isPresent();

    scheduler.advance(Duration.ofSeconds(10));

    StreamOutcome o = outcome();
    assertThat(o.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(((StreamTimeoutException) o.cause()).phase())
        .isEqualTo(StreamTimeoutException.Phase.FIRST_BYTE);
    assertThat(sim.awaitDisconnect(WAIT)).isPresent();
  }

  @Test
  void stallWithOnlyPings_timesOutIdleAfterTheAllowanceAndDisconnects() throws Exception {
    sim.faults().add(Fault.streamStall(1, Duration.ofSeconds(20), true));
    stream();
    assertThat(handler.firstContent.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    scheduler.advance(Duration.ofSeconds(8));

    StreamOutcome o = outcome();
    assertThat(o.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(((StreamTimeoutException) o.cause()).phase())
        .isEqualTo(StreamTimeoutException.Phase.IDLE);
    assertThat(o.contentDelivered()).isTrue();
    RecordedCall gone = sim.awaitDisconnect(WAIT).orElseThrow();
    assertThat(gone.stream()).isTrue();
  }

  @Test
  void callerCancel_closesTheHttpCallAtOnce() throws Exception {
    sim.faults().add(Fault.streamStall(1, Duration.ofSeconds(20), false));
    stream();
    assertThat(handler.firstContent.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

    delivery.cancel();

    assertThat(outcome().kind()).isEqualTo(Kind.CANCELLED);
    assertThat(sim.awaitDisconnect(WAIT)).isPresent();
    assertThat(handler.errors).singleElement()
        .isInstanceOf(java.util.concurrent.CancellationException.class);
  }
}
