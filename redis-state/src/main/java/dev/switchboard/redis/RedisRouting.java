package dev.switchboard.redis;

import dev.switchboard.spi.BreakerPermit;
import dev.switchboard.spi.BreakerState;
import dev.switchboard.spi.BreakerTransition;
import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.BudgetGrant;
import dev.switchboard.spi.Demand;
import dev.switchboard.spi.RateLimitInfo;
import dev.switchboard.spi.RouteClaim;
import dev.switchboard.spi.RouteGrant;
import dev.switchboard.spi.RouteSettlement;
import dev.switchboard.spi.RoutingView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import redis.clients.jedis.UnifiedJedis;

/**
 * The routed-call path of the Redis store: claims in one round trip ({@code route-claim.lua}),
 * settlements in batches on one flusher thread ({@code route-settle.lua}), and the routing view
 * refreshed in one round trip ({@code route-view.lua}) on a background thread. Every key these
 * scripts touch shares the routing hash tag, so each batch is one script call even in Redis
 * Cluster. Claims and settlements whose breakers are not all routing breakers (a {@code user:…}
 * breaker lives in a slot of its own) go through {@code composedClaim} / {@code composedSettle}
 * instead: the SPI's composition of the per-concern stores. While Redis is degraded, claims and
 * settlements are the composition over the {@link FallbackState}, and the view answers from it.
 * Thread-safe.
 */
final class RedisRouting implements AutoCloseable {
  /** The most settlements one script call carries. */
  static final int SETTLE_BATCH = 64;
  /** The most settlements waiting for the flusher; more are settled in the local fallback. */
  static final int SETTLE_QUEUE = 10_000;
  /** How long {@link #close()} lets the flusher send what is queued. */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private static final BucketLimits.Dimension[] DIMENSIONS = BucketLimits.Dimension.values();
  private static final BreakerState[] STATES = RedisBreakerStore.STATES;

  private final UnifiedJedis jedis;
  private final Keys keys;
  private final Guard guard;
  private final ScriptClock clock;
  private final FallbackState fallback;
  private final RoutingSnapshot view;
  private final String budgetIdleMillis;
  private final String breakerIdleMillis;
  private final long viewRefreshNanos;
  private final Function<RouteSettlement, List<BreakerTransition>> composedSettle;
  private final SettleQueue queue;
  private final AtomicBoolean viewStarted = new AtomicBoolean();
  private final AtomicBoolean overflowing = new AtomicBoolean();
  private final AtomicLong settledLocally = new AtomicLong();
  private volatile ScheduledExecutorService refresher;
  private volatile boolean closed;

  RedisRouting(UnifiedJedis jedis, Keys keys, Guard guard, ScriptClock clock, FallbackState fallback,
      RoutingSnapshot view, long budgetIdleMillis, long breakerIdleMillis, Duration viewRefresh,
      Function<RouteSettlement, List<BreakerTransition>> composedSettle) {
    this.jedis = jedis;
    this.keys = keys;
    this.guard = guard;
    this.clock = clock;
    this.fallback = fallback;
    this.view = view;
    this.budgetIdleMillis = Long.toString(budgetIdleMillis);
    this.breakerIdleMillis = Long.toString(breakerIdleMillis);
    this.viewRefreshNanos = Durations.nanos(viewRefresh);
    this.composedSettle = composedSettle;
    this.queue = new SettleQueue(SETTLE_QUEUE, SETTLE_BATCH, this::send, this::overflow,
        "switchboard-redis-settle");
  }

  // ---------------------------------------------------------------- claim

  /** Claims a route whose breakers are all routing breakers: one {@code EVALSHA}, or the fallback. */
  RouteGrant claim(RouteClaim claim) {
    return guard.call(() -> claimInRedis(claim), () -> fallback.claimRoute(claim));
  }

  /** Returns the keys of the claim script for {@code claim}, in order; all in the routing slot. */
  List<String> claimKeys(RouteClaim claim) {
    List<String> out = new ArrayList<>(3 + claim.breakers().size());
    out.add(keys.disabled());
    out.add(keys.cooldown(claim.cooldownScope() == null ? "" : claim.cooldownScope()));
    out.add(keys.budget(claim.pool()));
    for (String name : claim.breakers()) {
      out.add(keys.breaker(name));
    }
    return out;
  }

