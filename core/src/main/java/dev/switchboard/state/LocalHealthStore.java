package dev.switchboard.state;

import dev.switchboard.spi.HealthStore;
import dev.switchboard.spi.Ticker;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-process cooldowns and disables. A cooldown is an until-reading of the ticker, merged with
 * {@code max} so it is never shortened; expired ones are dropped when next read. Scopes are few
 * (keys, models, organizations and their products), so no bound is needed.
 */
final class LocalHealthStore implements HealthStore {
  private final Ticker ticker;
  private final ConcurrentHashMap<String, Long> cooldownUntil = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, String> disabled = new ConcurrentHashMap<>();

  LocalHealthStore(Ticker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
  }

  @Override
  public void coolDown(String scope, Duration duration) {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must be >= 0 but was " + duration);
    }
    if (duration.isZero()) {
      return;
    }
    long until = saturatedAdd(ticker.read(), saturatedNanos(duration));
    cooldownUntil.merge(scope, until, Math::max);
  }

  @Override
  public Duration cooldownRemaining(String scope) {
    Objects.requireNonNull(scope, "scope");
    Long until = cooldownUntil.get(scope);
    if (until == null) {
      return Duration.ZERO;
    }
    long left = until - ticker.read();
    if (left <= 0) {
      cooldownUntil.remove(scope, until);
      return Duration.ZERO;
    }
    return Duration.ofNanos(left);
  }

  /** Returns the nanoseconds {@code scope} stays cooled down, 0 when it is not; allocates nothing. */
  long cooldownNanos(String scope) {
    Long until = cooldownUntil.get(scope);
    if (until == null) {
      return 0;
    }
    long left = until - ticker.read();
    if (left <= 0) {
      cooldownUntil.remove(scope, until);
      return 0;
    }
    return left;
  }

  @Override
  public void disable(String scope, String reason) {
    Objects.requireNonNull(scope, "scope");
    disabled.put(scope, reason == null || reason.isBlank() ? "disabled" : reason);
  }

  @Override
  public boolean enable(String scope) {
    Objects.requireNonNull(scope, "scope");
    return disabled.remove(scope) != null;
  }

  @Override
  public String disabledReason(String scope) {
    Objects.requireNonNull(scope, "scope");
    return disabled.get(scope);
  }

  @Override
  public Map<String, String> disabled() {
    return Collections.unmodifiableMap(new TreeMap<>(disabled));
  }

  @Override
  public Map<String, Duration> cooldowns() {
    long now = ticker.read();
    Map<String, Duration> out = new TreeMap<>();
    for (Map.Entry<String, Long> e : cooldownUntil.entrySet()) {
      long left = e.getValue() - now;
      if (left > 0) {
        out.put(e.getKey(), Duration.ofNanos(left));
      } else {
        cooldownUntil.remove(e.getKey(), e.getValue());
      }
    }
    return Collections.unmodifiableMap(out);
  }

  static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  static long saturatedAdd(long a, long b) {
    long r = a + b;
    if (((a ^ r) & (b ^ r)) < 0) {
      return b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
    return r;
  }
}
