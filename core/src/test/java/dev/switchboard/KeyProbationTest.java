package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Fixtures.Events;
import dev.switchboard.schedule.FakeScheduler;
import dev.switchboard.testkit.FakeTicker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A key not yet proven carries one attempt at a time, so a dead key is tried only once. */
class KeyProbationTest {
  private final FakeTicker ticker = new FakeTicker();
  private final FakeScheduler scheduler = new FakeScheduler(ticker);
  private final FakeTransport transport = new FakeTransport();
  private final Events events = new Events();
  private final Switchboard router = Fixtures.builder(ticker, scheduler, transport, events)
      .key("a1", "sk-a1", "org-1").model("claude-opus-4-6").build();

  @Test
  void unprovenKey_carriesOneAttemptAndOthersWaitForIt() {
    transport.thenHang();
    CompletableFuture<RoutedResponse> first = router.sendAsync(Fixtures.request(10), CallOptions.DEFAULT);
    CompletableFuture<RoutedResponse> second = router.sendAsync(Fixtures.request(10), CallOptions.DEFAULT);

    assertThat(transport.sent()).hasSize(1);
    assertThat(second).isNotDone();

    transport.sent().get(0).future().complete(FakeTransport.ok(10, 5));
    scheduler.advance(Duration.ZERO);

    assertThat(first.join().keyAlias()).isEqualTo("a1");
    assertThat(second.join().keyAlias()).isEqualTo("a1");
    assertThat(second.join().waited()).isZero();
    assertThat(transport.sent()).hasSize(2);
  }

  @Test
  void revokedKey_isUsedOnlyOnceHoweverManyCallsWait() {
    transport.thenHang();
    CompletableFuture<RoutedResponse> first = router.sendAsync(Fixtures.request(10), CallOptions.DEFAULT);
    CompletableFuture<RoutedResponse> second = router.sendAsync(Fixtures.request(10), CallOptions.DEFAULT);
    CompletableFuture<RoutedResponse> third = router.sendAsync(Fixtures.request(10), CallOptions.DEFAULT);

    transport.sent().get(0).future()
        .complete(FakeTransport.error(401, "authentication_error", "invalid x-api-key"));
    scheduler.advance(Duration.ZERO);

    assertThat(first).isCompletedExceptionally();
    assertThat(second).isCompletedExceptionally();
    assertThat(third).isCompletedExceptionally();
    assertThat(transport.sent()).hasSize(1);
  }

  @Test
  void provenKey_carriesManyAttemptsAtOnce() {
    router.send(Fixtures.request(10));
    transport.thenHang().thenHang();

    router.sendAsync(Fixtures.request(10), CallOptions.DEFAULT);
    router.sendAsync(Fixtures.request(10), CallOptions.DEFAULT);

    assertThat(transport.sent()).hasSize(3);
    assertThat(router.snapshot().inFlight()).containsEntry("a1/claude-opus-4-6", 2);
  }
}