  private RouteGrant claimInRedis(RouteClaim claim) {
    List<String> args = new ArrayList<>(18 + claim.disabledScopes().size());
    args.add(Integer.toString(claim.disabledScopes().size()));
    args.addAll(claim.disabledScopes());
    args.add(claim.cooldownScope() == null ? "0" : "1");
    RedisBreakerStore.addConfig(args, claim.breakerConfig(), breakerIdleMillis);
    addTriple(args, claim.limits());
    args.add(budgetIdleMillis);
    addTriple(args, claim.demand());
    List<?> r = (List<?>) Scripts.ROUTE_CLAIM.run(jedis, clock, claimKeys(claim), args);

    int status = (int) number(r, 0);
    int index = (int) number(r, 2);
    long wait = number(r, 3);
    long detail = number(r, 4);
    int n = (int) number(r, 5);
    int at = 6;
    List<BreakerPermit> permits = new ArrayList<>(n);
    for (int i = 0; i < n; i++, at += 3) {
      permits.add(new BreakerPermit(true, number(r, at) == 1, STATES[(int) number(r, at + 1)],
          STATES[(int) number(r, at + 2)], Duration.ZERO));
    }
    int t = (int) number(r, at++);
    List<BreakerTransition> transitions = new ArrayList<>(t);
    for (int i = 0; i < t; i++, at += 3) {
      String name = claim.breakers().get((int) number(r, at) - 1);
      BreakerState to = STATES[(int) number(r, at + 2)];
      transitions.add(new BreakerTransition(name, STATES[(int) number(r, at + 1)], to));
      view.breaker(name, to, 0);
    }
    switch (status) {
      case 0:
        view.spent(claim.pool(), claim.demand());
        return RouteGrant.granted(permits, transitions);
      case 1: {
        String scope = claim.disabledScopes().get(index - 1);
        view.disabled(scope, (String) r.get(1));
        return RouteGrant.refused(RouteGrant.Status.DISABLED, scope, 0, transitions);
      }
      case 2: {
        long nanos = wait * 1_000_000;
        view.learnedCooling(claim.cooldownScope(), nanos);
        return RouteGrant.refused(RouteGrant.Status.COOLING, claim.cooldownScope(), nanos, transitions);
      }
      case 3: {
        String name = claim.breakers().get(index - 1);
        long nanos = wait * 1_000;
        if (STATES[(int) detail] == BreakerState.OPEN) {
          view.learnedOpen(name, nanos);
        }
        return RouteGrant.refused(RouteGrant.Status.BREAKER_OPEN, name, nanos, transitions);
      }
      case 4:
        view.exhausted(claim.pool());
        return RouteGrant.budgetShort(BudgetGrant.refused(wait < 0 ? Long.MAX_VALUE : wait,
            DIMENSIONS[(int) detail - 1]), transitions);
      default:
        throw new IllegalStateException("route-claim.lua answered status " + status);
    }
  }

  // ---------------------------------------------------------------- settle

  /** Queues a settlement for the flusher; never blocks, never fails. */
  CompletionStage<List<BreakerTransition>> settle(RouteSettlement settlement) {
    return queue.submit(settlement);
  }

  /** Returns the settlements waiting for the flusher; for tests. */
  SettleQueue queue() {
    return queue;
  }

  /** Sends one batch (on the flusher thread) and completes every stage of it. */
  private void send(List<SettleQueue.Pending> batch) {
    List<SettleQueue.Pending> routed = new ArrayList<>(batch.size());
    for (SettleQueue.Pending p : batch) {
      if (Keys.routingBreakers(p.settlement().claim().breakers())) {
        routed.add(p);
      } else {
        p.done().complete(composedSafely(p.settlement()));
      }
    }
    if (routed.isEmpty()) {
      return;
    }
    boolean[] local = {false};
    List<List<BreakerTransition>> results = guard.call(() -> settleInRedis(routed), () -> {
      local[0] = true;
      return settleLocally(routed);
    });
    if (local[0]) {
      if (settledLocally.getAndAdd(routed.size()) == 0) {
        guard.tell("redis-state settles routed calls in the local fallback while Redis is unavailable: "
            + "reservations taken in Redis are not refunded there (they refill with time)");
      }
    } else {
      long missed = settledLocally.getAndSet(0);
      if (missed > 0) {
        guard.tell("redis-state settled " + missed + " routed call(s) in the local fallback during the outage; "
            + "their refunds did not reach the shared budgets");
      }
      if (queue.size() < SETTLE_QUEUE / 2) {
        overflowing.set(false);
      }
    }
    for (int i = 0; i < routed.size(); i++) {
      routed.get(i).done().complete(results.get(i));
    }
  }

