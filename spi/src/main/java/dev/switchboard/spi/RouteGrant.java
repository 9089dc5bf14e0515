package dev.switchboard.spi;

import java.util.List;
import java.util.Objects;

/**
 * The answer of {@link StateStore#claimRoute}.
 *
 * <p>{@link Status#GRANTED}: every breaker of the claim permitted the call ({@code permits} is
 * aligned with {@link RouteClaim#breakers()}) and the budget was taken; the caller now owns them
 * and must end them with exactly one {@link StateStore#settle}. Any other status: the store holds
 * nothing for this claim (it released what it took before the refusal). Immutable.
 *
 * @param status the outcome
 * @param scope the disabled or cooling scope ({@code DISABLED}, {@code COOLING}) or the refusing
 *     breaker ({@code BREAKER_OPEN}); null when {@code GRANTED} or {@code BUDGET_SHORT}
 * @param waitNanos {@code COOLING}: the cooldown left; {@code BREAKER_OPEN}: the breaker's
 *     {@link BreakerPermit#retryAfter()}; {@code BUDGET_SHORT}: the budget's wait
 *     ({@link Long#MAX_VALUE} when the demand never fits); 0 otherwise
 * @param permits when {@code GRANTED}: one permitted {@link BreakerPermit} per claimed breaker, in
 *     the claim's order; else empty
 * @param budget when {@code GRANTED}: {@link BudgetGrant#GRANTED}; when {@code BUDGET_SHORT}: the
 *     refusal; else null (the budget was not asked)
 * @param transitions breaker state changes this claim caused (OPEN to HALF_OPEN), for events;
 *     reported even when a later step refused the claim
 */
public record RouteGrant(Status status, String scope, long waitNanos, List<BreakerPermit> permits,
    BudgetGrant budget, List<BreakerTransition> transitions) {

  /** What a claim came to. */
  public enum Status {
    /** Every breaker permitted and the budget was taken. */
    GRANTED,
    /** One of the claim's disabled scopes is disabled. */
    DISABLED,
    /** The claim's cooldown scope is cooling down. */
    COOLING,
    /** A breaker refused: OPEN, or HALF_OPEN with every probe out. */
    BREAKER_OPEN,
    /** The budget does not hold the demand now. */
    BUDGET_SHORT
  }

  /**
   * Validates the combination of fields, naming the field and value.
   *
   * @throws NullPointerException when {@code status}, {@code permits} or {@code transitions} is null
   * @throws IllegalArgumentException when the fields do not fit the status
   */
  public RouteGrant {
    Objects.requireNonNull(status, "status");
    permits = RouteClaim.copy("permits", permits);
    transitions = RouteClaim.copy("transitions", transitions);
    if (waitNanos < 0) {
      throw new IllegalArgumentException("waitNanos must be >= 0 but was " + waitNanos);
    }
    switch (status) {
      case GRANTED -> {
        nullWhen(status, "scope", scope);
        if (waitNanos != 0) {
          throw new IllegalArgumentException("waitNanos must be 0 when GRANTED but was " + waitNanos);
        }
        if (budget == null || !budget.granted()) {
          throw new IllegalArgumentException("budget must be granted when GRANTED but was " + budget);
        }
        for (BreakerPermit p : permits) {
          if (!p.permitted()) {
            throw new IllegalArgumentException("permits must all be permitted when GRANTED but held " + p);
          }
        }
      }
      case DISABLED, COOLING, BREAKER_OPEN -> {
        if (scope == null) {
          throw new IllegalArgumentException("scope must not be null when " + status);
        }
        noPermits(status, permits);
        nullWhen(status, "budget", budget);
      }
      case BUDGET_SHORT -> {
        nullWhen(status, "scope", scope);
        noPermits(status, permits);
        if (budget == null || budget.granted()) {
          throw new IllegalArgumentException("budget must be a refusal when BUDGET_SHORT but was " + budget);
        }
        if (waitNanos != budget.waitNanos()) {
          throw new IllegalArgumentException("waitNanos must equal budget.waitNanos() (" + budget.waitNanos()
              + ") when BUDGET_SHORT but was " + waitNanos);
        }
      }
    }
  }

  /** Returns a grant holding {@code permits} (aligned with the claim's breakers) and the budget. */
  public static RouteGrant granted(List<BreakerPermit> permits, List<BreakerTransition> transitions) {
    return new RouteGrant(Status.GRANTED, null, 0, permits, BudgetGrant.GRANTED, transitions);
  }

  /**
   * Returns a refusal by a scope or breaker ({@code DISABLED}, {@code COOLING} or
   * {@code BREAKER_OPEN}).
   */
  public static RouteGrant refused(Status status, String scope, long waitNanos,
      List<BreakerTransition> transitions) {
    return new RouteGrant(status, scope, waitNanos, List.of(), null, transitions);
  }

  /** Returns a refusal by the budget; the wait is the budget's. */
  public static RouteGrant budgetShort(BudgetGrant budget, List<BreakerTransition> transitions) {
    Objects.requireNonNull(budget, "budget");
    return new RouteGrant(Status.BUDGET_SHORT, null, budget.waitNanos(), List.of(), budget, transitions);
  }

  /** Returns true when the status is {@link Status#GRANTED}. */
  public boolean granted() {
    return status == Status.GRANTED;
  }

  private static void nullWhen(Status status, String field, Object value) {
    if (value != null) {
      throw new IllegalArgumentException(field + " must be null when " + status + " but was " + value);
    }
  }

  private static void noPermits(Status status, List<BreakerPermit> permits) {
    if (!permits.isEmpty()) {
      throw new IllegalArgumentException("permits must be empty when " + status
          + " (the store released what it took) but held " + permits.size());
    }
  }
}
