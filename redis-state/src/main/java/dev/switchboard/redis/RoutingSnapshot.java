package dev.switchboard.redis;

import dev.switchboard.spi.BreakerConfig;
import dev.switchboard.spi.BreakerState;
import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.BudgetLevels;
import dev.switchboard.spi.BudgetStore;
import dev.switchboard.spi.Demand;
import dev.switchboard.spi.RoutingView;
import dev.switchboard.spi.Ticker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The Redis store's {@link RoutingView}: an immutable in-memory copy of the disabled scopes, the
 * cooldowns and the non-CLOSED routing breakers, read without I/O, locking or allocation.
 *
 * <p>Two things write it. A background refresh replaces it with what Redis holds ({@link #replace},
 * one round trip). Writes through this store (disable, enable, cooldown, breaker transitions,
 * what a claim learned) update it at once ({@link #write}); a write made while a refresh is in
 * flight is re-applied on top of that refresh's answer, which may predate it. Times left are
 * turned into deadlines of the store's ticker when they arrive, so no clock has to agree with
 * Redis's. While the store is degraded, the view answers from the fallback state instead.
 * Thread-safe: readers see one consistent copy; writers serialize on a monitor (writes are rare).
 */
final class RoutingSnapshot implements RoutingView {
  /** One copy: scope → reason, scope → cooldown deadline (ticker ns), breaker → state and deadline. */
  record State(Map<String, String> disabled, Map<String, Long> cooldownUntil, Map<String, Breaker> breakers) {}

  /** A non-CLOSED breaker: OPEN until {@code openUntil} (ticker ns), then HALF_OPEN. */
  record Breaker(BreakerState state, long openUntil) {}

  private static final State EMPTY = new State(Map.of(), Map.of(), Map.of());

  private final Ticker ticker;
  private final Guard guard;
  private final RoutingView fallback;
  private final Object lock = new Object();
  private volatile State state = EMPTY;
  /** The writes made since the refresh in flight began; null when none is in flight. */
  private List<UnaryOperator<State>> sinceRefresh;

  /** Budget levels read for strategies, per pool, kept for {@link #levelsTtl} nanoseconds. */
  private final Map<String, Levels> levels = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile BudgetStore budgets;
  private volatile long levelsTtl;

  private record Levels(BudgetLevels levels, long readAt) {}

  RoutingSnapshot(Ticker ticker, Guard guard, RoutingView fallback) {
    this.ticker = ticker;
    this.guard = guard;
    this.fallback = fallback;
  }

  /**
   * Lets {@link #levels} answer from reads of {@code store} at most {@code ttlNanos} old, so a
   * strategy weighing headroom costs a round trip per pool per refresh period, not per candidate.
   */
  void serveLevels(BudgetStore store, long ttlNanos) {
    this.budgets = store;
    this.levelsTtl = ttlNanos;
  }

  /**
   * Takes a granted claim's demand off the levels kept for {@code pool}, so a strategy weighing
   * headroom sees this router's own spending at once rather than at the next read.
   */
  void spent(String pool, Demand demand) {
    levels.computeIfPresent(pool, (p, known) -> {
      BudgetLevels l = known.levels;
      return new Levels(new BudgetLevels(l.limits(), l.requests() - demand.requests(),
          l.inputTokens() - demand.inputTokens(), l.outputTokens() - demand.outputTokens()),
          known.readAt);
    });
  }

  /** Forgets the levels kept for {@code pool} after a claim found it short: the next read is fresh. */
  void exhausted(String pool) {
    levels.remove(pool);
  }

  @Override
  public BudgetLevels levels(String pool, BucketLimits limits) {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(limits, "limits");
    BudgetStore store = budgets;
    if (store == null) {
      return null;
    }
    long now = ticker.read();
    Levels known = levels.get(pool);
    if (known != null && now - known.readAt < levelsTtl && known.levels.limits().equals(limits)) {
      return known.levels;
    }
    BudgetLevels read = store.levels(pool, limits);
    if (levels.size() < 10_000 || levels.containsKey(pool)) {
      levels.put(pool, new Levels(read, now));
    }
    return read;
  }

  @Override
  public String disabledReason(String scope) {
    Objects.requireNonNull(scope, "scope");
    if (guard.degraded()) {
      return fallback.disabledReason(scope);
    }
    return state.disabled.get(scope);
  }

  @Override
  public long cooldownNanos(String scope) {
    Objects.requireNonNull(scope, "scope");
    if (guard.degraded()) {
      return fallback.cooldownNanos(scope);
    }
    Long until = state.cooldownUntil.get(scope);
    if (until == null) {
      return 0;
    }
    long left = until - ticker.read();
    return left > 0 ? left : 0;
  }

  @Override
  public BreakerState breakerState(String name, BreakerConfig config) {
    Objects.requireNonNull(name, "name");
    if (guard.degraded()) {
      return fallback.breakerState(name, config);
    }
    Breaker b = state.breakers.get(name);
    if (b == null) {
      return BreakerState.CLOSED;
    }
    if (b.state == BreakerState.OPEN && b.openUntil - ticker.read() <= 0) {
      return BreakerState.HALF_OPEN;
    }
    return b.state;
  }

  /** Returns the ticker that times this view's deadlines. */
  Ticker ticker() {
    return ticker;
  }

  /** Returns the current copy; for tests and snapshots. */
  State current() {
    return state;
  }

  /** Records that {@code scope} is disabled for {@code reason}. */
  void disabled(String scope, String reason) {
    write(s -> {
      if (reason.equals(s.disabled.get(scope))) {
        return s;
      }
      Map<String, String> next = new HashMap<>(s.disabled);
      next.put(scope, reason);
      return new State(Map.copyOf(next), s.cooldownUntil, s.breakers);
    });
  }

  /** Records that {@code scope} is enabled. */
  void enabled(String scope) {
    write(s -> {
      if (!s.disabled.containsKey(scope)) {
        return s;
      }
      Map<String, String> next = new HashMap<>(s.disabled);
      next.remove(scope);
      return new State(Map.copyOf(next), s.cooldownUntil, s.breakers);
    });
  }

  /** Records that {@code scope} cools down for {@code nanos} from now (never shortening one). */
  void cooled(String scope, long nanos) {
    long now = ticker.read();
    long until = now + nanos < now ? Long.MAX_VALUE : now + nanos;
    write(s -> {
      Long current = s.cooldownUntil.get(scope);
      if (current != null && current - until >= 0) {
        return s;
      }
      Map<String, Long> next = new HashMap<>(s.cooldownUntil);
      next.put(scope, until);
      return new State(s.disabled, Map.copyOf(next), s.breakers);
    });
  }

  /**
   * Records what a refused claim found: {@code scope} cools down for {@code nanos} more. Writes
   * only when this view did not know it, so claims refused again and again copy nothing.
   */
  void learnedCooling(String scope, long nanos) {
    long now = ticker.read();
    long until = now + nanos < now ? Long.MAX_VALUE : now + nanos;
    write(s -> {
      Long current = s.cooldownUntil.get(scope);
      if (current != null && current - now > 0) {
        return s;
      }
      Map<String, Long> next = new HashMap<>(s.cooldownUntil);
      next.put(scope, until);
      return new State(s.disabled, Map.copyOf(next), s.breakers);
    });
  }

  /**
   * Records what a refused claim found: routing breaker {@code name} is OPEN for {@code nanos}
   * more. Writes only when this view did not know it.
   */
  void learnedOpen(String name, long nanos) {
    if (!Keys.routingBreaker(name)) {
      return;
    }
    long now = ticker.read();
    Breaker open = new Breaker(BreakerState.OPEN, now + nanos < now ? Long.MAX_VALUE : now + nanos);
    write(s -> {
      Breaker current = s.breakers.get(name);
      if (current != null && current.state == BreakerState.OPEN && current.openUntil - now > 0) {
        return s;
      }
      Map<String, Breaker> next = new HashMap<>(s.breakers);
      next.put(name, open);
      return new State(s.disabled, s.cooldownUntil, Map.copyOf(next));
    });
  }

  /**
   * Records that routing breaker {@code name} is now {@code to}; {@code openNanos} is its open
   * period left (OPEN only).
   */
  void breaker(String name, BreakerState to, long openNanos) {
    if (!Keys.routingBreaker(name)) {
      return; // the view covers routing breakers only, as the refresh does
    }
    long now = ticker.read();
    Breaker b = to == BreakerState.CLOSED ? null
        : new Breaker(to, to == BreakerState.OPEN ? (now + openNanos < now ? Long.MAX_VALUE : now + openNanos) : now);
    write(s -> {
      Breaker current = s.breakers.get(name);
      if (Objects.equals(current, b)) {
        return s;
      }
      Map<String, Breaker> next = new HashMap<>(s.breakers);
      if (b == null) {
        next.remove(name);
      } else {
        next.put(name, b);
      }
      return new State(s.disabled, s.cooldownUntil, Map.copyOf(next));
    });
  }

  private void write(UnaryOperator<State> op) {
    synchronized (lock) {
      state = op.apply(state);
      if (sinceRefresh != null) {
        sinceRefresh.add(op);
      }
    }
  }

  /** Marks the start of a refresh: writes from now on are re-applied on top of its answer. */
  void refreshing() {
    synchronized (lock) {
      sinceRefresh = new ArrayList<>(2);
    }
  }

  /** Replaces the copy with a refresh's answer plus the writes made while it was in flight. */
  void replace(State fresh) {
    synchronized (lock) {
      State s = fresh;
      if (sinceRefresh != null) {
        for (UnaryOperator<State> op : sinceRefresh) {
          s = op.apply(s);
        }
      }
      state = s;
      sinceRefresh = null;
    }
  }

  /** Ends a refresh that brought nothing (Redis failed or the store is degraded). */
  void refreshFailed() {
    synchronized (lock) {
      sinceRefresh = null;
    }
  }

  @Override
  public String toString() {
    State s = state;
    return "RoutingSnapshot[" + s.disabled.size() + " disabled, " + s.cooldownUntil.size() + " cooling, "
        + s.breakers.size() + " breakers not closed" + (guard.degraded() ? ", degraded" : "") + "]";
  }
}
