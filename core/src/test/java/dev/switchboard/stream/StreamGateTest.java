package dev.switchboard.stream;

import static dev.switchboard.stream.Events.delta;
import static dev.switchboard.stream.Events.json;
import static dev.switchboard.stream.Events.messageStop;
import static dev.switchboard.stream.Events.overloaded;
import static dev.switchboard.stream.Events.ping;
import static dev.switchboard.stream.Events.start;
import static dev.switchboard.stream.Events.stop;
import static dev.switchboard.stream.Events.text;
import static dev.switchboard.stream.Events.textStart;
import static dev.switchboard.stream.Events.toolStart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.schedule.FakeScheduler;
import dev.switchboard.spi.ApiError;
import dev.switchboard.spi.ProviderResponse;
import dev.switchboard.spi.StreamCall;
import dev.switchboard.spi.TransportException;
import dev.switchboard.spi.Usage;
import dev.switchboard.stream.StreamOutcome.Kind;
import dev.switchboard.stream.StreamTimeoutException.Phase;
import dev.switchboard.testkit.FakeTicker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StreamGateTest {
  private static final ProviderResponse OK = ProviderResponse.builder(200).requestId("req_1").build();
  private static final StreamTimeouts TIMEOUTS = new StreamTimeouts(Duration.ofSeconds(10),
      Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofSeconds(3));

  private final FakeTicker ticker = new FakeTicker();
  private final FakeScheduler scheduler = new FakeScheduler(ticker);
  private final Recorder rec = new Recorder();
  private ScriptedCall call;

  private StreamGate started(StreamGate.Builder builder) {
    StreamGate gate = builder.downstream(rec).observer(rec).build();
    gate.start(l -> call = new ScriptedCall(l));
    return gate;
  }

  private StreamGate started() {
    return started(StreamGate.builder(ticker, scheduler).timeouts(TIMEOUTS));
  }

  @Test
  void events_areBufferedUntilTheFirstContentDeltaThenPassedThrough() {
    StreamGate gate = started();
    gate.onResponse(OK);
    gate.onEvent(start("msg_1", 25));
    gate.onEvent(textStart(0));
    gate.onEvent(ping());
    assertThat(rec.events).isEmpty();
    assertThat(gate.contentDelivered()).isFalse();

    gate.onEvent(text(0, "Hel"));
    assertThat(rec.names()).containsExactly("message_start", "content_block_start",
        "content_block_delta");
    gate.onEvent(ping());
    gate.onEvent(text(0, "lo"));
    gate.onEvent(stop(0));
    gate.onEvent(delta("end_turn", 15));
    gate.onEvent(messageStop());
    call.listener.onComplete();

    assertThat(rec.names()).containsExactly("message_start", "content_block_start",
        "content_block_delta", "content_block_delta", "content_block_stop", "message_delta",
        "message_stop");
    StreamOutcome o = rec.outcome();
    assertThat(o.kind()).isEqualTo(Kind.COMPLETE);
    assertThat(o.contentDelivered()).isTrue();
    assertThat(o.message().orElseThrow().text()).isEqualTo("Hello");
    assertThat(o.message().orElseThrow().stopReason()).isEqualTo("end_turn");
    assertThat(o.usage()).isEqualTo(Usage.of(25, 15));
    assertThat(rec.headers).containsExactly(OK);
    assertThat(scheduler.pending()).isZero();
    assertThat(call.isCancelled()).isFalse();
  }

  @Test
  void streamWithoutContent_isFlushedAtMessageStop() {
    StreamGate gate = started();
    gate.onResponse(OK);
    gate.onEvent(start("msg_1", 3));
    gate.onEvent(delta("max_tokens", 0));
    assertThat(rec.events).isEmpty();
    gate.onEvent(messageStop());

    assertThat(rec.names()).containsExactly("message_start", "message_delta", "message_stop");
    assertThat(rec.outcome().kind()).isEqualTo(Kind.COMPLETE);
    assertThat(rec.outcome().contentDelivered()).isFalse();
  }

  @Test
  void failureBeforeHeaders_isBrokenBeforeContentWithoutMessage() {
    started();
    call.listener.onFailure(new TransportException(TransportException.Kind.RESET, "reset"));

    StreamOutcome o = rec.outcome();
    assertThat(o.kind()).isEqualTo(Kind.BROKEN);
    assertThat(o.contentDelivered()).isFalse();
    assertThat(o.message()).isEmpty();
    assertThat(o.response()).isEmpty();
    assertThat(o.status()).isZero();
    assertThat(o.cause()).isInstanceOf(TransportException.class);
    assertThat(rec.events).isEmpty();
  }

  @Test
  void rateLimitedStatus_isRejectedWithItsError() {
    StreamGate gate = started();
    ApiError error = ApiError.of("rate_limit_error", "slow down");
    ProviderResponse r429 = ProviderResponse.builder(429).error(error).build();
    gate.onResponse(r429);
    call.listener.onComplete();

    StreamOutcome o = rec.outcome();
    assertThat(o.kind()).isEqualTo(Kind.REJECTED);
    assertThat(o.status()).isEqualTo(429);
    assertThat(o.error()).contains(error);
    assertThat(o.contentDelivered()).isFalse();
    assertThat(o.cause()).hasMessage("rate_limit_error: slow down");
    assertThat(rec.headers).containsExactly(r429);
  }

  @Test
  void errorEventBeforeContent_deliversNothingAndClosesTheCall() {
    StreamGate gate = started();
    gate.onResponse(OK);
    gate.onEvent(start("msg_1", 25));
    gate.onEvent(textStart(0));
    gate.onEvent(overloaded());

    StreamOutcome o = rec.outcome();
    assertThat(o.kind()).isEqualTo(Kind.ERROR_EVENT);
    assertThat(o.error().orElseThrow().type()).isEqualTo("overloaded_error");
    assertThat(o.contentDelivered()).isFalse();
    assertThat(rec.events).isEmpty();
    assertThat(call.isCancelled()).isTrue();
  }

  @Test
  void errorEventAfterContent_carriesThePartialMessage() {
    StreamGate gate = started();
    gate.onResponse(OK);
    gate.onEvent(start("msg_1", 25));
    gate.onEvent(textStart(0));
    gate.onEvent(text(0, "Partial an"));
    gate.onEvent(delta(null, 4));
    gate.onEvent(overloaded());
    gate.onEvent(text(0, "late"));

    StreamOutcome o = rec.outcome();
    assertThat(o.kind()).isEqualTo(Kind.ERROR_EVENT);
    assertThat(o.contentDelivered()).isTrue();
    assertThat(o.message().orElseThrow().text()).isEqualTo("Partial an");
    assertThat(o.usage().outputTokens()).isEqualTo(4);
    assertThat(rec.names()).doesNotContain("error").hasSize(4);
    assertThat(rec.late).isEmpty();
  }

  @Test
  void abruptCloseMidContent_isBrokenAfterContent() {
    StreamGate gate = started();
    gate.onResponse(OK);
    gate.onEvent(start("msg_1", 25));
    gate.onEvent(textStart(0));
    gate.onEvent(text(0, "Hi"));
    call.listener.onFailure(new TransportException(TransportException.Kind.INCOMPLETE_STREAM,
        "unexpected end of stream"));

    StreamOutcome o = rec.outcome();
    assertThat(o.kind()).isEqualTo(Kind.BROKEN);
    assertThat(o.contentDelivered()).isTrue();
    assertThat(((TransportException) o.failure().orElseThrow()).kind())
        .isEqualTo(TransportException.Kind.INCOMPLETE_STREAM);
  }

  @Test
  void cleanEndWithoutMessageStop_isBrokenIncomplete() {
    StreamGate gate = started();
    gate.onResponse(OK);
    gate.onEvent(start("msg_1", 25));
    call.listener.onComplete();

    StreamOutcome o = rec.outcome();
    assertThat(o.kind()).isEqualTo(Kind.BROKEN);
    assertThat(((TransportException) o.cause()).kind())
        .isEqualTo(TransportException.Kind.INCOMPLETE_STREAM);
    assertThat(o.contentDelivered()).isFalse();
  }

  @Test
  void transportTimeout_isTimeout() {
    started();
    call.listener.onFailure(new TransportException(TransportException.Kind.TIMEOUT, "read timeout"));

    assertThat(rec.outcome().kind()).isEqualTo(Kind.TIMEOUT);
  }

  @Test
  void firstByteTimeout_firesExactlyAtItsLimitAndCancelsTheCall() {
    started();
    scheduler.advance(Duration.ofSeconds(10).minusNanos(1));
    assertThat(rec.outcomes).isEmpty();

    scheduler.advance(Duration.ofNanos(1));
    StreamOutcome o = rec.outcome();
    assertThat(o.kind()).isEqualTo(Kind.TIMEOUT);
    StreamTimeoutException t = (StreamTimeoutException) o.failure().orElseThrow();
    assertThat(t.phase()).isEqualTo(Phase.FIRST_BYTE);
    assertThat(t.limit()).isEqualTo(Duration.ofSeconds(10));
    assertThat(t).hasMessage("no response headers within PT10S");
    assertThat(call.isCancelled()).isTrue();
    assertThat(rec.outcomes).hasSize(1);
  }

  @Test
  void firstTokenTimeout_countsFromTheStartEvenWhileEventsArrive() {
    StreamGate gate = started();
    ticker.advance(Duration.ofSeconds(2));
    gate.onResponse(OK);
    gate.onEvent(start("msg_1", 25));
    for (int i = 0; i < 4; i++) {
      scheduler.advance(Duration.ofSeconds(4));
      gate.onEvent(textStart(i));
      gate.onEvent(stop(i));
    }
    // t = 18 s: progress every 4 s keeps idle quiet, but no content yet
    scheduler.advance(Duration.ofSeconds(2).minusNanos(1));
    assertThat(rec.outcomes).isEmpty();
    scheduler.advance(Duration.ofNanos(1));

    StreamTimeoutException t = (StreamTimeoutException) rec.outcome().cause();
    assertThat(t.phase()).isEqualTo(Phase.FIRST_TOKEN);
    assertThat(rec.outcome().contentDelivered()).isFalse();
    assertThat(rec.events).isEmpty();
  }

  @Test
  void idleTimeout_firesAfterTheGapSinceTheLastEvent() {
    StreamGate gate = started();
    gate.onResponse(OK);
    gate.onEvent(start("msg_1", 25));
    gate.onEvent(textStart(0));
    gate.onEvent(text(0, "a"));
    scheduler.advance(Duration.ofSeconds(4));
    gate.onEvent(text(0, "b"));
    scheduler.advance(Duration.ofSeconds(5).minusNanos(1));
    assertThat(rec.outcomes).isEmpty();
    scheduler.advance(Duration.ofNanos(1));

    StreamOutcome o = rec.outcome();
    assertThat(((StreamTimeoutException) o.cause()).phase()).isEqualTo(Phase.IDLE);
    assertThat(o.contentDelivered()).isTrue();
    assertThat(o.message().orElseThrow().text()).isEqualTo("ab");
    assertThat(call.isCancelled()).isTrue();
  }

  @Test
  void pings_keepTheStreamAliveOnlyForTheAllowance() {
    StreamGate gate = started();
    gate.onResponse(OK);
    gate.onEvent(start("msg_1", 25));
    gate.onEvent(textStart(0));
    gate.onEvent(text(0, "a"));
    // idle 5 s + allowance 3 s: pings every 2 s keep it going until 8 s after the last progress
    for (int i = 0; i < 3; i++) {
      scheduler.advance(Duration.ofSeconds(2));
      gate.onEvent(ping());
    }
    scheduler.advance(Duration.ofSeconds(2).minusNanos(1));
    assertThat(rec.outcomes).isEmpty();
    scheduler.advance(Duration.ofNanos(1));

    StreamTimeoutException t = (StreamTimeoutException) rec.outcome().cause();
    assertThat(t.phase()).isEqualTo(Phase.IDLE);
    assertThat(t.limit()).isEqualTo(Duration.ofSeconds(8));
    assertThat(rec.names()).doesNotContain("ping");
  }

  @Test
  void pingsWithZeroAllowance_doNotCountAsProgress() {
    StreamGate gate = started(StreamGate.builder(ticker, scheduler)
        .timeouts(TIMEOUTS.withPingAllowance(Duration.ZERO)));
    gate.onResponse(OK);
    gate.onEvent(start("msg_1", 25));
    gate.onEvent(textStart(0));
    gate.onEvent(text(0, "a"));
    scheduler.advance(Duration.ofSeconds(3));
    gate.onEvent(ping());
    scheduler.advance(Duration.ofSeconds(2).minusNanos(1));
    assertThat(rec.outcomes).isEmpty();
    scheduler.advance(Duration.ofNanos(1));

    assertThat(((StreamTimeoutException) rec.outcome().cause()).phase()).isEqualTo(Phase.IDLE);
  }

  @Test
  void headers_rearmTheWatchdogWhenIdleEndsBeforeTheFirstByteLimit() {
    StreamGate gate = started(StreamGate.builder(ticker, scheduler).timeouts(
        new StreamTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(5),
            Duration.ZERO)));
    scheduler.advance(Duration.ofSeconds(1));
    gate.onResponse(OK);
    scheduler.advance(Duration.ofSeconds(5).minusNanos(1));
    assertThat(rec.outcomes).isEmpty();
    scheduler.advance(Duration.ofNanos(1));

    assertThat(((StreamTimeoutException) rec.outcome().cause()).phase()).isEqualTo(Phase.IDLE);
  }

  @Test
  void deadline_capsEveryWatchdog() {
    started(StreamGate.builder(ticker, scheduler).timeouts(TIMEOUTS)
        .deadline(ticker.read() + Duration.ofSeconds(3).toNanos()));
    scheduler.advance(Duration.ofSeconds(3).minusNanos(1));
    assertThat(rec.outcomes).isEmpty();
    scheduler.advance(Duration.ofNanos(1));

    StreamTimeoutException t = (StreamTimeoutException) rec.outcome().cause();
    assertThat(t.phase()).isEqualTo(Phase.DEADLINE);
    assertThat(t.limit()).isEqualTo(Duration.ofSeconds(3));
    assertThat(call.isCancelled()).isTrue();
  }

  @Test
  void deadlineAlreadyPast_endsTheAttemptWhenTheSchedulerRuns() {
    started(StreamGate.builder(ticker, scheduler).timeouts(TIMEOUTS).deadline(ticker.read() - 1));
    scheduler.advance(Duration.ZERO);

    assertThat(((StreamTimeoutException) rec.outcome().cause()).phase()).isEqualTo(Phase.DEADLINE);
  }

  @Test
  void usage_isReportedAsIncrementsAsItArrives() {
    StreamGate gate = started();
    gate.onResponse(OK);
    gate.onEvent(start("msg_1", 25));
    gate.onEvent(textStart(0));
    gate.onEvent(text(0, "a"));
    gate.onEvent(delta(null, 10));
    gate.onEvent(delta(null, 10));
    gate.onEvent(delta("end_turn", 30));

    assertThat(rec.increments).containsExactly(Usage.of(25, 1), Usage.of(0, 9), Usage.of(0, 20));
    assertThat(rec.totals).containsExactly(Usage.of(25, 1), Usage.of(25, 10), Usage.of(25, 30));
  }

  @Test
  void cancel_closesTheCallAndReportsCancelledOnce() {
    StreamGate gate = started();
    gate.onResponse(OK);
    gate.onEvent(start("msg_1", 25));
    gate.onEvent(textStart(0));
    gate.onEvent(text(0, "a"));
    gate.cancel();
    gate.cancel();
    gate.onEvent(text(0, "b"));
    scheduler.advance(Duration.ofMinutes(5));

    assertThat(rec.outcome().kind()).isEqualTo(Kind.CANCELLED);
    assertThat(call.cancels.get()).isEqualTo(1);
    assertThat(rec.events).hasSize(3);
    assertThat(gate.isDone()).isTrue();
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void cancelBeforeTheCallIsReturned_cancelsItOnceReturned() {
    StreamGate gate = StreamGate.builder(ticker, scheduler).downstream(rec).observer(rec).build();
    AtomicReference<ScriptedCall> made = new AtomicReference<>();
    gate.start(l -> {
      gate.cancel();
      made.set(new ScriptedCall(l));
      return made.get();
    });

    assertThat(rec.outcome().kind()).isEqualTo(Kind.CANCELLED);
    assertThat(made.get().isCancelled()).isTrue();
  }

  @Test
  void starterThatThrows_endsBroken() {
    StreamGate gate = StreamGate.builder(ticker, scheduler).downstream(rec).observer(rec).build();
    IllegalStateException boom = new IllegalStateException("transport closed");
    gate.start(l -> {
      throw boom;
    });

    assertThat(rec.outcome().kind()).isEqualTo(Kind.BROKEN);
    assertThat(rec.outcome().cause()).isSameAs(boom);
    assertThatThrownBy(() -> gate.start(ScriptedCall::new))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a StreamGate starts one attempt only");
  }

  @Test
  void handlerThatThrows_endsTheAttemptAndClosesTheCall() {
    RuntimeException boom = new RuntimeException("handler bug");
    StreamGate gate = StreamGate.builder(ticker, scheduler).observer(rec)
        .downstream(e -> {
          if (e.isContent()) {
            throw boom;
          }
        }).build();
    AtomicReference<ScriptedCall> made = new AtomicReference<>();
    gate.start(l -> {
      made.set(new ScriptedCall(l));
      return made.get();
    });
    gate.onResponse(OK);
    gate.onEvent(start("msg_1", 25));
    gate.onEvent(textStart(0));
    gate.onEvent(text(0, "a"));

    assertThat(rec.outcome().kind()).isEqualTo(Kind.HANDLER_FAILED);
    assertThat(rec.outcome().cause()).isSameAs(boom);
    assertThat(made.get().isCancelled()).isTrue();
  }

  @Test
  void toolUse_isAssembledAndPassedThrough() {
    StreamGate gate = started();
    gate.onResponse(OK);
    gate.onEvent(start("msg_1", 25));
    gate.onEvent(toolStart(0, "toolu_1", "get_weather"));
    gate.onEvent(json(0, ""));
    assertThat(rec.events).hasSize(3);
    gate.onEvent(json(0, "{\"location\":"));
    gate.onEvent(json(0, " \"Paris\"}"));
    gate.onEvent(stop(0));
    gate.onEvent(delta("tool_use", 9));
    gate.onEvent(messageStop());

    assertThat(rec.outcome().message().orElseThrow().content().get(0).fields().get("input"))
        .isEqualTo(java.util.Map.of("location", "Paris"));
  }

  @Test
  void terminal_isExactlyOnceUnderRaces() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 200; round++) {
        Recorder r = new Recorder();
        StreamGate gate = StreamGate.builder(ticker, scheduler).timeouts(TIMEOUTS)
            .downstream(r).observer(r).build();
        AtomicReference<StreamCall> made = new AtomicReference<>();
        gate.start(l -> {
          made.set(new ScriptedCall(l));
          return made.get();
        });
        gate.onResponse(OK);
        gate.onEvent(start("msg_" + round, 5));
        gate.onEvent(textStart(0));
        CountDownLatch go = new CountDownLatch(1);
        List<Runnable> racers = List.of(
            () -> {
              for (int i = 0; i < 50; i++) {
                gate.onEvent(text(0, "x"));
              }
              gate.onEvent(stop(0));
              gate.onEvent(delta("end_turn", 50));
              gate.onEvent(messageStop());
            },
            gate::cancel,
            () -> gate.onFailure(new TransportException(TransportException.Kind.INCOMPLETE_STREAM, "eof")),
            () -> scheduler.advance(Duration.ofSeconds(30)));
        CountDownLatch done = new CountDownLatch(racers.size());
        for (Runnable racer : racers) {
          pool.execute(() -> {
            try {
              go.await();
              racer.run();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } finally {
              done.countDown();
            }
          });
        }
        go.countDown();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(r.outcomes).hasSize(1);
        assertThat(r.late).isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
