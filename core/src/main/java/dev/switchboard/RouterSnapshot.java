package dev.switchboard;

import dev.switchboard.spi.BreakerState;
import dev.switchboard.spi.BudgetLevels;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A point-in-time view of a router's state, for dashboards. Values are read one after another,
 * not atomically. Immutable.
 *
 * @param pools every budget pool with known limits, by pool id ({@code organization/modelPool})
 * @param cooldowns every scope cooling down ({@code pool:org/modelPool}, …) with the time left
 * @param disabled every disabled scope ({@code key:alias}, {@code keymodel:alias/model}) with why
 * @param breakers every breaker not CLOSED ({@code model:…}, {@code route:alias/model})
 * @param inFlight attempts in flight per route ({@code alias/model}), only routes with some
 * @param totals counters since the router was built
 */
public record RouterSnapshot(Map<String, Pool> pools, Map<String, Duration> cooldowns,
    Map<String, String> disabled, Map<String, BreakerState> breakers, Map<String, Integer> inFlight,
    Totals totals) {

  /** Copies. */
  public RouterSnapshot {
    pools = Map.copyOf(pools);
    cooldowns = Map.copyOf(cooldowns);
    disabled = Map.copyOf(disabled);
    breakers = Map.copyOf(breakers);
    inFlight = Map.copyOf(inFlight);
  }

  /**
   * One budget pool.
   *
   * @param levels the buckets' fill now, with the limits they are measured against
   * @param learned true when the limits came from response headers, false when configured
   */
  public record Pool(BudgetLevels levels, boolean learned) {}

  /**
   * Counters since the router was built.
   *
   * @param calls calls started
   * @param attempts attempts sent
   * @param rateLimited attempts that got a 429
   * @param fallbacks calls that moved to a fallback tier
   * @param retries attempts after the first of a call
   * @param budgetWaits times a call waited for budget or a cooldown
   */
  public record Totals(long calls, long attempts, long rateLimited, long fallbacks, long retries,
      long budgetWaits) {}

  /** Returns the pools as a list of ids, sorted. */
  public List<String> poolIds() {
    return pools.keySet().stream().sorted().toList();
  }
}
