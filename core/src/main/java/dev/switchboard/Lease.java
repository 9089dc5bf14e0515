package dev.switchboard;

import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.Demand;
import dev.switchboard.spi.RateLimitInfo;
import dev.switchboard.spi.RouteClaim;
import dev.switchboard.spi.RouteGrant;
import dev.switchboard.spi.RouteSettlement;
import dev.switchboard.spi.BreakerTransition;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One attempt's hold on a route: what the state store granted for a {@link RouteClaim} (the model
 * and route breaker permits, in that order, and the budget reservation). Ended exactly once by
 * {@link #end}, which sends one {@link RouteSettlement}; later calls do nothing, so no path can
 * settle twice or leak a permit. Thread-safe.
 */
final class Lease {
  /** For {@link #end}: keep the whole reservation as spent (the usage is unknown). */
  static final Demand KEEP = null;

  /** Every (model, route) verdict pair as the settlement's list, built once. */
  private static final List<RouteSettlement.Verdict>[][] VERDICTS = verdictPairs();

  private final Engine e;
  private final RouteClaim claim;
  private final RouteGrant grant;
  private Demand reserved;
  private boolean ended;

  Lease(Engine e, RouteClaim claim, RouteGrant grant) {
    this.e = e;
    this.claim = claim;
    this.grant = grant;
    this.reserved = claim.demand();
  }

  /** Returns what the lease holds now (the estimate, or what {@link #adjust} made of it). */
  synchronized Demand reserved() {
    return reserved;
  }

  /**
   * Corrects the budget held while the attempt runs: a stream learns its real input at {@code
   * message_start} and gives back the over-estimate at once. Does nothing once ended.
   */
  synchronized void adjust(Demand now) {
    if (ended || now.equals(reserved)) {
      return;
    }
    e.budgets.settle(claim.pool(), e.limits.of(claim.pool()), reserved, now);
    reserved = now;
  }

  /**
   * Ends the lease: the budget corrected to {@code actual} ({@link Demand#NONE} refunds it all,
   * {@link #KEEP} keeps it), the model and route breakers recorded or released, and the response's
   * rate-limit headers observed. Breaker transitions reach the listener when the store has applied
   * the settlement (a shared store does it off the caller's thread).
   *
   * @return false when the lease had already ended
   */
  boolean end(Demand actual, RouteSettlement.Verdict model, RouteSettlement.Verdict route,
      RateLimitInfo observed, BucketLimits observeLimits) {
    RouteClaim c;
    synchronized (this) {
      if (ended) {
        return false;
      }
      ended = true;
      BucketLimits limits = e.limits.of(claim.pool());
      c = reserved.equals(claim.demand()) && limits.equals(claim.limits()) ? claim
          : new RouteClaim(claim.pool(), limits, reserved, claim.disabledScopes(),
              claim.cooldownScope(), claim.breakers(), claim.breakerConfig());
    }
    try {
      CompletionStage<List<BreakerTransition>> settled = e.state.settle(new RouteSettlement(c,
          grant, actual, VERDICTS[model.ordinal()][route.ordinal()], observed, observeLimits));
      if (settled instanceof CompletableFuture<List<BreakerTransition>> f && f.isDone()
          && !f.isCompletedExceptionally()) {
        e.emitTransitions(f.join()); // settled on this thread (the local store): no stage needed
        return true;
      }
      settled.whenComplete((transitions, err) -> {
        if (err != null) {
          Engine.LOG.warn("Switchboard state store failed to settle an attempt on pool '{}': {}",
              claim.pool(), err.toString());
        } else {
          e.emitTransitions(transitions);
        }
      });
    } catch (RuntimeException ex) {
      Engine.LOG.warn("Switchboard state store failed to settle an attempt on pool '{}': {}",
          claim.pool(), ex.toString());
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private static List<RouteSettlement.Verdict>[][] verdictPairs() {
    RouteSettlement.Verdict[] all = RouteSettlement.Verdict.values();
    List<RouteSettlement.Verdict>[][] out = new List[all.length][all.length];
    for (RouteSettlement.Verdict m : all) {
      for (RouteSettlement.Verdict r : all) {
        out[m.ordinal()][r.ordinal()] = List.of(m, r);
      }
    }
    return out;
  }
}
