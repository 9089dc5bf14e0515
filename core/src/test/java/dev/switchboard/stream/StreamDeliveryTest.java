package dev.switchboard.stream;

import static dev.switchboard.stream.Events.delta;
import static dev.switchboard.stream.Events.messageStop;
import static dev.switchboard.stream.Events.overloaded;
import static dev.switchboard.stream.Events.start;
import static dev.switchboard.stream.Events.stop;
import static dev.switchboard.stream.Events.text;
import static dev.switchboard.stream.Events.textStart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.schedule.FakeScheduler;
import dev.switchboard.spi.ProviderResponse;
import dev.switchboard.spi.StreamEvent;
import dev.switchboard.spi.TransportException;
import dev.switchboard.spi.Usage;
import dev.switchboard.testkit.FakeTicker;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StreamDeliveryTest {
  private final FakeTicker ticker = new FakeTicker();
  private final FakeScheduler scheduler = new FakeScheduler(ticker);
  private final RecordingHandler handler = new RecordingHandler();
  private final StreamDelivery delivery = StreamDelivery.to(handler, ticker);

  @Test
  void complete_reportsTheMessageAndItsStatsOnce() {
    delivery.deliver(start("msg_1", 25));
    delivery.deliver(textStart(0));
    ticker.advance(Duration.ofSeconds(2));
    delivery.deliver(text(0, "Hello"));
    ticker.advance(Duration.ofSeconds(2));
    delivery.deliver(stop(0));
    delivery.deliver(delta("end_turn", 100));
    delivery.deliver(messageStop());

    assertThat(delivery.complete(false)).isTrue();
    assertThat(delivery.complete(false)).isFalse();
    assertThat(delivery.fail(new RuntimeException("late"))).isFalse();

    assertThat(handler.terminals()).isEqualTo(1);
    StreamResult r = handler.completions.get(0);
    assertThat(r.message().text()).isEqualTo("Hello");
    assertThat(r.message().usage()).isEqualTo(Usage.of(25, 100));
    assertThat(r.continued()).isFalse();
    assertThat(r.stats().timeToFirstToken()).contains(Duration.ofSeconds(2));
    assertThat(r.stats().outputTokensPerSecond()).isEqualTo(50.0);
    assertThat(r.stats().totalDuration()).isEqualTo(Duration.ofSeconds(4));
    assertThat(handler.names()).hasSize(6);
  }

  @Test
  void deliver_afterTheEndIsIgnored() {
    delivery.deliver(start("msg_1", 25));
    delivery.fail(new IllegalStateException("no route"));
    delivery.deliver(textStart(0));

    assertThat(handler.events).hasSize(1);
    assertThat(handler.errors).hasSize(1);
    assertThat(delivery.isDone()).isTrue();
  }

  @Test
  void cancel_closesTheAttachedAttemptAndReportsCancellation() {
    Recorder rec = new Recorder();
    StreamGate gate = StreamGate.builder(ticker, scheduler).downstream(delivery::deliver)
        .observer(rec).build();
    AtomicReference<ScriptedCall> call = new AtomicReference<>();
    delivery.attach(gate);
    gate.start(l -> {
      call.set(new ScriptedCall(l));
      return call.get();
    });
    gate.onResponse(ProviderResponse.builder(200).build());
    gate.onEvent(start("msg_1", 25));
    gate.onEvent(textStart(0));
    gate.onEvent(text(0, "Hi"));

    delivery.cancel();
    delivery.cancel();
    gate.onEvent(text(0, " there"));

    assertThat(call.get().isCancelled()).isTrue();
    assertThat(rec.outcome().kind()).isEqualTo(StreamOutcome.Kind.CANCELLED);
    assertThat(handler.errors).singleElement().isInstanceOf(CancellationException.class);
    assertThat(handler.completions).isEmpty();
    assertThat(handler.text()).isEqualTo("Hi");
  }

  @Test
  void attach_afterCancelCancelsTheAttemptAtOnce() {
    delivery.cancel();
    Recorder rec = new Recorder();
    StreamGate gate = StreamGate.builder(ticker, scheduler).observer(rec).build();
    delivery.attach(gate);

    assertThat(rec.outcome().kind()).isEqualTo(StreamOutcome.Kind.CANCELLED);
  }

  @Test
  void interrupt_carriesWhatTheCallerSawAndTheCause() {
    Recorder rec = new Recorder();
    StreamGate gate = StreamGate.builder(ticker, scheduler).downstream(delivery::deliver)
        .observer(rec).build();
    gate.start(ScriptedCall::new);
    gate.onResponse(ProviderResponse.builder(200).build());
    gate.onEvent(start("msg_1", 25));
    gate.onEvent(textStart(0));
    gate.onEvent(text(0, "Half an ans"));
    gate.onEvent(delta(null, 7));
    gate.onEvent(overloaded());

    assertThat(delivery.interrupt(rec.outcome())).isTrue();
    StreamInterruptedException e = (StreamInterruptedException) handler.errors.get(0);
    assertThat(e.contentDelivered()).isTrue();
    assertThat(e.partial().orElseThrow().text()).isEqualTo("Half an ans");
    assertThat(e.usage()).isEqualTo(Usage.of(25, 7));
    assertThat(e.getCause()).isInstanceOf(StreamInterruptedException.ApiErrorException.class);
    assertThat(((StreamInterruptedException.ApiErrorException) e.getCause()).error().type())
        .isEqualTo("overloaded_error");
    assertThat(e).hasMessage("stream interrupted after content (7 output tokens): "
        + "ApiErrorException: overloaded_error: Overloaded");
  }

  @Test
  void interrupt_rejectsACompleteOutcome() {
    StreamOutcome complete = new StreamOutcome(StreamOutcome.Kind.COMPLETE, true, null,
        Usage.ZERO, null, null, null);
    assertThatThrownBy(() -> delivery.interrupt(complete))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("outcome must not be COMPLETE to interrupt a stream");
  }

  @Test
  void interrupt_beforeAnyMessageHasNoPartial() {
    StreamOutcome broken = new StreamOutcome(StreamOutcome.Kind.BROKEN, false, null, Usage.ZERO,
        null, null, new TransportException(TransportException.Kind.RESET, "reset"));
    delivery.interrupt(broken);

    StreamInterruptedException e = (StreamInterruptedException) handler.errors.get(0);
    assertThat(e.partial()).isEmpty();
    assertThat(e.contentDelivered()).isFalse();
  }

  @Test
  void complete_withoutMessageStartIsAnError() {
    delivery.complete(false);

    assertThat(handler.errors).hasSize(1);
    assertThat(handler.errors.get(0)).isInstanceOf(IllegalStateException.class)
        .hasMessage("stream completed without message_start");
  }

  @Test
  void terminalCallThatThrows_isContained() {
    StreamDelivery d = StreamDelivery.to(new StreamHandler() {
      @Override
      public void onEvent(StreamEvent event) {}

      @Override
      public void onComplete(StreamResult result) {
        throw new IllegalStateException("caller bug");
      }

      @Override
      public void onError(Throwable error) {
        throw new IllegalStateException("caller bug");
      }
    }, ticker);
    d.deliver(start("msg_1", 1));

    assertThat(d.complete(false)).isTrue();
    assertThat(d.isDone()).isTrue();
  }
}
