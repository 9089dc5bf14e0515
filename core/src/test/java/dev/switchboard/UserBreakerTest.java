package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.Fixtures.Events;
import dev.switchboard.schedule.FakeScheduler;
import dev.switchboard.spi.BreakerConfig;
import dev.switchboard.spi.BreakerState;
import dev.switchboard.spi.Outcome;
import dev.switchboard.spi.RouterEvent;
import dev.switchboard.spi.TransportException;
import dev.switchboard.testkit.FakeTicker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Per-user circuit breakers through the router: every transition and attribution rule, fake time. */
@Timeout(20)
class UserBreakerTest {
  private static final String OPUS = "claude-opus-4-6";
  /** Count window of 4, judged from 2 calls at 50%, open 10 s doubling to 40 s, 1 probe. */
  private static final BreakerConfig USER = new BreakerConfig(BreakerConfig.WindowType.COUNT, 4, 2,
      0.5, Duration.ofSeconds(10), Duration.ofSeconds(40), 1);

  private final FakeTicker ticker = new FakeTicker();
  private final FakeScheduler scheduler = new FakeScheduler(ticker);
  private final FakeTransport transport = new FakeTransport();
  private final Events events = new Events();

  private Switchboard router() {
    return Fixtures.builder(ticker, scheduler, transport, events)
        .key("a1", "sk-a1", "org-1").key("b1", "sk-b1", "org-2").model(OPUS)
        .userBreaker(USER).build();
  }

  private static FakeTransport badRequest(FakeTransport t) {
    return t.then(FakeTransport.error(400, "invalid_request_error", "messages: field required"));
  }

  private static CallOptions user(String id) {
    return CallOptions.forUser(id).maxAttempts(1);
  }

  private void tripU1(Switchboard router) {
    for (int i = 0; i < 2; i++) {
      badRequest(transport);
      assertThatThrownBy(() -> router.send(Fixtures.request(10), user("u1")))
          .isInstanceOf(RequestRejectedException.class);
    }
  }

  @Test
  void requestFaults_openUserBreaker_andFailFastWithRetryAfter() {
    Switchboard router = router();
    tripU1(router);

    assertThatThrownBy(() -> router.send(Fixtures.request(10), user("u1")))
        .isInstanceOfSatisfying(UserCircuitOpenException.class, ex -> {
          assertThat(ex.userId()).isEqualTo("u1");
          assertThat(ex.retryAfter()).isEqualTo(Duration.ofSeconds(10));
          assertThat(ex.attempts()).isEmpty();
        });
    assertThat(transport.sent()).hasSize(2);
    assertThat(events.of(RouterEvent.BreakerStateChanged.class))
        .contains(new RouterEvent.BreakerStateChanged("user:u1", BreakerState.CLOSED, BreakerState.OPEN));
    assertThat(router.snapshot().breakers()).containsEntry("user:u1", BreakerState.OPEN)
        .doesNotContainKey("model:" + OPUS).doesNotContainKey("route:a1/" + OPUS);
    RouterEvent.CallFinished last = events.of(RouterEvent.CallFinished.class).get(2);
    assertThat(last.success()).isFalse();
    assertThat(last.attempts()).isZero();
  }

  @Test
  void openUserBreaker_leavesOtherUsersAlone() {
    Switchboard router = router();
    tripU1(router);

    RoutedResponse r = router.send(Fixtures.request(10), user("u2"));

    assertThat(r.keyAlias()).isEqualTo("a1");
    assertThat(router.snapshot().breakers()).doesNotContainKey("user:u2");
  }

  @Test
  void openUserBreaker_halfOpenProbeSucceeds_closes() {
    Switchboard router = router();
    tripU1(router);
    ticker.advance(Duration.ofSeconds(10));

    RoutedResponse r = router.send(Fixtures.request(10), user("u1"));

    assertThat(r.response().text()).isEqualTo("hi");
    assertThat(router.snapshot().breakers()).doesNotContainKey("user:u1");
    assertThat(events.of(RouterEvent.BreakerStateChanged.class)).containsSubsequence(
        new RouterEvent.BreakerStateChanged("user:u1", BreakerState.OPEN, BreakerState.HALF_OPEN),
        new RouterEvent.BreakerStateChanged("user:u1", BreakerState.HALF_OPEN, BreakerState.CLOSED));
  }

  @Test
  void halfOpenProbeFails_reopensForTwiceAsLong_cappedAtMax() {
    Switchboard router = router();
    tripU1(router);
    Duration[] expected = {Duration.ofSeconds(20), Duration.ofSeconds(40), Duration.ofSeconds(40)};
    Duration open = Duration.ofSeconds(10);
    for (Duration next : expected) {
      ticker.advance(open);
      badRequest(transport);
      assertThatThrownBy(() -> router.send(Fixtures.request(10), user("u1")))
          .isInstanceOf(RequestRejectedException.class);
      assertThatThrownBy(() -> router.send(Fixtures.request(10), user("u1")))
          .isInstanceOfSatisfying(UserCircuitOpenException.class,
              ex -> assertThat(ex.retryAfter()).isEqualTo(next));
      open = next;
    }
  }

