package dev.switchboard.spi;

import java.util.Objects;

/**
 * A state change of a circuit breaker caused by a {@link StateStore#claimRoute claim} (OPEN to
 * HALF_OPEN when the open period has passed) or a {@link StateStore#settle settlement} (a trip to
 * OPEN, a probe closing or re-opening it), reported so that the router can emit its event.
 *
 * @param name the breaker, e.g. {@code model:claude-opus-4-1}
 * @param from the state before
 * @param to the state after; never equal to {@code from}
 */
public record BreakerTransition(String name, BreakerState from, BreakerState to) {

  /**
   * Validates, naming the field and value.
   *
   * @throws NullPointerException when a field is null
   * @throws IllegalArgumentException when {@code from} equals {@code to}
   */
  public BreakerTransition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (from == to) {
      throw new IllegalArgumentException("to must differ from from but both were " + to + " for breaker '"
          + name + "'");
    }
  }
}
