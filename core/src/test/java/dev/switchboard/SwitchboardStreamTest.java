package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.switchboard.schedule.FakeScheduler;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.Outcome;
import dev.switchboard.spi.RouterEvent;
import dev.switchboard.spi.TransportException;
import dev.switchboard.stream.RecordingHandler;
import dev.switchboard.stream.StreamInterruptedException;
import dev.switchboard.stream.StreamTimeoutException;
import dev.switchboard.stream.StreamTimeouts;
import dev.switchboard.testkit.FakeTicker;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.RecordedCall;
import dev.switchboard.testkit.Simulator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Switchboard#stream} over real HTTP against the simulator, one test per failure point:
 * before the headers, after the headers before content, mid-content, an idle stall with only
 * pings, an abrupt close; plus cancellation and a handler that throws. Where a timeout decides,
 * the router runs on a fake ticker and scheduler and the test moves time.
 */
@Timeout(60)
class SwitchboardStreamTest {
  static final String OPUS = "claude-opus-4-6";
  static final String SONNET = "claude-sonnet-4-6";
  static final String HAIKU = "claude-haiku-4-5";
  static final String[][] KEYS = {
      {"k1", "sk-ant-stream-k1-secret", "org-1"}, {"k2", "sk-ant-stream-k2-secret", "org-1"},
      {"k3", "sk-ant-stream-k3-secret", "org-2"}};
  static final StreamTimeouts TIMEOUTS = new StreamTimeouts(Duration.ofSeconds(10),
      Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofSeconds(3));
  private static final long WAIT_SECONDS = 20;

  private final Fixtures.Events events = new Fixtures.Events();
  private final RecordingHandler handler = new RecordingHandler();
  private Simulator sim;
  private Switchboard router;

  static Simulator.Builder simulator() {
    Simulator.Builder b = Simulator.builder().model(OPUS, "opus-4", 200_000)
        .model(SONNET, "sonnet-4", 200_000).model(HAIKU, "haiku-4-5", 200_000)
        .defaultLimits(100_000, 100_000_000, 100_000_000).pingInterval(Duration.ofMillis(20))
        .responseTokens(20, 40);
    for (String[] k : KEYS) {
      b.key(k[0], k[1], k[2]);
    }
    return b;
  }

  static Switchboard.Builder router(Simulator sim, Fixtures.Events events) {
    Switchboard.Builder b = Switchboard.builder();
    for (String[] k : KEYS) {
      b.key(k[0], k[1], k[2]);
    }
    return b.model(OPUS).fallbackTo(SONNET).fallbackTo(HAIKU).baseUrl(sim.baseUrl().toString())
        .strategy(Fixtures.FIRST).listener(events).streamTimeouts(TIMEOUTS)
        .backoff(Duration.ofMillis(1), Duration.ofMillis(5));
  }

  static MessageRequest request() {
    return MessageRequest.builder().model(OPUS).maxTokens(200)
        .addUserMessage("Tell me about the sea in a few sentences.").build();
  }

  @BeforeEach
  void startSimulator() {
    sim = simulator().start();
  }

  @AfterEach
  void stop() {
    if (router != null) {
      router.close();
    }
    sim.close();
  }

  private CompletableFuture<RoutedResponse> stream(Switchboard.Builder b) {
    router = b.build();
    return router.stream(request(), CallOptions.forUser("u1"), handler);
  }