  @Test
  void halfOpen_letsOnlyTheProbesThrough() {
    Switchboard router = router();
    tripU1(router);
    ticker.advance(Duration.ofSeconds(10));
    transport.thenHang();

    CompletableFuture<RoutedResponse> probe = router.sendAsync(Fixtures.request(10), user("u1"));
    CompletableFuture<RoutedResponse> second = router.sendAsync(Fixtures.request(10), user("u1"));

    assertThat(probe).isNotDone();
    assertThat(second).isCompletedExceptionally();
    assertThatThrownBy(second::join).hasCauseInstanceOf(UserCircuitOpenException.class);
  }

  @Test
  void cancelledProbe_givesItsSlotBack() {
    Switchboard router = router();
    tripU1(router);
    ticker.advance(Duration.ofSeconds(10));
    transport.thenHang();
    CompletableFuture<RoutedResponse> probe = router.sendAsync(Fixtures.request(10), user("u1"));

    probe.cancel(true);
    RoutedResponse r = router.send(Fixtures.request(10), user("u1"));

    assertThat(r.keyAlias()).isEqualTo("a1");
    assertThat(router.snapshot().breakers()).doesNotContainKey("user:u1");
  }

  @Test
  void contextOverflow_countsAgainstTheUser_notTheModel() {
    Switchboard router = router();
    for (int i = 0; i < 2; i++) {
      transport.then(FakeTransport.error(400, "invalid_request_error",
          "prompt is too long: 250000 tokens > 200000 maximum"));
      assertThatThrownBy(() -> router.send(Fixtures.request(10), CallOptions.forUser("u1")))
          .isInstanceOfSatisfying(RequestRejectedException.class,
              ex -> assertThat(ex.outcome()).isEqualTo(Outcome.CONTEXT_OVERFLOW));
    }

    assertThatThrownBy(() -> router.send(Fixtures.request(10), user("u1")))
        .isInstanceOf(UserCircuitOpenException.class);
    assertThat(router.snapshot().breakers()).containsOnlyKeys("user:u1");
  }

  @Test
  void serverErrorsRateLimitsAndNetworkFailures_neverCountAgainstTheUser() {
    Switchboard router = router();
    for (int i = 0; i < 3; i++) {
      transport.then(FakeTransport.error(529, "overloaded_error", "Overloaded"));
      transport.then(FakeTransport.error(429, "rate_limit_error", "slow down"));
      transport.thenFail(TransportException.Kind.RESET);
      for (int j = 0; j < 3; j++) {
        assertThatThrownBy(() -> router.send(Fixtures.request(10), user("u1")))
            .isInstanceOf(SwitchboardException.class)
            .isNotInstanceOf(UserCircuitOpenException.class);
        scheduler.runAll();
        ticker.advance(Duration.ofMinutes(2));
      }
    }

    assertThat(router.snapshot().breakers()).doesNotContainKey("user:u1");
    assertThat(router.send(Fixtures.request(10), user("u1")).keyAlias()).isNotNull();
  }

  @Test
  void successes_keepTheUserBreakerClosedBelowTheRate() {
    Switchboard router = router();
    for (int i = 0; i < 3; i++) {
      router.send(Fixtures.request(10), user("u1"));
    }
    badRequest(transport);
    assertThatThrownBy(() -> router.send(Fixtures.request(10), user("u1")))
        .isInstanceOf(RequestRejectedException.class);

    assertThat(router.snapshot().breakers()).doesNotContainKey("user:u1");
  }

  @Test
  void noUserBreaker_neverFailsFast() {
    Switchboard router = Fixtures.builder(ticker, scheduler, transport, events)
        .key("a1", "sk-a1", "org-1").model(OPUS).userBreaker(USER).noUserBreaker().build();
    for (int i = 0; i < 5; i++) {
      badRequest(transport);
      assertThatThrownBy(() -> router.send(Fixtures.request(10), user("u1")))
          .isInstanceOf(RequestRejectedException.class);
    }
    assertThat(transport.sent()).hasSize(5);
  }

  @Test
  void callsWithoutUser_haveNoUserBreaker() {
    Switchboard router = router();
    for (int i = 0; i < 4; i++) {
      badRequest(transport);
      assertThatThrownBy(() -> router.send(Fixtures.request(10), CallOptions.DEFAULT.maxAttempts(1)))
          .isInstanceOf(RequestRejectedException.class);
    }
    assertThat(router.snapshot().breakers()).isEmpty();
  }
}
