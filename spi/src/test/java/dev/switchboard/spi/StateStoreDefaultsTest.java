package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The default routing methods of {@link StateStore}, over a store that logs every call it gets:
 * the order of the steps, and that a refusal gives back what was taken.
 */
class StateStoreDefaultsTest {
  private final LoggingStore store = new LoggingStore();
  private final RouteClaim claim = new RouteClaim("org/opus", RouteValuesTest.LIMITS, new Demand(1, 100, 50),
      List.of("key:a", "keymodel:a/m"), "pool:org/opus", List.of("model:m", "route:a/m"), BreakerConfig.DEFAULT);

  @Test
  void claimRoute_checksScopesThenCooldownThenBreakersInOrderThenBudget() {
    RouteGrant grant = store.claimRoute(claim);

    assertThat(grant.granted()).isTrue();
    assertThat(grant.permits()).hasSize(2);
    assertThat(store.log).containsExactly("disabledReason key:a", "disabledReason keymodel:a/m",
        "cooldownRemaining pool:org/opus", "tryAcquire model:m", "tryAcquire route:a/m", "budget org/opus");
  }

  @Test
  void claimRoute_disabledScopeStopsBeforeAnythingIsTaken() {
    store.disabled.put("keymodel:a/m", "404");

    RouteGrant grant = store.claimRoute(claim);

    assertThat(grant.status()).isEqualTo(RouteGrant.Status.DISABLED);
    assertThat(grant.scope()).isEqualTo("keymodel:a/m");
    assertThat(store.log).containsExactly("disabledReason key:a", "disabledReason keymodel:a/m");
  }

  @Test
  void claimRoute_coolingReportsTheTimeLeft() {
    store.cooldown = Duration.ofSeconds(3);

    RouteGrant grant = store.claimRoute(claim);

    assertThat(grant.status()).isEqualTo(RouteGrant.Status.COOLING);
    assertThat(grant.scope()).isEqualTo("pool:org/opus");
    assertThat(grant.waitNanos()).isEqualTo(3_000_000_000L);
  }

  @Test
  void claimRoute_refusingBreakerReleasesTheEarlierOnesAndSkipsTheBudget() {
    store.refuse = "route:a/m";

    RouteGrant grant = store.claimRoute(claim);

    assertThat(grant.status()).isEqualTo(RouteGrant.Status.BREAKER_OPEN);
    assertThat(grant.scope()).isEqualTo("route:a/m");
    assertThat(grant.waitNanos()).isEqualTo(Duration.ofSeconds(2).toNanos());
    assertThat(grant.transitions()).containsExactly(
        new BreakerTransition("model:m", BreakerState.OPEN, BreakerState.HALF_OPEN));
    assertThat(store.log).endsWith("tryAcquire model:m", "tryAcquire route:a/m", "release model:m")
        .doesNotContain("budget org/opus");
  }

