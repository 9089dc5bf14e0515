package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.Fixtures.Events;
import dev.switchboard.schedule.FakeScheduler;
import dev.switchboard.spi.Outcome;
import dev.switchboard.spi.RouterEvent;
import dev.switchboard.testkit.FakeTicker;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** One deadline over the whole call; per-attempt timeouts; cancellation. */
class SwitchboardDeadlineTest {
  private static final String OPUS = "claude-opus-4-6";

  private final FakeTicker ticker = new FakeTicker();
  private final FakeScheduler scheduler = new FakeScheduler(ticker);
  private final FakeTransport transport = new FakeTransport();
  private final Events events = new Events();

  private Switchboard.Builder builder() {
    return Fixtures.builder(ticker, scheduler, transport, events)
        .key("a1", "sk-a1", "org-1").key("b1", "sk-b1", "org-2")
        .model(OPUS, Switchboard.limits(100, 100_000, 10_000));
  }

  @Test
  void attemptTimeout_isCappedByTheRemainingDeadline() {
    Switchboard router = builder().attemptTimeout(Duration.ofSeconds(60)).build();

    router.send(Fixtures.request(10), CallOptions.DEFAULT.deadline(Duration.ofSeconds(3)));
    router.send(Fixtures.request(10), CallOptions.DEFAULT.attemptTimeout(Duration.ofSeconds(1)));

    assertThat(transport.sent().get(0).options().timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(transport.sent().get(1).options().timeout()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void attemptTimeout_cancelsTheAttemptAndTriesAnotherKey() {
    Switchboard router = builder().build();
    transport.thenHang();

    CompletableFuture<RoutedResponse> f = router.sendAsync(Fixtures.request(10),
        CallOptions.DEFAULT.attemptTimeout(Duration.ofSeconds(2)).deadline(Duration.ofSeconds(20)));
    scheduler.advance(Duration.ofSeconds(2));

    assertThat(f).isCompleted();
    assertThat(transport.sent().get(0).future()).isCancelled();
    assertThat(f.join().keyAlias()).isEqualTo("b1");
    assertThat(f.join().attempts().get(0).reason()).isEqualTo("timed out");
  }

  @Test
  void deadline_endsAHungCallExactlyOnTime() {
    Switchboard router = builder().build();
    transport.thenHang();

    CompletableFuture<RoutedResponse> f = router.sendAsync(Fixtures.request(10),
        CallOptions.DEFAULT.deadline(Duration.ofSeconds(5)));
    scheduler.advance(Duration.ofMillis(4_999));
    assertThat(f).isNotDone();
    scheduler.advance(Duration.ofMillis(1));

    assertThatThrownBy(f::join).isInstanceOf(CompletionException.class)
        .cause().isInstanceOfSatisfying(DeadlineExceededException.class,
            e -> assertThat(e.attempts()).extracting(AttemptRecord::outcome)
                .containsExactly(Outcome.NETWORK));
    assertThat(transport.sent()).hasSize(1);
  }

  @Test
  void backoff_thatWouldPassTheDeadline_isNotWaitedFor() {
    Switchboard router = Fixtures.builder(ticker, scheduler, transport, events)
        .key("a1", "sk-a1", "org-1").model(OPUS)
        .backoff(Duration.ofSeconds(8), Duration.ofSeconds(8)).random(new FixedRandom()).build();
    transport.then(FakeTransport.error(529, "overloaded_error", "Overloaded"));

    assertThatThrownBy(() -> router.send(Fixtures.request(10),
        CallOptions.DEFAULT.deadline(Duration.ofSeconds(2))))
        .isInstanceOf(DeadlineExceededException.class).hasMessageContaining("would pass the deadline");
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void cancel_cancelsTheAttemptAndGivesTheReservationBack() {
    Switchboard router = builder().build();
    transport.thenHang();

    CompletableFuture<RoutedResponse> f = router.sendAsync(Fixtures.request(1_000), CallOptions.DEFAULT);
    assertThat(router.snapshot().inFlight()).containsEntry("a1/" + OPUS, 1);
    assertThat(router.snapshot().pools().get("org-1/opus-4").levels().outputTokens())
        .isCloseTo(9_000, within(1e-6));

    assertThat(f.cancel(true)).isTrue();

    assertThat(transport.sent().get(0).future()).isCancelled();
    assertThat(router.snapshot().inFlight()).isEmpty();
    assertThat(router.snapshot().pools().get("org-1/opus-4").levels().outputTokens())
        .isCloseTo(10_000, within(1e-6));
    assertThat(router.snapshot().pools().get("org-1/opus-4").levels().requests())
        .isCloseTo(100, within(1e-6));
    assertThat(scheduler.pending()).isZero();
    assertThatThrownBy(f::join).isInstanceOf(CancellationException.class);
  }

  @Test
  void cancel_whileWaitingForBudget_dropsTheWakeUp() {
    Switchboard router = Fixtures.builder(ticker, scheduler, transport, events)
        .key("a1", "sk-a1", "org-1").model(OPUS, Switchboard.limits(1, 100_000, 10_000)).build();
    router.send(Fixtures.request(10));
    CompletableFuture<RoutedResponse> f = router.sendAsync(Fixtures.request(10), CallOptions.DEFAULT);
    assertThat(scheduler.pending()).isEqualTo(1);

    f.cancel(true);

    assertThat(scheduler.pending()).isZero();
    scheduler.advance(Duration.ofMinutes(2));
    assertThat(transport.sent()).hasSize(1);
    assertThat(events.of(RouterEvent.AttemptStarted.class)).hasSize(1);
  }

  @Test
  void close_cancelsCallsStillRunning() {
    Switchboard router = builder().build();
    transport.thenHang();
    CompletableFuture<RoutedResponse> f = router.sendAsync(Fixtures.request(10), CallOptions.DEFAULT);

    router.close();

    assertThat(f).isCancelled();
    assertThat(transport.sent().get(0).future()).isCancelled();
  }

  /** Always returns the largest value asked for, so backoff equals its ceiling. */
  private static final class FixedRandom implements java.util.random.RandomGenerator {
    @Override
    public long nextLong() {
      return Long.MAX_VALUE;
    }

    @Override
    public long nextLong(long bound) {
      return bound - 1;
    }
  }
}
