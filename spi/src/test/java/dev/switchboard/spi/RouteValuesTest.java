package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RouteClaim}, {@link RouteGrant}, {@link RouteSettlement} and {@link BreakerTransition}. */
class RouteValuesTest {
  static final BucketLimits LIMITS = new BucketLimits(60, 6_000, 600);
  static final BreakerPermit CLOSED = new BreakerPermit(true, false, BreakerState.CLOSED, BreakerState.CLOSED,
      Duration.ZERO);
  static final RouteClaim CLAIM = new RouteClaim("org/opus", LIMITS, new Demand(1, 100, 50),
      List.of("key:a", "keymodel:a/m"), "pool:org/opus", List.of("model:m", "route:a/m"), BreakerConfig.DEFAULT);
  static final RouteGrant GRANT = RouteGrant.granted(List.of(CLOSED, CLOSED), List.of());

  @Test
  void claim_copiesItsLists() {
    List<String> breakers = new ArrayList<>(List.of("model:m"));
    RouteClaim claim = new RouteClaim("p", LIMITS, Demand.NONE, List.of(), null, breakers, BreakerConfig.DEFAULT);

    breakers.add("route:a/m");

    assertThat(claim.breakers()).containsExactly("model:m");
    assertThat(claim.cooldownScope()).isNull();
    assertThatThrownBy(() -> claim.breakers().add("x")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void claim_refusesNullsAndRepeatsNamingTheField() {
    assertThatThrownBy(() -> new RouteClaim(null, LIMITS, Demand.NONE, List.of(), null, List.of(),
        BreakerConfig.DEFAULT)).isInstanceOf(NullPointerException.class).hasMessage("pool");
    assertThatThrownBy(() -> new RouteClaim("p", LIMITS, Demand.NONE, null, null, List.of(),
        BreakerConfig.DEFAULT)).isInstanceOf(NullPointerException.class).hasMessage("disabledScopes");
    assertThatThrownBy(() -> new RouteClaim("p", LIMITS, Demand.NONE, List.of(), null, List.of(), null))
        .isInstanceOf(NullPointerException.class).hasMessage("breakerConfig");
    assertThatThrownBy(() -> new RouteClaim("p", LIMITS, Demand.NONE, Arrays.asList("key:a", null), null,
        List.of(), BreakerConfig.DEFAULT)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("disabledScopes must not contain null but was [key:a, null]");
    assertThatThrownBy(() -> new RouteClaim("p", LIMITS, Demand.NONE, List.of(), null,
        List.of("model:m", "model:m"), BreakerConfig.DEFAULT)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("breakers must name each breaker once but was [model:m, model:m]");
  }

  @Test
  void grant_factoriesBuildEachStatus() {
    BudgetGrant short5s = BudgetGrant.refused(5_000_000_000L, BucketLimits.Dimension.REQUESTS);
    BreakerTransition halfOpen = new BreakerTransition("model:m", BreakerState.OPEN, BreakerState.HALF_OPEN);

    assertThat(GRANT.granted()).isTrue();
    assertThat(GRANT.budget()).isEqualTo(BudgetGrant.GRANTED);
    RouteGrant cooling = RouteGrant.refused(RouteGrant.Status.COOLING, "pool:p", 7, List.of());
    assertThat(cooling.granted()).isFalse();
    assertThat(cooling.permits()).isEmpty();
    assertThat(cooling.budget()).isNull();
    RouteGrant budget = RouteGrant.budgetShort(short5s, List.of(halfOpen));
    assertThat(budget.status()).isEqualTo(RouteGrant.Status.BUDGET_SHORT);
    assertThat(budget.waitNanos()).isEqualTo(5_000_000_000L);
    assertThat(budget.scope()).isNull();
    assertThat(budget.transitions()).containsExactly(halfOpen);
  }

  @Test
  void grant_refusesFieldsThatDoNotFitTheStatus() {
    BreakerPermit refused = new BreakerPermit(false, false, BreakerState.OPEN, BreakerState.OPEN,
        Duration.ofSeconds(1));
    BudgetGrant short5 = BudgetGrant.refused(5, BucketLimits.Dimension.REQUESTS);

    assertThatThrownBy(() -> new RouteGrant(null, null, 0, List.of(), null, List.of()))
        .isInstanceOf(NullPointerException.class).hasMessage("status");
    assertThatThrownBy(() -> new RouteGrant(RouteGrant.Status.COOLING, "s", -1, List.of(), null, List.of()))
        .hasMessage("waitNanos must be >= 0 but was -1");
    assertThatThrownBy(() -> new RouteGrant(RouteGrant.Status.GRANTED, "s", 0, List.of(), BudgetGrant.GRANTED,
        List.of())).hasMessage("scope must be null when GRANTED but was s");
    assertThatThrownBy(() -> new RouteGrant(RouteGrant.Status.GRANTED, null, 3, List.of(), BudgetGrant.GRANTED,
        List.of())).hasMessage("waitNanos must be 0 when GRANTED but was 3");
    assertThatThrownBy(() -> new RouteGrant(RouteGrant.Status.GRANTED, null, 0, List.of(), null, List.of()))
        .hasMessage("budget must be granted when GRANTED but was null");
    assertThatThrownBy(() -> RouteGrant.granted(List.of(refused), List.of()))
        .hasMessage("permits must all be permitted when GRANTED but held " + refused);
    assertThatThrownBy(() -> RouteGrant.refused(RouteGrant.Status.DISABLED, null, 0, List.of()))
        .hasMessage("scope must not be null when DISABLED");
    assertThatThrownBy(() -> new RouteGrant(RouteGrant.Status.BREAKER_OPEN, "model:m", 1, List.of(CLOSED), null,
        List.of())).hasMessage("permits must be empty when BREAKER_OPEN (the store released what it took) but held 1");
    assertThatThrownBy(() -> new RouteGrant(RouteGrant.Status.COOLING, "pool:p", 1, List.of(), short5, List.of()))
        .hasMessage("budget must be null when COOLING but was " + short5);
    assertThatThrownBy(() -> new RouteGrant(RouteGrant.Status.BUDGET_SHORT, null, 5, List.of(),
        BudgetGrant.GRANTED, List.of())).hasMessage("budget must be a refusal when BUDGET_SHORT but was "
        + BudgetGrant.GRANTED);
    assertThatThrownBy(() -> new RouteGrant(RouteGrant.Status.BUDGET_SHORT, null, 4, List.of(), short5, List.of()))
        .hasMessage("waitNanos must equal budget.waitNanos() (5) when BUDGET_SHORT but was 4");
    assertThatThrownBy(() -> RouteGrant.granted(List.of(), Arrays.asList((BreakerTransition) null)))
        .hasMessage("transitions must not contain null but was [null]");
  }

  @Test
  void settlement_defaultsObserveLimitsToTheClaimsLimits() {
    RouteSettlement s = new RouteSettlement(CLAIM, GRANT, null, List.of(RouteSettlement.Verdict.SUCCESS,
        RouteSettlement.Verdict.RELEASE), RateLimitInfo.NONE, null);

    assertThat(s.observeLimits()).isEqualTo(LIMITS);
    assertThat(s.actual()).as("null keeps the reservation").isNull();
  }

  @Test
  void settlement_refusesUngrantedOrMisalignedNamingTheField() {
    List<RouteSettlement.Verdict> two = List.of(RouteSettlement.Verdict.SUCCESS, RouteSettlement.Verdict.FAILURE);
    RouteGrant cooling = RouteGrant.refused(RouteGrant.Status.COOLING, "pool:p", 7, List.of());

    assertThatThrownBy(() -> new RouteSettlement(CLAIM, cooling, Demand.NONE, two, RateLimitInfo.NONE, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("grant.status must be GRANTED (only a granted claim is settled) but was COOLING");
    assertThatThrownBy(() -> new RouteSettlement(CLAIM, RouteGrant.granted(List.of(CLOSED), List.of()),
        Demand.NONE, two, RateLimitInfo.NONE, null))
        .hasMessage("grant.permits must be aligned with claim.breakers (2) but held 1");
    assertThatThrownBy(() -> new RouteSettlement(CLAIM, GRANT, Demand.NONE,
        List.of(RouteSettlement.Verdict.SUCCESS), RateLimitInfo.NONE, null))
        .hasMessage("verdicts must be aligned with claim.breakers (2) but was [SUCCESS]");
    assertThatThrownBy(() -> new RouteSettlement(CLAIM, GRANT, Demand.NONE, two, null, null))
        .isInstanceOf(NullPointerException.class).hasMessage("observed");
  }

  @Test
  void transition_mustChangeTheState() {
    assertThat(new BreakerTransition("model:m", BreakerState.CLOSED, BreakerState.OPEN).to())
        .isEqualTo(BreakerState.OPEN);
    assertThatThrownBy(() -> new BreakerTransition("model:m", BreakerState.OPEN, BreakerState.OPEN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("to must differ from from but both were OPEN for breaker 'model:m'");
    assertThatThrownBy(() -> new BreakerTransition(null, BreakerState.OPEN, BreakerState.CLOSED))
        .isInstanceOf(NullPointerException.class).hasMessage("name");
  }
}