  @Test
  void claimRoute_budgetShortReleasesEveryBreaker() {
    store.budget = BudgetGrant.refused(Long.MAX_VALUE, BucketLimits.Dimension.INPUT_TOKENS);

    RouteGrant grant = store.claimRoute(claim);

    assertThat(grant.status()).isEqualTo(RouteGrant.Status.BUDGET_SHORT);
    assertThat(grant.waitNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(grant.budget().limitedBy()).isEqualTo(BucketLimits.Dimension.INPUT_TOKENS);
    assertThat(store.log).endsWith("budget org/opus", "release model:m", "release route:a/m");
  }

  @Test
  void settle_correctsBudgetRecordsReleasesAndObservesInOrder() throws Exception {
    RouteGrant grant = store.claimRoute(claim);
    store.log.clear();
    store.after = BreakerState.OPEN;
    RateLimitInfo info = RateLimitInfo.parse(Map.of("anthropic-ratelimit-requests-remaining", "3")::get,
        java.time.Instant.EPOCH);
    BucketLimits learned = new BucketLimits(50, 0, 0);

    CompletableFuture<List<BreakerTransition>> done = store.settle(new RouteSettlement(claim, grant,
        new Demand(1, 80, 20), List.of(RouteSettlement.Verdict.FAILURE, RouteSettlement.Verdict.RELEASE), info,
        learned)).toCompletableFuture();

    assertThat(done).isCompleted();
    assertThat(done.get()).containsExactly(new BreakerTransition("model:m", BreakerState.CLOSED, BreakerState.OPEN));
    assertThat(store.log).containsExactly("settle org/opus reserved 100 actual 80", "state model:m",
        "record model:m failure=true", "release route:a/m", "observe org/opus limits 50");
  }

  @Test
  void settle_nullActualKeepsTheReservation() {
    RouteGrant grant = store.claimRoute(claim);
    store.log.clear();

    store.settle(new RouteSettlement(claim, grant, null,
        List.of(RouteSettlement.Verdict.SUCCESS, RouteSettlement.Verdict.SUCCESS), RateLimitInfo.NONE, null));

    assertThat(store.log).containsExactly("state model:m", "record model:m failure=false", "state route:a/m",
        "record route:a/m failure=false");
  }

  @Test
  void settle_storeFailureStillEndsEveryPermitAndFailsTheStage() {
    RouteGrant grant = store.claimRoute(claim);
    store.log.clear();
    store.failSettle = true;

    CompletableFuture<List<BreakerTransition>> done = store.settle(new RouteSettlement(claim, grant, Demand.NONE,
        List.of(RouteSettlement.Verdict.RELEASE, RouteSettlement.Verdict.RELEASE), RateLimitInfo.NONE, null))
        .toCompletableFuture();

    assertThat(done).isCompletedExceptionally();
    assertThat(store.log).containsExactly("release model:m", "release route:a/m");
  }

  @Test
  void routingView_delegatesToHealthAndBreakers() {
    store.disabled.put("key:a", "401");
    store.cooldown = Duration.ofMillis(5);

    RoutingView view = store.routingView();

    assertThat(view.disabledReason("key:a")).isEqualTo("401");
    assertThat(view.disabledReason("key:b")).isNull();
    assertThat(view.cooldownNanos("pool:p")).isEqualTo(5_000_000L);
    assertThat(view.breakerState("model:m", BreakerConfig.DEFAULT)).isEqualTo(BreakerState.CLOSED);
    assertThatThrownBy(() -> view.disabledReason(null)).isInstanceOf(NullPointerException.class);
  }

  /** A store whose parts answer as told and log what they were asked. */
  static final class LoggingStore implements StateStore {
    final List<String> log = new ArrayList<>();
    final Map<String, String> disabled = new HashMap<>();
    Duration cooldown = Duration.ZERO;
    String refuse;
    BudgetGrant budget = BudgetGrant.GRANTED;
    BreakerState after = BreakerState.CLOSED;
    boolean failSettle;

    @Override
    public BudgetStore budgets() {
      return new BudgetStore() {
        @Override
        public BudgetGrant tryAcquire(String pool, BucketLimits limits, Demand demand) {
          log.add("budget " + pool);
          return budget;
        }

        @Override
        public void settle(String pool, BucketLimits limits, Demand reserved, Demand actual) {
          if (failSettle) {
            throw new IllegalStateException("store down");
          }
          log.add("settle " + pool + " reserved " + reserved.inputTokens() + " actual " + actual.inputTokens());
        }

        @Override
        public void observe(String pool, BucketLimits limits, RateLimitInfo info) {
          log.add("observe " + pool + " limits " + limits.requestsPerMinute());
        }

        @Override
        public BudgetLevels levels(String pool, BucketLimits limits) {
          throw new UnsupportedOperationException("not used");
        }
      };
    }

    @Override
    public HealthStore health() {
      return new HealthStore() {
        @Override
        public void coolDown(String scope, Duration duration) {
          throw new UnsupportedOperationException("not used");
        }

        @Override
        public Duration cooldownRemaining(String scope) {
          log.add("cooldownRemaining " + scope);
          return cooldown;
        }

        @Override
        public void disable(String scope, String reason) {
          throw new UnsupportedOperationException("not used");
        }

        @Override
        public boolean enable(String scope) {
          throw new UnsupportedOperationException("not used");
        }

        @Override
        public String disabledReason(String scope) {
          log.add("disabledReason " + scope);
          return disabled.get(scope);
        }

        @Override
        public Map<String, String> disabled() {
          return disabled;
        }

        @Override
        public Map<String, Duration> cooldowns() {
          return Map.of();
        }
      };
    }

    @Override
    public BreakerStore breakers() {
      return new BreakerStore() {
        @Override
        public BreakerPermit tryAcquire(String name, BreakerConfig config) {
          log.add("tryAcquire " + name);
          if (name.equals(refuse)) {
            return new BreakerPermit(false, false, BreakerState.OPEN, BreakerState.OPEN, Duration.ofSeconds(2));
          }
          if (refuse != null) {
            return new BreakerPermit(true, true, BreakerState.HALF_OPEN, BreakerState.OPEN, Duration.ZERO);
          }
          return RouteValuesTest.CLOSED;
        }

        @Override
        public BreakerState record(String name, BreakerConfig config, BreakerPermit permit, boolean failure) {
          log.add("record " + name + " failure=" + failure);
          return after;
        }

        @Override
        public void release(String name, BreakerConfig config, BreakerPermit permit) {
          log.add("release " + name);
        }

        @Override
        public BreakerState state(String name, BreakerConfig config) {
          log.add("state " + name);
          return BreakerState.CLOSED;
        }

        @Override
        public Map<String, BreakerState> notClosed() {
          return Map.of();
        }
      };
    }

    @Override
    public ResponseCacheStore responses() {
      return new ResponseCacheStore() {
        @Override
        public Optional<CachedResponse> get(String key, boolean allowStale) {
          return Optional.empty();
        }

        @Override
        public void put(String key, MessageResponse response, Duration ttl, Duration staleFor) {}

        @Override
        public void invalidate(String key) {}
      };
    }
  }
}