  /** Settles, without I/O, one settlement the full queue could not take. */
  private void overflow(SettleQueue.Pending p) {
    if (overflowing.compareAndSet(false, true)) {
      guard.tell("redis-state settle queue is full (" + SETTLE_QUEUE + " waiting): settling in the local "
          + "fallback until it drains; those refunds do not reach the shared budgets");
    }
    p.done().complete(settleLocally(List.of(p)).get(0));
  }

  private List<BreakerTransition> composedSafely(RouteSettlement s) {
    try {
      return composedSettle.apply(s);
    } catch (RuntimeException e) {
      guard.tell("redis-state could not settle a routed call: " + Guard.describe(e));
      return List.of();
    }
  }

  private List<List<BreakerTransition>> settleLocally(List<SettleQueue.Pending> batch) {
    List<List<BreakerTransition>> out = new ArrayList<>(batch.size());
    for (SettleQueue.Pending p : batch) {
      try {
        out.add(fallback.settle(p.settlement()).toCompletableFuture().join());
      } catch (RuntimeException e) {
        guard.tell("redis-state could not settle a routed call in the local fallback: " + Guard.describe(e));
        out.add(List.of());
      }
    }
    return out;
  }

  /** Returns the keys of the settle script for {@code batch}, in order; all in the routing slot. */
  List<String> settleKeys(List<RouteSettlement> batch) {
    List<String> out = new ArrayList<>();
    out.add(keys.routingBreakerIndex());
    for (RouteSettlement s : batch) {
      out.add(keys.budget(s.claim().pool()));
      for (String name : s.claim().breakers()) {
        out.add(keys.breaker(name));
      }
    }
    return out;
  }

  private List<List<BreakerTransition>> settleInRedis(List<SettleQueue.Pending> batch) {
    List<RouteSettlement> settlements = new ArrayList<>(batch.size());
    List<String> args = new ArrayList<>(2 + batch.size() * 33);
    args.add(Integer.toString(batch.size()));
    args.add(Double.toString(RedisBudgetStore.TOKEN_ROUNDING));
    for (SettleQueue.Pending p : batch) {
      RouteSettlement s = p.settlement();
      settlements.add(s);
      RouteClaim c = s.claim();
      addTriple(args, c.limits());
      addTriple(args, c.demand());
      args.add(s.actual() == null ? "0" : "1");
      addTriple(args, s.actual() == null ? Demand.NONE : s.actual());
      RateLimitInfo info = s.observed();
      boolean observe = info.requests().remaining() >= 0 || info.inputTokens().remaining() >= 0
          || info.outputTokens().remaining() >= 0;
      args.add(observe ? "1" : "0");
      args.add(Long.toString(info.requests().remaining()));
      args.add(Long.toString(info.inputTokens().remaining()));
      args.add(Long.toString(info.outputTokens().remaining()));
      addTriple(args, s.observeLimits());
      args.add(budgetIdleMillis);
      RedisBreakerStore.addConfig(args, c.breakerConfig(), breakerIdleMillis);
      args.add(Integer.toString(c.breakers().size()));
      for (int i = 0; i < c.breakers().size(); i++) {
        RouteSettlement.Verdict v = s.verdicts().get(i);
        args.add(v == RouteSettlement.Verdict.SUCCESS ? "0" : v == RouteSettlement.Verdict.FAILURE ? "1" : "2");
        args.add(s.grant().permits().get(i).probe() ? "1" : "0");
        args.add(c.breakers().get(i));
      }
    }
    List<?> r = (List<?>) Scripts.ROUTE_SETTLE.run(jedis, clock, settleKeys(settlements), args);
    List<List<BreakerTransition>> out = new ArrayList<>(batch.size());
    int at = 0;
    for (RouteSettlement s : settlements) {
      int t = (int) number(r, at++);
      List<BreakerTransition> transitions = t == 0 ? List.of() : new ArrayList<>(t);
      for (int i = 0; i < t; i++, at += 4) {
        String name = s.claim().breakers().get((int) number(r, at) - 1);
        BreakerState to = STATES[(int) number(r, at + 2)];
        transitions.add(new BreakerTransition(name, STATES[(int) number(r, at + 1)], to));
        view.breaker(name, to, number(r, at + 3) * 1_000);
      }
      out.add(t == 0 ? transitions : List.copyOf(transitions));
    }
    return out;
  }

