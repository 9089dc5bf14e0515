package dev.switchboard.spi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Everything a router remembers between calls, behind one interface with two homes: local
 * (in-process, Caffeine) and shared (Redis) for a fleet of routers using the same keys.
 *
 * <p>A router plans and settles each attempt through three methods that a shared store can
 * serve in few round trips: {@link #routingView()} (health read while choosing, no I/O),
 * {@link #claimRoute} (one step that checks and takes everything an attempt needs) and
 * {@link #settle} (one step that ends it, off the caller's thread where the store can). Their
 * defaults compose the four stores below, so a store written before them keeps working.
 */
public interface StateStore extends AutoCloseable {

  /** Returns the token buckets. */
  BudgetStore budgets();

  /** Returns the cooldowns and disables. */
  HealthStore health();

  /** Returns the circuit breakers. */
  BreakerStore breakers();

  /** Returns the response cache. */
  ResponseCacheStore responses();

  /**
   * Returns the health a router reads while planning. Cheap: no I/O per call on the view. A
   * shared store may serve it from a copy refreshed in the background (see {@link RoutingView});
   * {@link #claimRoute} re-checks authoritatively.
   *
   * <p>Default: a view delegating to {@link #health()} and {@link #breakers()} (a new, stateless
   * adapter per call of this method; a store should return one shared instance).
   */
  default RoutingView routingView() {
    HealthStore health = health();
    BreakerStore breakers = breakers();
    return new RoutingView() {
      @Override
      public String disabledReason(String scope) {
        return health.disabledReason(Objects.requireNonNull(scope, "scope"));
      }

      @Override
      public long cooldownNanos(String scope) {
        Duration left = health.cooldownRemaining(Objects.requireNonNull(scope, "scope"));
        return left.isNegative() ? 0 : left.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L
            ? Long.MAX_VALUE : left.toNanos();
      }

      @Override
      public BreakerState breakerState(String name, BreakerConfig config) {
        return breakers.state(Objects.requireNonNull(name, "name"), config);
      }
    };
  }

  /**
   * Checks and takes everything one attempt needs, all or nothing: in order, the claim's disabled
   * scopes (the first disabled one refuses), its cooldown scope, its breakers (each acquired in
   * order; a refusal releases the ones taken) and its budget (a refusal releases every breaker).
   * When the answer is {@link RouteGrant.Status#GRANTED}, the caller owns the permits and the
   * reservation and must end them with exactly one {@link #settle}; otherwise the store holds
   * nothing for the claim. Thread-safe.
   *
   * <p>Default: composes {@link #health()}, {@link #breakers()} and {@link #budgets()}
   * synchronously on the caller's thread; each step is atomic on its own, the sequence is not (a
   * shared store answers with one atomic step).
   *
   * @throws NullPointerException when {@code claim} is null
   */
  default RouteGrant claimRoute(RouteClaim claim) {
    Objects.requireNonNull(claim, "claim");
    HealthStore health = health();
    for (String scope : claim.disabledScopes()) {
      if (health.disabledReason(scope) != null) {
        return RouteGrant.refused(RouteGrant.Status.DISABLED, scope, 0, List.of());
      }
    }
    if (claim.cooldownScope() != null) {
      Duration left = health.cooldownRemaining(claim.cooldownScope());
      if (!left.isZero() && !left.isNegative()) {
        long nanos = left.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE : left.toNanos();
        return RouteGrant.refused(RouteGrant.Status.COOLING, claim.cooldownScope(), nanos, List.of());
      }
    }
    BreakerStore breakers = breakers();
    BreakerConfig config = claim.breakerConfig();
    List<String> names = claim.breakers();
    List<BreakerPermit> permits = new ArrayList<>(names.size());
    List<BreakerTransition> transitions = new ArrayList<>(0);
    RouteGrant refusal = null;
    try {
      for (String name : names) {
        BreakerPermit permit = breakers.tryAcquire(name, config);
        if (permit.changed()) {
          transitions.add(new BreakerTransition(name, permit.previous(), permit.state()));
        }
        if (!permit.permitted()) {
          Duration wait = permit.retryAfter();
          refusal = RouteGrant.refused(RouteGrant.Status.BREAKER_OPEN, name,
              wait.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE : wait.toNanos(), transitions);
          break;
        }
        permits.add(permit);
      }
      if (refusal == null) {
        BudgetGrant budget = budgets().tryAcquire(claim.pool(), claim.limits(), claim.demand());
        if (budget.granted()) {
          return RouteGrant.granted(permits, transitions);
        }
        refusal = RouteGrant.budgetShort(budget, transitions);
      }
    } catch (RuntimeException e) {
      for (int i = 0; i < permits.size(); i++) {
        try {
          breakers.release(names.get(i), config, permits.get(i));
        } catch (RuntimeException again) {
          e.addSuppressed(again);
        }
      }
      throw e;
    }
    for (int i = 0; i < permits.size(); i++) {
      breakers.release(names.get(i), config, permits.get(i));
    }
    return refusal;
  }

  /**
   * Ends a granted claim: corrects the budget ({@link RouteSettlement#actual()}: real usage, a
   * full refund, or keeping the reservation), records or releases each breaker permit, then
   * observes the response's {@code *-remaining} headers with the learned limits. The stage
   * completes with the breaker transitions this settlement caused, for events. A shared store
   * may run it later on its own thread (the stage then completes there); it never fails the
   * caller for store trouble.
   *
   * <p>Default: composes {@link #budgets()} and {@link #breakers()} synchronously on the caller's
   * thread and returns a completed stage (completed exceptionally when a store threw, after every
   * other step was still tried, so no permit leaks).
   *
   * @throws NullPointerException when {@code settlement} is null
   */
  default CompletionStage<List<BreakerTransition>> settle(RouteSettlement settlement) {
    Objects.requireNonNull(settlement, "settlement");
    RouteClaim claim = settlement.claim();
    List<RuntimeException> failures = new ArrayList<>(0);
    try {
      if (settlement.actual() != null) {
        budgets().settle(claim.pool(), claim.limits(), claim.demand(), settlement.actual());
      }
    } catch (RuntimeException e) {
      failures.add(e);
    }
    List<BreakerTransition> transitions = new ArrayList<>(0);
    BreakerStore breakers = breakers();
    BreakerConfig config = claim.breakerConfig();
    for (int i = 0; i < claim.breakers().size(); i++) {
      String name = claim.breakers().get(i);
      BreakerPermit permit = settlement.grant().permits().get(i);
      try {
        RouteSettlement.Verdict verdict = settlement.verdicts().get(i);
        if (verdict == RouteSettlement.Verdict.RELEASE) {
          breakers.release(name, config, permit);
        } else {
          BreakerState before = breakers.state(name, config);
          BreakerState after = breakers.record(name, config, permit, verdict == RouteSettlement.Verdict.FAILURE);
          if (after != before) {
            transitions.add(new BreakerTransition(name, before, after));
          }
        }
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    try {
      if (settlement.observed() != RateLimitInfo.NONE) {
        budgets().observe(claim.pool(), settlement.observeLimits(), settlement.observed());
      }
    } catch (RuntimeException e) {
      failures.add(e);
    }
    if (failures.isEmpty()) {
      return CompletableFuture.completedFuture(List.copyOf(transitions));
    }
    RuntimeException first = failures.get(0);
    for (int i = 1; i < failures.size(); i++) {
      first.addSuppressed(failures.get(i));
    }
    return CompletableFuture.failedFuture(first);
  }

  /** Releases what the store holds (connections, threads). Default: nothing. */
  @Override
  default void close() {}
}
