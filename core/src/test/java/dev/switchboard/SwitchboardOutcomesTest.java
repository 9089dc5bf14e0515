package dev.switchboard;

import static dev.switchboard.FakeTransport.error;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per row of the outcome table, over a fake transport and fake time. */
class SwitchboardOutcomesTest {
  private static final String OPUS = "claude-opus-4-6";
  private static final String SONNET = "claude-sonnet-4-6";
  private static final String HAIKU = "claude-haiku-4-5";

  private final FakeTicker ticker = new FakeTicker();
  private final FakeScheduler scheduler = new FakeScheduler(ticker);
  private final FakeTransport transport = new FakeTransport();
  private final Events events = new Events();

  /** a1, a2 in org-1; b1 in org-2; opus then sonnet. */
  private Switchboard.Builder builder() {
    return Fixtures.builder(ticker, scheduler, transport, events)
        .key("a1", "sk-a1", "org-1").key("a2", "sk-a2", "org-1").key("b1", "sk-b1", "org-2")
        .model(OPUS).fallbackTo(SONNET);
  }

  private Switchboard router() {
    return builder().build();
  }

  @Test
  void send_success_returnsResponseWithRouteFacts() {
    RoutedResponse r = router().send(Fixtures.request(100));

    assertThat(r.model()).isEqualTo(OPUS);
    assertThat(r.keyAlias()).isEqualTo("a1");
    assertThat(r.attempts()).singleElement().satisfies(a -> {
      assertThat(a.outcome()).isEqualTo(Outcome.SUCCESS);
      assertThat(a.status()).isEqualTo(200);
    });
    assertThat(r.fellBack()).isFalse();
    assertThat(r.waited()).isZero();
    assertThat(r.degraded()).isFalse();
    assertThat(events.of(RouterEvent.CallFinished.class)).singleElement()
        .satisfies(e -> assertThat(e.success()).isTrue());
  }

  @Test
  void rateLimited_coolsThePoolAndGoesAtOnceToAKeyOfAnotherOrganization() {
    transport.then(error(429, "rate_limit_error", "over", null, Map.of("retry-after", "5")));

    RoutedResponse r = router().send(Fixtures.request(100));

    assertThat(transport.aliases()).containsExactly("a1", "b1");
    assertThat(r.keyAlias()).isEqualTo("b1");
    assertThat(r.waited()).isZero();
    assertThat(events.of(RouterEvent.BudgetWaited.class)).isEmpty();
    RouterEvent.CooledDown cd = events.of(RouterEvent.CooledDown.class).get(0);
    assertThat(cd.scope()).isEqualTo("pool:org-1/opus-4");
    assertThat(cd.duration()).isBetween(Duration.ofMillis(5_001), Duration.ofMillis(6_000));
  }

  @Test
  void rateLimited_whenEveryPoolIsCooling_waitsForTheEarliestCooldownEnd() {
    Switchboard router = Fixtures.builder(ticker, scheduler, transport, events)
        .key("a1", "sk-a1", "org-1").model(OPUS).build();
    transport.then(error(429, "rate_limit_error", "over", null, Map.of("retry-after", "2")));

    CompletableFuture<RoutedResponse> f = router.sendAsync(Fixtures.request(100),
        CallOptions.DEFAULT.deadline(Duration.ofSeconds(10)));

    assertThat(f).isNotDone();
    Duration wait = scheduler.nextDelay();
    assertThat(wait).isBetween(Duration.ofMillis(2_001), Duration.ofMillis(2_400));
    scheduler.advance(wait);
    assertThat(f).isCompleted();
    assertThat(f.join().waited()).isEqualTo(wait);
    assertThat(transport.sent()).hasSize(2);
  }

