package dev.switchboard.spi;

import java.util.List;
import java.util.Objects;

/**
 * How a granted {@link RouteClaim} ended, handed to {@link StateStore#settle}: the budget is
 * corrected to real usage, every breaker permit is recorded or released, and the response's
 * {@code *-remaining} headers are observed. Immutable.
 *
 * @param claim the claim that was granted
 * @param grant its grant; must be {@link RouteGrant.Status#GRANTED}
 * @param actual the real usage: the reservation is corrected to it; {@link Demand#NONE} refunds
 *     the whole reservation; null keeps the whole reservation (the call may have run and billed)
 * @param verdicts one per claimed breaker, aligned with {@link RouteClaim#breakers()}
 * @param observed the response's rate-limit facts; {@link RateLimitInfo#NONE} observes nothing
 * @param observeLimits the pool's limits after learning from {@code observed}, used to observe it;
 *     null means {@code claim.limits()}
 */
public record RouteSettlement(RouteClaim claim, RouteGrant grant, Demand actual, List<Verdict> verdicts,
    RateLimitInfo observed, BucketLimits observeLimits) {

  /** What happened to one breaker's permit. */
  public enum Verdict {
    /** The call succeeded as far as this breaker is concerned. */
    SUCCESS,
    /** The call failed in a way that counts against this breaker. */
    FAILURE,
    /** The slot goes back without an outcome (the call did not test this breaker). */
    RELEASE
  }

  /**
   * Validates, naming the field and value; a null {@code observeLimits} becomes
   * {@code claim.limits()}.
   *
   * @throws NullPointerException when {@code claim}, {@code grant}, {@code verdicts} or
   *     {@code observed} is null
   * @throws IllegalArgumentException when the grant is not GRANTED, or the permits or verdicts are
   *     not aligned with the claim's breakers
   */
  public RouteSettlement {
    Objects.requireNonNull(claim, "claim");
    Objects.requireNonNull(grant, "grant");
    Objects.requireNonNull(observed, "observed");
    verdicts = RouteClaim.copy("verdicts", verdicts);
    if (grant.status() != RouteGrant.Status.GRANTED) {
      throw new IllegalArgumentException("grant.status must be GRANTED (only a granted claim is settled) but was "
          + grant.status());
    }
    int breakers = claim.breakers().size();
    if (grant.permits().size() != breakers) {
      throw new IllegalArgumentException("grant.permits must be aligned with claim.breakers (" + breakers
          + ") but held " + grant.permits().size());
    }
    if (verdicts.size() != breakers) {
      throw new IllegalArgumentException("verdicts must be aligned with claim.breakers (" + breakers
          + ") but was " + verdicts);
    }
    if (observeLimits == null) {
      observeLimits = claim.limits();
    }
  }
}
