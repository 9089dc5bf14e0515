package dev.switchboard.state;

import dev.switchboard.spi.BreakerConfig;
import dev.switchboard.spi.BreakerPermit;
import dev.switchboard.spi.BreakerStore;
import dev.switchboard.spi.BreakerTransition;
import dev.switchboard.spi.BudgetGrant;
import dev.switchboard.spi.BudgetStore;
import dev.switchboard.spi.HealthStore;
import dev.switchboard.spi.RateLimitInfo;
import dev.switchboard.spi.ResponseCacheStore;
import dev.switchboard.spi.RouteClaim;
import dev.switchboard.spi.RouteGrant;
import dev.switchboard.spi.RouteSettlement;
import dev.switchboard.spi.RoutingView;
import dev.switchboard.spi.StateStore;
import dev.switchboard.spi.StateStoreConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The in-process state home: four independent stores sharing one ticker. Thread-safe.
 *
 * <p>Routing: {@link #routingView()} is one shared view over the live stores (never stale, no
 * allocation per read); {@link #claimRoute} is the SPI's composition of the stores (each step
 * atomic on its own); {@link #settle} runs on the caller's thread, returns a completed stage, and
 * reports breaker transitions exactly as they happened under each breaker's monitor.
 */
final class LocalStateStore implements StateStore {
  /** The grant of a claim on two CLOSED breakers with the budget taken (immutable, shared). */
  private static final RouteGrant GRANTED_TWO_CLOSED = RouteGrant.granted(
      List.of(LocalBreakerStore.CLOSED_PERMIT, LocalBreakerStore.CLOSED_PERMIT), List.of());

  private final LocalBudgetStore budgets;
  private final LocalHealthStore health;
  private final LocalBreakerStore breakers;
  private final LocalResponseCacheStore responses;
  private final LocalRoutingView view;

  LocalStateStore(StateStoreConfig config) {
    this.budgets = new LocalBudgetStore(config.ticker());
    this.health = new LocalHealthStore(config.ticker());
    this.breakers = new LocalBreakerStore(config.ticker(), config.maximumBreakers());
    this.responses = new LocalResponseCacheStore(config.ticker(), config.maximumCachedResponses());
    this.view = new LocalRoutingView(health, breakers);
  }

  @Override
  public BudgetStore budgets() {
    return budgets;
  }

  @Override
  public HealthStore health() {
    return health;
  }

  @Override
  public BreakerStore breakers() {
    return breakers;
  }

  @Override
  public ResponseCacheStore responses() {
    return responses;
  }

  /** Returns the one view of this store: reads go straight to the live maps, no allocation. */
  @Override
  public RoutingView routingView() {
    return view;
  }

  /**
   * Claims like the SPI's default (health, cooldown, breakers in order, budget; each step atomic
   * on its own), reading the local stores directly: a claim whose breakers are all CLOSED and
   * whose budget fits allocates nothing but, for more than two breakers, the permit list.
   */
  @Override
  public RouteGrant claimRoute(RouteClaim claim) {
    Objects.requireNonNull(claim, "claim");
    List<String> scopes = claim.disabledScopes();
    for (int i = 0; i < scopes.size(); i++) {
      String scope = scopes.get(i);
      if (health.disabledReason(scope) != null) {
        return RouteGrant.refused(RouteGrant.Status.DISABLED, scope, 0, List.of());
      }
    }
    if (claim.cooldownScope() != null) {
      long left = health.cooldownNanos(claim.cooldownScope());
      if (left > 0) {
        return RouteGrant.refused(RouteGrant.Status.COOLING, claim.cooldownScope(), left, List.of());
      }
    }
    BreakerConfig config = claim.breakerConfig();
    List<String> names = claim.breakers();
    int n = names.size();
    BreakerPermit[] permits = new BreakerPermit[n];
    List<BreakerTransition> transitions = null;
    int taken = 0;
    RouteGrant refusal = null;
    try {
      for (; taken < n; taken++) {
        String name = names.get(taken);
        BreakerPermit permit = breakers.tryAcquire(name, config);
        if (permit.changed()) {
          if (transitions == null) {
            transitions = new ArrayList<>(2);
          }
          transitions.add(new BreakerTransition(name, permit.previous(), permit.state()));
        }
        if (!permit.permitted()) {
          Duration wait = permit.retryAfter();
          refusal = RouteGrant.refused(RouteGrant.Status.BREAKER_OPEN, name,
              wait.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE : wait.toNanos(),
              transitions == null ? List.of() : transitions);
          break;
        }
        permits[taken] = permit;
      }
      if (refusal == null) {
        BudgetGrant budget = budgets.tryAcquire(claim.pool(), claim.limits(), claim.demand());
        if (budget.granted()) {
          if (transitions == null && n == 2 && permits[0] == LocalBreakerStore.CLOSED_PERMIT
              && permits[1] == LocalBreakerStore.CLOSED_PERMIT) {
            return GRANTED_TWO_CLOSED;
          }
          return RouteGrant.granted(List.of(permits), transitions == null ? List.of() : transitions);
        }
        refusal = RouteGrant.budgetShort(budget, transitions == null ? List.of() : transitions);
      }
    } catch (RuntimeException e) {
      for (int i = 0; i < taken && permits[i] != null; i++) {
        try {
          breakers.release(names.get(i), config, permits[i]);
        } catch (RuntimeException again) {
          e.addSuppressed(again);
        }
      }
      throw e;
    }
    for (int i = 0; i < n && permits[i] != null; i++) {
      breakers.release(names.get(i), config, permits[i]);
    }
    return refusal;
  }

  /**
   * Settles on the caller's thread: corrects the budget, records or releases each permit
   * (reporting the transitions seen under each breaker's monitor), observes the headers, and
   * returns a completed stage.
   */
  @Override
  public CompletionStage<List<BreakerTransition>> settle(RouteSettlement settlement) {
    Objects.requireNonNull(settlement, "settlement");
    RouteClaim claim = settlement.claim();
    if (settlement.actual() != null) {
      budgets.settle(claim.pool(), claim.limits(), claim.demand(), settlement.actual());
    }
    List<BreakerTransition> transitions = List.of();
    BreakerConfig config = claim.breakerConfig();
    for (int i = 0; i < claim.breakers().size(); i++) {
      String name = claim.breakers().get(i);
      BreakerPermit permit = settlement.grant().permits().get(i);
      RouteSettlement.Verdict verdict = settlement.verdicts().get(i);
      if (verdict == RouteSettlement.Verdict.RELEASE) {
        breakers.release(name, config, permit);
        continue;
      }
      BreakerTransition t = breakers.recordTransition(name, config, permit,
          verdict == RouteSettlement.Verdict.FAILURE);
      if (t != null) {
        if (transitions.isEmpty()) {
          transitions = new ArrayList<>(2);
        }
        transitions.add(t);
      }
    }
    if (settlement.observed() != RateLimitInfo.NONE) {
      budgets.observe(claim.pool(), settlement.observeLimits(), settlement.observed());
    }
    return CompletableFuture.completedFuture(transitions.isEmpty() ? transitions : List.copyOf(transitions));
  }

  LocalBreakerStore localBreakers() {
    return breakers;
  }

  LocalResponseCacheStore localResponses() {
    return responses;
  }

  /** Drops the cached responses; budgets, health and breakers are plain memory and need nothing. */
  @Override
  public void close() {
    responses.clear();
  }

  @Override
  public String toString() {
    return "LocalStateStore";
  }
}