  @Test
  void rateLimited_whenCooldownOutlastsTheDeadline_failsSayingWhenCapacityReturns() {
    Switchboard router = Fixtures.builder(ticker, scheduler, transport, events)
        .key("a1", "sk-a1", "org-1").model(OPUS).build();
    transport.then(error(429, "rate_limit_error", "over", null, Map.of("retry-after", "30")));

    assertThatThrownBy(() -> router.send(Fixtures.request(100),
        CallOptions.DEFAULT.deadline(Duration.ofSeconds(10))))
        .isInstanceOfSatisfying(BudgetExhaustedException.class, e -> {
          assertThat(e.retryAfter()).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(36));
          assertThat(e.attempts()).extracting(AttemptRecord::outcome)
              .containsExactly(Outcome.RATE_LIMITED);
        });
  }

  @Test
  void serverError_backsOffWithFullJitterThenRetriesTheSameModel() {
    Switchboard router = builder().backoff(Duration.ofMillis(400), Duration.ofSeconds(8)).build();
    transport.then(error(529, "overloaded_error", "Overloaded"));

    CompletableFuture<RoutedResponse> f = router.sendAsync(Fixtures.request(100), CallOptions.DEFAULT);

    assertThat(f).isNotDone();
    assertThat(scheduler.nextDelay()).isBetween(Duration.ZERO, Duration.ofMillis(400));
    scheduler.runAll();
    RoutedResponse r = f.join();
    assertThat(r.model()).isEqualTo(OPUS);
    assertThat(r.attempts()).extracting(AttemptRecord::outcome)
        .containsExactly(Outcome.SERVER_ERROR, Outcome.SUCCESS);
  }

  @Test
  void serverError_repeatedOnATier_fallsToTheNextTier() {
    Switchboard router = router();
    transport.then(error(529, "overloaded_error", "Overloaded"))
        .then(error(500, "api_error", "Internal"));

    CompletableFuture<RoutedResponse> f = router.sendAsync(Fixtures.request(100), CallOptions.DEFAULT);
    scheduler.runAll();

    RoutedResponse r = f.join();
    assertThat(transport.models()).containsExactly(OPUS, OPUS, SONNET);
    assertThat(r.model()).isEqualTo(SONNET);
    assertThat(r.fellBack()).isTrue();
    assertThat(r.degraded()).isTrue();
    assertThat(events.of(RouterEvent.FellBack.class)).singleElement()
        .satisfies(e -> assertThat(e.toModel()).isEqualTo(SONNET));
  }

  @Test
  void serverError_whenTheModelBreakerOpens_fallsBackAtOnceAndComesBackAfterRecovery() {
    BreakerConfig trippy = new BreakerConfig(BreakerConfig.WindowType.COUNT, 2, 1, 0.5,
        Duration.ofSeconds(5), Duration.ofSeconds(5), 1);
    Switchboard router = builder().breaker(trippy).build();
    transport.then(error(529, "overloaded_error", "Overloaded"));

    RoutedResponse r = router.send(Fixtures.request(100));

    assertThat(transport.models()).containsExactly(OPUS, SONNET);
    assertThat(r.model()).isEqualTo(SONNET);
    assertThat(events.of(RouterEvent.BreakerStateChanged.class))
        .anySatisfy(e -> {
          assertThat(e.breaker()).isEqualTo("model:" + OPUS);
          assertThat(e.to()).isEqualTo(BreakerState.OPEN);
        });
    assertThat(router.snapshot().breakers()).containsEntry("model:" + OPUS, BreakerState.OPEN);

    scheduler.advance(Duration.ofSeconds(6));
    assertThat(router.send(Fixtures.request(100)).model()).isEqualTo(OPUS);
    assertThat(router.snapshot().breakers()).doesNotContainKey("model:" + OPUS);
  }

  @Test
  void network_triesAnotherKeyAtOnce() {
    transport.thenFail(TransportException.Kind.RESET);

    RoutedResponse r = router().send(Fixtures.request(100));

    assertThat(transport.aliases()).containsExactly("a1", "a2");
    assertThat(r.attempts()).extracting(AttemptRecord::outcome)
        .containsExactly(Outcome.NETWORK, Outcome.SUCCESS);
    assertThat(r.waited()).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 402, 403})
  void keyFault_disablesTheKeyLoudlyUntilReEnabled(int status) {
    Switchboard router = router();
    transport.then(error(status, "authentication_error", "invalid x-api-key"));

    RoutedResponse r = router.send(Fixtures.request(100));

    assertThat(r.keyAlias()).isEqualTo("a2");
    assertThat(events.of(RouterEvent.KeyDisabled.class)).singleElement().satisfies(e -> {
      assertThat(e.keyAlias()).isEqualTo("a1");
      assertThat(e.outcome()).isEqualTo(Outcome.KEY_FAULT);
    });
    assertThat(router.snapshot().disabled()).containsKey("key:a1");
    assertThat(router.send(Fixtures.request(100)).keyAlias()).isEqualTo("a2");
    assertThat(transport.aliases()).containsExactly("a1", "a2", "a2");

    assertThat(router.enableKey("a1")).isTrue();
    assertThat(events.of(RouterEvent.KeyEnabled.class)).hasSize(1);
    assertThat(router.send(Fixtures.request(100)).keyAlias()).isEqualTo("a1");
  }

  @Test
  void keyFault_isNotRevivedByShouldRetry() {
    transport.then(error(401, "authentication_error", "invalid x-api-key", null,
        Map.of("x-should-retry", "true")));
    Switchboard router = router();

    router.send(Fixtures.request(100));

    assertThat(router.snapshot().disabled()).containsKey("key:a1");
  }

  @Test
  void organizationFault_spendCap429_disablesEveryKeyOfTheOrganization() {
    transport.then(error(429, "rate_limit_error", "You have reached your API usage limits",
        "enforced_spend_limit_reached", Map.of()));
    Switchboard router = router();

    RoutedResponse r = router.send(Fixtures.request(100));

    assertThat(r.keyAlias()).isEqualTo("b1");
    assertThat(router.snapshot().disabled()).containsKeys("key:a1", "key:a2")
        .doesNotContainKey("key:b1");
    assertThat(events.of(RouterEvent.KeyDisabled.class)).extracting(RouterEvent.KeyDisabled::keyAlias)
        .containsExactly("a1", "a2");
    assertThat(events.of(RouterEvent.CooledDown.class)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Your credit balance is too low to access the Anthropic API.",
      "You have reached your specified API usage limits. You will regain access on 2026-02-01",
      "You have reached your specified workspace API usage limits."})
  void organizationFault_400s_disableTheOrganization(String message) {
    transport.then(error(400, "invalid_request_error", message));
    Switchboard router = router();

    assertThat(router.send(Fixtures.request(100)).keyAlias()).isEqualTo("b1");
    assertThat(router.snapshot().disabled()).containsKeys("key:a1", "key:a2");
  }

  @Test
  void modelNotFound_skipsThatModelForThatKeyOnly() {
    transport.then(error(404, "not_found_error", "model: claude-opus-4-6"));
    Switchboard router = router();

    RoutedResponse r = router.send(Fixtures.request(100));

    assertThat(r.keyAlias()).isEqualTo("a2");
    assertThat(r.model()).isEqualTo(OPUS);
    assertThat(router.snapshot().disabled()).containsOnlyKeys("keymodel:a1/" + OPUS);
    assertThat(events.of(RouterEvent.ModelDisabled.class)).singleElement()
        .satisfies(e -> assertThat(e.keyAlias()).isEqualTo("a1"));
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 413, 422})
  void requestInvalid_failsFastWithoutRetryOrFallback(int status) {
    transport.then(error(status, "invalid_request_error", "messages: field required"));
    Switchboard router = router();

    assertThatThrownBy(() -> router.send(Fixtures.request(100)))
        .isInstanceOfSatisfying(RequestRejectedException.class, e -> {
          assertThat(e.status()).isEqualTo(status);
          assertThat(e.outcome()).isEqualTo(Outcome.REQUEST_INVALID);
          assertThat(e.attempts()).hasSize(1);
        });
    assertThat(transport.sent()).hasSize(1);
  }

  @Test
  void contextOverflow_triesOnlyTiersWithALargerWindow() {
    Switchboard router = builder().fallbackTo(HAIKU).contextWindow(HAIKU, 1_000_000).build();
    transport.then(error(400, "invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum"));

    RoutedResponse r = router.send(Fixtures.request(100));

    assertThat(transport.models()).containsExactly(OPUS, HAIKU);
    assertThat(r.model()).isEqualTo(HAIKU);
  }

  @Test
  void contextOverflow_withNoLargerTier_isRejected() {
    transport.then(error(400, "invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum"));
    Switchboard router = router();

    assertThatThrownBy(() -> router.send(Fixtures.request(100)))
        .isInstanceOfSatisfying(RequestRejectedException.class,
            e -> assertThat(e.outcome()).isEqualTo(Outcome.CONTEXT_OVERFLOW));
    assertThat(transport.sent()).hasSize(1);
  }

  @Test
  void shouldRetryFalse_stopsARetryableError() {
    transport.then(error(529, "overloaded_error", "Overloaded", null, Map.of("x-should-retry", "false")));
    Switchboard router = router();

    assertThatThrownBy(() -> router.send(Fixtures.request(100)))
        .isInstanceOf(RequestRejectedException.class);
    assertThat(transport.sent()).hasSize(1);
  }

  @Test
  void shouldRetryTrue_retriesARequestError() {
    transport.then(error(400, "invalid_request_error", "try again", null, Map.of("x-should-retry", "true")));
    Switchboard router = router();

    CompletableFuture<RoutedResponse> f = router.sendAsync(Fixtures.request(100), CallOptions.DEFAULT);
    scheduler.runAll();

    assertThat(f.join().attempts()).hasSize(2);
  }

  @Test
  void maxAttempts_endsTheCallWithEveryAttempt() {
    transport.thenFail(TransportException.Kind.RESET).thenFail(TransportException.Kind.RESET);
    Switchboard router = router();

    assertThatThrownBy(() -> router.send(Fixtures.request(100), CallOptions.DEFAULT.maxAttempts(2)))
        .isInstanceOfSatisfying(RetriesExhaustedException.class, e -> {
          assertThat(e.retryBudgetExhausted()).isFalse();
          assertThat(e.attempts()).hasSize(2);
          assertThat(e.lastOutcome()).isEqualTo(Outcome.NETWORK);
        });
  }

  @Test
  void retryBudget_whenSpent_failsWithTheLastCauseAndAnEvent() {
    Switchboard router = builder().retryBudget(0.0, 0, Duration.ofSeconds(10)).build();
    transport.thenFail(TransportException.Kind.RESET);

    assertThatThrownBy(() -> router.send(Fixtures.request(100)))
        .isInstanceOfSatisfying(RetriesExhaustedException.class, e -> {
          assertThat(e.retryBudgetExhausted()).isTrue();
          assertThat(e.getMessage()).contains("connection reset");
        });
    assertThat(events.of(RouterEvent.RetryBudgetExhausted.class)).hasSize(1);
  }

  @Test
  void retryBudget_isNotChargedForMovingToAnotherKeyAfter429() {
    Switchboard router = builder().retryBudget(0.0, 0, Duration.ofSeconds(10)).build();
    transport.then(error(429, "rate_limit_error", "over", null, Map.of("retry-after", "1")));

    assertThat(router.send(Fixtures.request(100)).keyAlias()).isEqualTo("b1");
  }

  @Test
  void noRoute_whenEveryKeyIsDisabled() {
    transport.then(error(401, "authentication_error", "invalid x-api-key"))
        .then(error(401, "authentication_error", "invalid x-api-key"))
        .then(error(401, "authentication_error", "invalid x-api-key"));
    Switchboard router = router();

    assertThatThrownBy(() -> router.send(Fixtures.request(100)))
        .isInstanceOf(RetriesExhaustedException.class);
    assertThatThrownBy(() -> router.send(Fixtures.request(100)))
        .isInstanceOf(NoRouteException.class).hasMessageContaining("every key is disabled");
    assertThat(transport.sent()).hasSize(3);
  }

  @Test
  void listener_thatThrows_neverFailsACall() {
    Switchboard router = builder().listener(new dev.switchboard.spi.RouterListener() {
      @Override
      public void onEvent(RouterEvent event) {
        throw new IllegalStateException("boom");
      }
    }).build();

    assertThat(router.send(Fixtures.request(100)).keyAlias()).isEqualTo("a1");
  }

  @Test
  void snapshot_countsCallsAttemptsAndRateLimits() {
    transport.then(error(429, "rate_limit_error", "over", null, Map.of("retry-after", "1")));
    Switchboard router = router();
    router.send(Fixtures.request(100));

    RouterSnapshot.Totals t = router.snapshot().totals();
    assertThat(t.calls()).isEqualTo(1);
    assertThat(t.attempts()).isEqualTo(2);
    assertThat(t.rateLimited()).isEqualTo(1);
    assertThat(t.retries()).isEqualTo(1);
    assertThat(router.snapshot().cooldowns()).containsKey("pool:org-1/opus-4");
  }

  @Test
  void countTokens_usesAnEnabledKeyAndReturnsTheCount() {
    assertThat(router().countTokens(Fixtures.request(10)).join()).isEqualTo(42L);
  }

  @Test
  void allowModels_keepsAKeyToItsModels() {
    Switchboard router = builder().allowModels("a1", SONNET).allowModels("a2", SONNET).build();

    assertThat(router.send(Fixtures.request(10)).keyAlias()).isEqualTo("b1");
  }

  @Test
  void organizationLimits_overrideTheModelsLimitsForOneOrganization() {
    Switchboard router = Fixtures.builder(ticker, scheduler, transport, events)
        .key("a1", "sk-a1", "org-1").key("b1", "sk-b1", "org-2")
        .model(OPUS, Switchboard.limits(100, 100_000, 10_000))
        .organizationLimits("org-2", OPUS, Switchboard.limits(5, 1_000, 1_000)).build();

    assertThat(router.snapshot().pools().get("org-1/opus-4").levels().limits().requestsPerMinute())
        .isEqualTo(100);
    assertThat(router.snapshot().pools().get("org-2/opus-4").levels().limits().requestsPerMinute())
        .isEqualTo(5);
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
      "retry-after, garbage, 400, 400",
      "retry-after, -3, 1, 2",
      "retry-after, 'Wed, 21 Oct 2015 07:28:00 GMT', 1, 2",
      "retry-after, 1e9, 60000, 60000",
      "retry-after-ms, 1500, 1501, 1800"})
  void rateLimited_badOrAbsurdRetryAfter_givesASaneCooldown(String header, String value,
      long minMillis, long maxMillis) {
    Switchboard router = builder().backoff(Duration.ofMillis(400), Duration.ofSeconds(8)).build();
    transport.then(error(429, "rate_limit_error", "over", null, Map.of(header, value)));

    assertThat(router.send(Fixtures.request(100)).keyAlias()).isEqualTo("b1");

    assertThat(events.of(RouterEvent.CooledDown.class)).singleElement()
        .satisfies(e -> assertThat(e.duration())
            .isBetween(Duration.ofMillis(minMillis), Duration.ofMillis(maxMillis)));
  }
}