  private static RoutedResponse await(CompletableFuture<RoutedResponse> f) throws Exception {
    return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(CompletableFuture<RoutedResponse> f) {
    Throwable t = catchThrowable(() -> f.get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertThat(t).isInstanceOf(ExecutionException.class);
    return t.getCause();
  }

  /** The caller saw one clean stream: one start, one stop, no ping or error, one terminal. */
  private void assertOneCleanStream(RoutedResponse r) {
    assertThat(handler.count("message_start")).isEqualTo(1);
    assertThat(handler.count("message_stop")).isEqualTo(1);
    assertThat(handler.names()).startsWith("message_start").endsWith("message_stop")
        .doesNotContain("ping", "error");
    assertThat(handler.errors).isEmpty();
    assertThat(handler.completions).singleElement().satisfies(c -> {
      assertThat(c.message().text()).isEqualTo(handler.text());
    });
    assertThat(r.response().text()).isNotEmpty().isEqualTo(handler.text());
    assertThat(router.snapshot().inFlight()).isEmpty();
  }

  private RouterEvent.StreamFinished streamFinished() {
    return events.of(RouterEvent.StreamFinished.class).get(0);
  }

  // ------------------------------------------------------------------ clean

  @Test
  void cleanStream_deliversTypedEventsAndCompletesWithStats() throws Exception {
    RoutedResponse r = await(stream(router(sim, events)));

    assertOneCleanStream(r);
    assertThat(r.attempts()).singleElement().satisfies(a -> assertThat(a.outcome())
        .isEqualTo(Outcome.SUCCESS));
    assertThat(r.model()).isEqualTo(OPUS);
    assertThat(r.keyAlias()).isEqualTo("k1");
    assertThat(r.continued()).isFalse();
    assertThat(r.stream()).isPresent();
    assertThat(r.stream().orElseThrow().timeToFirstToken()).isPresent();
    assertThat(r.cost()).isPositive();
    RouterEvent.StreamFinished sf = streamFinished();
    assertThat(sf.outcome()).isEqualTo(RouterEvent.StreamEnd.COMPLETE);
    assertThat(sf.outputTokens()).isEqualTo(r.response().usage().outputTokens()).isPositive();
    assertThat(sf.timeToFirstTokenNanos()).isNotNegative();
    assertThat(sf.durationNanos()).isGreaterThanOrEqualTo(sf.timeToFirstTokenNanos());
    // StreamFinished comes before CallFinished, and both exactly once
    List<RouterEvent> ends = events.all.stream().filter(e -> e instanceof RouterEvent.StreamFinished
        || e instanceof RouterEvent.CallFinished).toList();
    assertThat(ends).hasSize(2).first().isInstanceOf(RouterEvent.StreamFinished.class);
    assertThat(sim.calls()).singleElement().satisfies(c -> assertThat(c.stream()).isTrue());
  }

  // ------------------------------------------------------------------ before the headers

  @Test
  void overloadedBeforeTheStreamStarts_failsOverInvisibly() throws Exception {
    sim.faults().add(Fault.overloaded().times(1));

    RoutedResponse r = await(stream(router(sim, events)));

    assertOneCleanStream(r);
    assertThat(r.attempts()).extracting(AttemptRecord::outcome)
        .containsExactly(Outcome.SERVER_ERROR, Outcome.SUCCESS);
    assertThat(r.attempts().get(0).status()).isEqualTo(529);
  }

  @Test
  void rateLimitedBeforeTheStreamStarts_coolsThePoolAndMovesToAnotherOrganization()
      throws Exception {
    sim.faults().add(Fault.rateLimited(Duration.ofSeconds(30)).times(1));

    RoutedResponse r = await(stream(router(sim, events)));

    assertOneCleanStream(r);
    assertThat(r.attempts()).extracting(AttemptRecord::outcome)
        .containsExactly(Outcome.RATE_LIMITED, Outcome.SUCCESS);
    assertThat(r.keyAlias()).isEqualTo("k3"); // k1 and k2 share org-1's cooled-down pool
    assertThat(events.of(RouterEvent.CooledDown.class)).singleElement()
        .satisfies(c -> assertThat(c.keyAlias()).isEqualTo("k1"));
  }

  @Test
  void stallBeforeHeaders_timesOutAtFirstByteClosesTheCallAndMovesOn() throws Exception {
    FakeTicker ticker = new FakeTicker();
    FakeScheduler scheduler = new FakeScheduler(ticker);
    sim.faults().add(Fault.stallBeforeHeaders(Duration.ofSeconds(30)).times(1));
    CompletableFuture<RoutedResponse> f = stream(router(sim, events).ticker(ticker)
        .clock(ticker.clock()).scheduler(scheduler));
    assertThat(sim.awaitCall(c -> true, Duration.ofSeconds(WAIT_SECONDS))).isPresent();
    assertThat(f).isNotDone();

    scheduler.advance(TIMEOUTS.firstByte());

    RoutedResponse r = await(f);
    assertOneCleanStream(r);
    assertThat(r.attempts()).extracting(AttemptRecord::outcome)
        .containsExactly(Outcome.NETWORK, Outcome.SUCCESS);
    assertThat(r.attempts().get(0).reason())
        .isEqualTo("timed out: no response headers within " + TIMEOUTS.firstByte());
    assertThat(sim.awaitDisconnect(Duration.ofSeconds(WAIT_SECONDS))).isPresent();
  }

  // ------------------------------------------------------------------ after headers, before content

  @Test
  void errorEventBeforeContent_failsOverInvisibly() throws Exception {
    sim.faults().add(Fault.streamError(0).times(1));

    RoutedResponse r = await(stream(router(sim, events)));

    assertOneCleanStream(r);
    assertThat(r.attempts()).extracting(AttemptRecord::outcome)
        .containsExactly(Outcome.SERVER_ERROR, Outcome.SUCCESS);
    assertThat(r.attempts().get(0).status()).isEqualTo(529); // overloaded_error, as a 529
    assertThat(sim.calls()).hasSize(2);
  }

  @Test
  void abruptCloseBeforeContent_failsOverInvisibly() throws Exception {
    sim.faults().add(Fault.streamDisconnect(0).times(1));

    RoutedResponse r = await(stream(router(sim, events)));

    assertOneCleanStream(r);
    assertThat(r.attempts()).extracting(AttemptRecord::outcome)
        .containsExactly(Outcome.NETWORK, Outcome.SUCCESS);
  }

  @Test
  void pingsOnlyBeforeContent_timeOutAndMoveOnInvisibly() throws Exception {
    FakeTicker ticker = new FakeTicker();
    FakeScheduler scheduler = new FakeScheduler(ticker);
    sim.faults().add(Fault.streamStall(0, Duration.ofSeconds(30), true).times(1));
    CompletableFuture<RoutedResponse> f = stream(router(sim, events).ticker(ticker)
        .clock(ticker.clock()).scheduler(scheduler));
    assertThat(sim.awaitCall(c -> c.status() == 200, Duration.ofSeconds(WAIT_SECONDS)))
        .isPresent();

    // the headers may reach the gate a moment after the simulator logged them; fake time only
    // moves while the first attempt is still open, so the second one runs undisturbed
    for (int i = 0; i < 5 && events.of(RouterEvent.AttemptFinished.class).isEmpty(); i++) {
      scheduler.advance(TIMEOUTS.idle());
      if (events.of(RouterEvent.AttemptFinished.class).isEmpty()) {
        handler.firstContent.await(200, TimeUnit.MILLISECONDS); // a bounded pause for real I/O
      }
    }

    RoutedResponse r = await(f);
    assertOneCleanStream(r);
    assertThat(r.attempts()).extracting(AttemptRecord::outcome)
        .containsExactly(Outcome.NETWORK, Outcome.SUCCESS);
    assertThat(sim.awaitDisconnect(Duration.ofSeconds(WAIT_SECONDS))).isPresent();
  }

  // ------------------------------------------------------------------ mid-content

  @Test
  void errorEventMidContent_endsWithATypedInterruptionCarryingThePartialAnswer() throws Exception {
    sim.faults().add(Fault.streamError(2).times(1));
    CompletableFuture<RoutedResponse> f = stream(router(sim, events));

    Throwable t = failureOf(f);

    assertThat(t).isInstanceOf(StreamInterruptedException.class);
    StreamInterruptedException si = (StreamInterruptedException) t;
    assertThat(si.contentDelivered()).isTrue();
    assertThat(si.partial().orElseThrow().text()).isNotEmpty().isEqualTo(handler.text());
    assertThat(si.usage().inputTokens()).isPositive();
    assertThat(si.getCause()).isInstanceOf(StreamInterruptedException.ApiErrorException.class);
    assertThat(((StreamInterruptedException.ApiErrorException) si.getCause()).error().type())
        .isEqualTo("overloaded_error");
    assertThat(handler.errors).singleElement().isSameAs(si);
    assertThat(handler.completions).isEmpty();
    assertThat(handler.count("message_stop")).isZero();
    assertThat(sim.calls()).hasSize(1); // no retry once the caller has seen content
    assertThat(streamFinished().outcome()).isEqualTo(RouterEvent.StreamEnd.INTERRUPTED);
    assertThat(router.snapshot().inFlight()).isEmpty();
  }

  @Test
  void errorEventMidContent_withContinuation_isOneContinuousAnswer() throws Exception {
    sim.faults().add(Fault.streamError(2).times(1));

    RoutedResponse r = await(stream(router(sim, events).continueInterruptedStreams(true)));

    assertOneCleanStream(r);
    assertThat(r.continued()).isTrue();
    assertThat(r.attempts()).extracting(AttemptRecord::outcome)
        .containsExactly(Outcome.SERVER_ERROR, Outcome.SUCCESS);
    List<RecordedCall> calls = sim.calls();
    assertThat(calls).hasSize(2);
    // the second request carries the first attempt's partial answer as an assistant prefill
    assertThat(calls.get(1).body()).contains("\"assistant\"");
    assertThat(streamFinished().continued()).isTrue();
    assertThat(r.response().usage().outputTokens())
        .isEqualTo(streamFinished().outputTokens());
  }

  @Test
  void continuationCanBeTurnedOnPerCall() throws Exception {
    sim.faults().add(Fault.streamDisconnect(2).times(1));
    router = router(sim, events).build();

    RoutedResponse r = await(router.stream(request(),
        CallOptions.forUser("u1").continueInterrupted(true), handler));

    assertOneCleanStream(r);
    assertThat(r.continued()).isTrue();
  }

  @Test
  void abruptCloseMidContent_endsWithATypedInterruption() throws Exception {
    sim.faults().add(Fault.streamDisconnect(1).times(1));
    CompletableFuture<RoutedResponse> f = stream(router(sim, events));

    Throwable t = failureOf(f);

    assertThat(t).isInstanceOf(StreamInterruptedException.class);
    assertThat(t.getCause()).isInstanceOf(TransportException.class);
    assertThat(((TransportException) t.getCause()).kind())
        .isEqualTo(TransportException.Kind.INCOMPLETE_STREAM);
    assertThat(((StreamInterruptedException) t).partial().orElseThrow().text())
        .isEqualTo(handler.text()).isNotEmpty();
    assertThat(handler.terminals()).isEqualTo(1);
  }

  @Test
  void idleStallWithOnlyPingsMidContent_interruptsAfterTheAllowanceAndCloses() throws Exception {
    FakeTicker ticker = new FakeTicker();
    FakeScheduler scheduler = new FakeScheduler(ticker);
    sim.faults().add(Fault.streamStall(1, Duration.ofSeconds(30), true).times(1));
    CompletableFuture<RoutedResponse> f = stream(router(sim, events).ticker(ticker)
        .clock(ticker.clock()).scheduler(scheduler));
    assertThat(handler.firstContent.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

    scheduler.advance(TIMEOUTS.idle().minusSeconds(1));
    assertThat(f).isNotDone(); // not before the idle gap
    scheduler.advance(TIMEOUTS.pingAllowance().plusSeconds(1));

    Throwable t = failureOf(f);
    assertThat(t).isInstanceOf(StreamInterruptedException.class);
    assertThat(t.getCause()).isInstanceOf(StreamTimeoutException.class);
    assertThat(((StreamTimeoutException) t.getCause()).phase())
        .isEqualTo(StreamTimeoutException.Phase.IDLE);
    assertThat(sim.awaitDisconnect(Duration.ofSeconds(WAIT_SECONDS))).isPresent();
    assertThat(handler.errors).singleElement().isSameAs(t);
  }

  // ------------------------------------------------------------------ the caller

  @Test
  void callerCancel_closesTheHttpCallAtOnce() throws Exception {
    sim.faults().add(Fault.streamStall(1, Duration.ofSeconds(30), false).times(1));
    CompletableFuture<RoutedResponse> f = stream(router(sim, events));
    assertThat(handler.firstContent.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

    f.cancel(true);

    RecordedCall gone = sim.awaitDisconnect(Duration.ofSeconds(WAIT_SECONDS)).orElseThrow();
    assertThat(gone.stream()).isTrue();
    assertThat(handler.errors).singleElement().isInstanceOf(CancellationException.class);
    assertThat(handler.completions).isEmpty();
    assertThat(streamFinished().outcome()).isEqualTo(RouterEvent.StreamEnd.CANCELLED);
    assertThat(router.snapshot().inFlight()).isEmpty();
  }

  @Test
  void handlerThatThrows_endsTheStreamWithItsExceptionAndClosesTheCall() throws Exception {
    sim.faults().add(Fault.streamStall(1, Duration.ofSeconds(30), false).times(1));
    IllegalStateException boom = new IllegalStateException("the caller's handler broke");
    RecordingHandler throwing = new RecordingHandler() {
      @Override
      public void onEvent(dev.switchboard.spi.StreamEvent event) {
        super.onEvent(event);
        if (event.isContent()) {
          throw boom;
        }
      }
    };
    router = router(sim, events).build();
    CompletableFuture<RoutedResponse> f = router.stream(request(), CallOptions.DEFAULT, throwing);

    Throwable t = failureOf(f);

    assertThat(t).isSameAs(boom);
    assertThat(throwing.errors).singleElement().isSameAs(boom);
    assertThat(sim.awaitDisconnect(Duration.ofSeconds(WAIT_SECONDS))).isPresent();
    assertThat(sim.calls()).hasSize(1);
  }

  @Test
  void noRouteBeforeAnyContent_reachesTheHandlerAsTheRoutingFailure() throws Exception {
    sim.faults().add(Fault.error(401, "authentication_error", "invalid x-api-key"));
    CompletableFuture<RoutedResponse> f = stream(router(sim, events));

    Throwable t = failureOf(f);

    assertThat(t).isInstanceOf(SwitchboardException.class);
    assertThat(handler.errors).singleElement().isSameAs(t);
    assertThat(handler.events).isEmpty();
    assertThat(streamFinished().outcome()).isEqualTo(RouterEvent.StreamEnd.FAILED);
  }

  // ------------------------------------------------------------------ secrets

  @Test
  void secrets_neverAppearInAStreamsEventsExceptionsResultsOrLogs() throws Exception {
    sim.setKeyState("k1", Simulator.KeyState.REVOKED);
    sim.faults().add(Fault.streamError(2).times(1));
    java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
    java.io.PrintStream originalErr = System.err;
    System.setErr(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    try {
      Throwable t = failureOf(stream(router(sim, events)));
      java.io.StringWriter trace = new java.io.StringWriter();
      t.printStackTrace(new java.io.PrintWriter(trace));
      seen.append(trace).append('\n');
      events.all.forEach(e -> seen.append(e).append('\n'));
      handler.errors.forEach(e -> seen.append(e).append('\n'));
      seen.append(router.snapshot()).append('\n').append(router);
    } finally {
      System.setErr(originalErr);
    }
    seen.append(log.toString(java.nio.charset.StandardCharsets.UTF_8));

    assertThat(events.of(RouterEvent.KeyDisabled.class)).singleElement()
        .satisfies(k -> assertThat(k.keyAlias()).isEqualTo("k1"));
    assertThat(seen.toString()).contains("k1").contains("StreamInterruptedException");
    for (String[] k : KEYS) {
      assertThat(seen.toString()).doesNotContain(k[1]);
    }
  }
}
