package dev.switchboard;

import dev.switchboard.spi.BreakerConfig;
import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.BudgetLevels;
import dev.switchboard.spi.Candidate;
import dev.switchboard.spi.Demand;
import dev.switchboard.spi.RouteClaim;
import java.util.List;

/**
 * One key × model route, built once per router with every name the router asks the state store
 * about (so planning a call allocates no strings), and the {@link Candidate} view of it that
 * strategies see.
 */
final class RouteCandidate implements Candidate {
  final KeySpec key;
  final ModelTier tier;
  final String pool;
  final String route;
  final RouteStats stats;
  final String keyScope;
  final String keyModelScope;
  final String poolScope;
  final String modelBreaker;
  final String routeBreaker;
  /** The scopes a claim on this route checks: the key, then the key × model. */
  final List<String> claimScopes;
  /** The breakers a claim on this route takes: the model's, then the route's. */
  final List<String> claimBreakers;
  private final Engine engine;
  /** The last claim built for this route; reused while limits, demand and config are the same. */
  private volatile RouteClaim lastClaim;

  RouteCandidate(KeySpec key, ModelTier tier, String pool, RouteStats stats, Engine engine) {
    this.key = key;
    this.tier = tier;
    this.pool = pool;
    this.route = key.alias() + "/" + tier.model();
    this.stats = stats;
    this.engine = engine;
    this.keyScope = Engine.keyScope(key.alias());
    this.keyModelScope = Engine.keyModelScope(key.alias(), tier.model());
    this.poolScope = Engine.poolScope(pool);
    this.modelBreaker = Engine.modelBreaker(tier.model());
    this.routeBreaker = Engine.routeBreaker(route);
    this.claimScopes = List.of(keyScope, keyModelScope);
    this.claimBreakers = List.of(modelBreaker, routeBreaker);
  }

  /**
   * Returns the claim of one attempt on this route: the same (immutable) claim as last time when
   * the pool's limits, the demand and the breaker configuration have not changed, so calls of one
   * shape build it once.
   */
  RouteClaim claim(BucketLimits limits, Demand demand, BreakerConfig config) {
    RouteClaim c = lastClaim;
    if (c != null && c.limits() == limits && c.breakerConfig() == config
        && c.demand().equals(demand)) {
      return c;
    }
    c = new RouteClaim(pool, limits, demand, claimScopes, poolScope, claimBreakers, config);
    lastClaim = c;
    return c;
  }

  @Override
  public String keyAlias() {
    return key.alias();
  }

  @Override
  public String organization() {
    return key.organization();
  }

  @Override
  public String model() {
    return tier.model();
  }

  @Override
  public int weight() {
    return key.weight();
  }

  @Override
  public int inFlight() {
    return stats.inFlight.get();
  }

  @Override
  public double headroom() {
    BucketLimits limits = engine.limits.of(pool);
    BudgetLevels known = engine.view.levels(pool, limits);
    return (known != null ? known : engine.budgets.levels(pool, limits)).headroom();
  }

  @Override
  public long latencyEwmaNanos() {
    return stats.latencyEwmaNanos();
  }

  @Override
  public String toString() {
    return "Route[" + route + ", pool=" + pool + "]";
  }
}
