package dev.switchboard;

import dev.switchboard.spi.Candidate;

/** A {@link Candidate} view of one key × model route of the current tier. */
final class RouteCandidate implements Candidate {
  final KeySpec key;
  final ModelTier tier;
  final String pool;
  final String route;
  final RouteStats stats;
  private final Engine engine;

  RouteCandidate(KeySpec key, ModelTier tier, String pool, RouteStats stats, Engine engine) {
    this.key = key;
    this.tier = tier;
    this.pool = pool;
    this.route = key.alias() + "/" + tier.model();
    this.stats = stats;
    this.engine = engine;
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
    return engine.budgets.levels(pool, engine.limits.of(pool)).headroom();
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
