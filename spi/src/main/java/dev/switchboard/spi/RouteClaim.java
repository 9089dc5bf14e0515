package dev.switchboard.spi;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Everything one attempt needs before it may go out, asked of the store in one step by
 * {@link StateStore#claimRoute}: none of {@code disabledScopes} is disabled, {@code cooldownScope}
 * is not cooling down, every breaker of {@code breakers} permits the call (taken in order), and
 * {@code demand} fits the budget of {@code pool}. Immutable.
 *
 * @param pool the rate-limit pool to take {@code demand} from
 * @param limits the pool's limits now in force (configured or learned)
 * @param demand what the attempt reserves
 * @param disabledScopes scopes any one of which, when disabled, refuses the claim (checked in
 *     order; may be empty)
 * @param cooldownScope the scope whose cooldown refuses the claim, or null to check none
 * @param breakers breakers to acquire, in order, each at most once (may be empty)
 * @param breakerConfig the configuration of every breaker of {@code breakers}
 */
public record RouteClaim(String pool, BucketLimits limits, Demand demand, List<String> disabledScopes,
    String cooldownScope, List<String> breakers, BreakerConfig breakerConfig) {

  /**
   * Validates and copies the lists, naming the field and value.
   *
   * @throws NullPointerException when a field other than {@code cooldownScope} is null
   * @throws IllegalArgumentException when a list holds null, or {@code breakers} names a breaker
   *     twice
   */
  public RouteClaim {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(demand, "demand");
    Objects.requireNonNull(breakerConfig, "breakerConfig");
    disabledScopes = copy("disabledScopes", disabledScopes);
    breakers = copy("breakers", breakers);
    if (new HashSet<>(breakers).size() != breakers.size()) {
      throw new IllegalArgumentException("breakers must name each breaker once but was " + breakers);
    }
  }

  /** Returns an unmodifiable copy of {@code list}, refusing null and null elements. */
  static <T> List<T> copy(String field, List<T> list) {
    Objects.requireNonNull(list, field);
    for (T element : list) {
      if (element == null) {
        throw new IllegalArgumentException(field + " must not contain null but was " + list);
      }
    }
    return List.copyOf(list);
  }
}
