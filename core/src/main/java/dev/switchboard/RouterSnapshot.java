package dev.switchboard;

import dev.switchboard.admission.AdmissionStats;
import dev.switchboard.spi.BreakerState;
import dev.switchboard.spi.BudgetLevels;
import dev.switchboard.stats.SlaSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
 * @param costs dollars spent since the router was built, summed per tenant, key and model
 * @param admission the admission controller's counters, empty when the router admits every call
 * @param sla availability, error rates and latency percentiles over the router's sliding window
 */
public record RouterSnapshot(Map<String, Pool> pools, Map<String, Duration> cooldowns,
    Map<String, String> disabled, Map<String, BreakerState> breakers, Map<String, Integer> inFlight,
    Totals totals, Costs costs, Optional<AdmissionStats> admission, SlaSnapshot sla) {

  /** Returns a snapshot without costs, admission or SLA figures (kept for the original form). */
  public RouterSnapshot(Map<String, Pool> pools, Map<String, Duration> cooldowns,
      Map<String, String> disabled, Map<String, BreakerState> breakers, Map<String, Integer> inFlight,
      Totals totals) {
    this(pools, cooldowns, disabled, breakers, inFlight, totals, Costs.NONE, Optional.empty(),
        null);
  }

  /** Copies. */
  public RouterSnapshot {
    Objects.requireNonNull(costs, "costs");
    Objects.requireNonNull(admission, "admission");
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

  /**
   * Dollars spent, from each response's {@code usage} and its model's price. Cached and fallback
   * answers cost nothing and are not counted.
   *
   * @param total every call
   * @param byTenant per tenant (see {@link CallOptions#effectiveTenant()})
   * @param byKey per key alias
   * @param byModel per model id
   */
  public record Costs(double total, Map<String, Double> byTenant, Map<String, Double> byKey,
      Map<String, Double> byModel) {
    /** Nothing spent. */
    public static final Costs NONE = new Costs(0, Map.of(), Map.of(), Map.of());

    /** Copies. */
    public Costs {
      byTenant = Map.copyOf(byTenant);
      byKey = Map.copyOf(byKey);
      byModel = Map.copyOf(byModel);
    }

    /** Returns what {@code tenant} spent (0 when nothing). */
    public double tenant(String tenant) {
      return byTenant.getOrDefault(tenant, 0.0);
    }
  }

  /** Returns the pools as a list of ids, sorted. */
  public List<String> poolIds() {
    return pools.keySet().stream().sorted().toList();
  }
}
