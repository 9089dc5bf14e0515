package dev.switchboard.spi;

import java.time.Duration;
import java.util.Map;

/**
 * Cooldowns (until a time) and disables (until re-enabled) of routing scopes: a key × model pool,
 * a key, a model, an organization. Scope names are chosen by the router and never contain
 * secrets. Implementations must be thread-safe.
 */
public interface HealthStore {

  /** Cools {@code scope} down for {@code duration} from now; never shortens a longer cooldown. */
  void coolDown(String scope, Duration duration);

  /** Returns how long {@code scope} stays cooled down; {@link Duration#ZERO} when it is not. */
  Duration cooldownRemaining(String scope);

  /** Disables {@code scope} until {@link #enable}; the reason is kept for snapshots. */
  void disable(String scope, String reason);

  /** Re-enables {@code scope}; returns true when it was disabled. */
  boolean enable(String scope);

  /** Returns why {@code scope} is disabled, or null when it is not. */
  String disabledReason(String scope);

  /** Returns every disabled scope with its reason. */
  Map<String, String> disabled();

  /** Returns every scope still cooling down with the time left. */
  Map<String, Duration> cooldowns();
}