  // ---------------------------------------------------------------- view

  /**
   * Returns the routing view; the first call loads it (one round trip on the caller's thread) and
   * starts the background refresh every {@code viewRefresh}.
   */
  RoutingView view() {
    if (!closed && viewStarted.compareAndSet(false, true)) {
      refresh();
      ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "switchboard-redis-view");
        t.setDaemon(true);
        return t;
      });
      s.scheduleWithFixedDelay(this::refreshQuietly, viewRefreshNanos, viewRefreshNanos, TimeUnit.NANOSECONDS);
      refresher = s;
      if (closed) {
        s.shutdownNow();
      }
    }
    return view;
  }

  /** Returns the keys of the view script, in order; all in the routing slot. */
  List<String> viewKeys() {
    return List.of(keys.disabled(), keys.cooldownIndex(), keys.routingBreakerIndex());
  }

  /** Replaces the view with what Redis holds: one {@code EVALSHA}; nothing while degraded. */
  void refresh() {
    view.refreshing();
    boolean done = false;
    try {
      done = guard.call(() -> {
        readView();
        return true;
      }, () -> false);
    } finally {
      if (!done) {
        view.refreshFailed();
      }
    }
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      guard.tell("redis-state could not refresh the routing view: " + Guard.describe(e));
    }
  }

  private void readView() {
    List<?> r = (List<?>) Scripts.ROUTE_VIEW.run(jedis, clock, viewKeys(), List.of(breakerIdleMillis));
    long now = view.ticker().read();
    List<?> disabledReply = (List<?>) r.get(0);
    Map<String, String> disabled = new HashMap<>();
    for (int i = 0; i + 1 < disabledReply.size(); i += 2) {
      disabled.put((String) disabledReply.get(i), (String) disabledReply.get(i + 1));
    }
    List<?> coolingReply = (List<?>) r.get(1);
    Map<String, Long> cooling = new HashMap<>();
    for (int i = 0; i + 1 < coolingReply.size(); i += 2) {
      long ms = (Long) coolingReply.get(i + 1);
      if (ms > 0) {
        cooling.put((String) coolingReply.get(i), now + ms * 1_000_000);
      }
    }
    List<?> breakerReply = (List<?>) r.get(2);
    Map<String, RoutingSnapshot.Breaker> breakers = new HashMap<>();
    for (int i = 0; i + 1 < breakerReply.size(); i += 2) {
      long ms = (Long) breakerReply.get(i + 1);
      breakers.put((String) breakerReply.get(i), ms > 0
          ? new RoutingSnapshot.Breaker(BreakerState.OPEN, now + ms * 1_000_000)
          : new RoutingSnapshot.Breaker(BreakerState.HALF_OPEN, now));
    }
    view.replace(new RoutingSnapshot.State(Map.copyOf(disabled), Map.copyOf(cooling), Map.copyOf(breakers)));
    fallback.health().seen(disabled);
  }

  /** Sends what is queued (waiting at most {@link #CLOSE_WAIT}), then stops both threads. */
  @Override
  public void close() {
    closed = true;
    queue.close(Durations.nanos(CLOSE_WAIT));
    ScheduledExecutorService s = refresher;
    if (s != null) {
      s.shutdownNow();
    }
  }

  private static void addTriple(List<String> args, BucketLimits limits) {
    args.add(Long.toString(limits.requestsPerMinute()));
    args.add(Long.toString(limits.inputTokensPerMinute()));
    args.add(Long.toString(limits.outputTokensPerMinute()));
  }

  private static void addTriple(List<String> args, Demand demand) {
    args.add(Long.toString(demand.requests()));
    args.add(Long.toString(demand.inputTokens()));
    args.add(Long.toString(demand.outputTokens()));
  }

  private static long number(List<?> reply, int index) {
    return (Long) reply.get(index);
  }
}
