package dev.switchboard.redis;

import dev.switchboard.spi.BreakerStore;
import dev.switchboard.spi.BreakerTransition;
import dev.switchboard.spi.BudgetStore;
import dev.switchboard.spi.HealthStore;
import dev.switchboard.spi.ResponseCacheStore;
import dev.switchboard.spi.RouteClaim;
import dev.switchboard.spi.RouteGrant;
import dev.switchboard.spi.RouteSettlement;
import dev.switchboard.spi.RoutingView;
import dev.switchboard.spi.StateStore;
import dev.switchboard.spi.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import redis.clients.jedis.UnifiedJedis;

/**
 * The shared home of a router's state: budgets, cooldowns and disables, circuit breakers and
 * cached responses in Redis, so that several router processes using the same API keys share one
 * view. Build one around your own {@link UnifiedJedis} (standalone {@code RedisClient}, sentinel
 * or cluster):
 *
 * <pre>{@code
 * UnifiedJedis redis = RedisClient.builder()
 *     .hostAndPort("redis", 6379)
 *     .clientConfig(DefaultJedisClientConfig.builder()
 *         .connectionTimeoutMillis(200).socketTimeoutMillis(200).build())
 *     .build();
 * StateStore state = RedisStateStore.builder(redis).expectedInstances(4).build();
 * }</pre>
 *
 * <p><b>One round trip per decision.</b> Every hot-path decision (budget acquire, breaker acquire,
 * cooldown check, cache lookup) is a single command or {@code EVALSHA} of a Lua script that reads
 * the Redis server's clock ({@code TIME}), never a JVM's (tests alone may inject a ticker). Scripts the server forgot
 * ({@code NOSCRIPT}) are re-sent with {@code EVAL} once. The keys one script touches share a
 * {@code {hash tag}}, so Redis Cluster works; every key lives under {@link Builder#keyPrefix} and
 * expires (cooldowns with their duration, budgets and breakers when idle, cache entries after
 * ttl + staleFor) except disables, which last until enabled.
 *
 * <p><b>Redis trouble never fails a call.</b> Operations run on the caller's thread (except
 * {@link #settle} and the view refresh, which run on the store's two background threads), bounded by
 * the client's socket and connection timeouts — configure them (Jedis defaults to 2 s) and the
 * pool's {@code maxWait}. An operation that throws is answered by an embedded in-memory fallback
 * (budgets divided by {@link Builder#expectedInstances}), and so are the next ones without
 * touching Redis, except one probe every {@link Builder#probeInterval}; an operation slower than
 * {@link Builder#timeout} keeps its answer but switches to the fallback the same way. A probe
 * first writes back the enables, disables and cooldowns recorded during the outage, and every
 * disable this store made (it keeps a local record of them) that Redis no longer has, as after a
 * restart without persistence; when that and its own operation answer in time, the store returns
 * to Redis. Cooldowns and breakers that lived only in Redis may be lost (they expire anyway);
 * a revoked key is never used again because of an outage. Each switch is reported once to
 * {@link Builder#listener}.
 *
 * <p><b>One round trip per routed attempt.</b> A router that plans with {@link #routingView()},
 * claims with {@link #claimRoute} and settles with {@link #settle} costs one {@code EVALSHA} on
 * its call path per attempt: the view is an in-memory copy refreshed in the background (one round
 * trip every {@link Builder#viewRefresh}), a claim checks and takes everything in one script, and
 * settlements are queued and sent in batches by one background thread. All routing keys share one
 * hash tag for this (see the key layout in the README).
 *
 * <p>Thread-safe. {@link #close()} flushes queued settlements and stops the background threads;
 * it does not close the client, which stays the caller's.
 */
public final class RedisStateStore implements StateStore {
  /** The default key prefix. */
  public static final String DEFAULT_KEY_PREFIX = "switchboard:";

  private final String keyPrefix;
  private final Guard guard;
  private final RedisBudgetStore budgets;
  private final RedisHealthStore health;
  private final RedisBreakerStore breakers;
  private final RedisResponseCacheStore responses;
  private final FallbackState fallback;
  private final RedisRouting routing;

  private RedisStateStore(Builder b) {
    this.keyPrefix = b.keyPrefix;
    this.guard = new Guard(b.ticker, Durations.nanos(b.timeout),
        Durations.nanos(b.probeInterval), b.listener);
    Keys keys = new Keys(b.keyPrefix);
    this.fallback = new FallbackState(new FallbackBudgets(b.ticker, b.expectedInstances),
        new FallbackHealth(b.ticker), new FallbackBreakers(b.ticker, b.maximumBreakers),
        new FallbackCache(b.ticker, b.maximumCachedResponses));
    // the view's deadlines run on the clock the scripts read: the store's ticker in production
    Ticker viewTicker = b.scriptClock.ticker() != null ? b.scriptClock.ticker() : b.ticker;
    RoutingSnapshot view = new RoutingSnapshot(viewTicker, guard, fallback.routingView());
    this.budgets = new RedisBudgetStore(b.client, keys, b.budgetIdleTtl.toMillis(), guard,
        fallback.budgets(), b.scriptClock);
    view.serveLevels(budgets, Durations.nanos(b.viewRefresh));
    this.health = new RedisHealthStore(b.client, keys, guard, fallback.health(), b.scriptClock, view);
    this.breakers = new RedisBreakerStore(b.client, keys, b.breakerIdleTtl.toMillis(), guard,
        fallback.breakers(), b.scriptClock, view);
    this.responses = new RedisResponseCacheStore(b.client, keys, guard, fallback.responses(), b.scriptClock);
    this.routing = new RedisRouting(b.client, keys, guard, b.scriptClock, fallback, view,
        b.budgetIdleTtl.toMillis(), b.breakerIdleTtl.toMillis(), b.viewRefresh, this::composedSettle);
    guard.onRecovery(health::replay);
  }

  /**
   * Returns a builder of a store on {@code client}.
   *
   * @throws NullPointerException when {@code client} is null
   */
  public static Builder builder(UnifiedJedis client) {
    return new Builder(Objects.requireNonNull(client, "client"));
  }

  /**
   * Returns the token buckets: one Redis hash per pool, refilled by server time; acquire is one
   * {@code EVALSHA}; settle and observe are one synchronous {@code EVALSHA} each on the caller's
   * thread (call them off any event-loop thread).
   */
  @Override
  public BudgetStore budgets() {
    return budgets;
  }

  /**
   * Returns the cooldowns (keys holding their end, expiring with {@code PX}; a check is one
   * {@code EVALSHA}) and disables (one hash without TTL, until enabled).
   */
  @Override
  public HealthStore health() {
    return health;
  }

  /**
   * Returns the circuit breakers: one Redis hash per breaker judged by a script on server time;
   * acquire, record and release are one {@code EVALSHA} each (record two on a transition).
   */
  @Override
  public BreakerStore breakers() {
    return breakers;
  }

  /**
   * Returns the response cache: one string per entry with {@code PX = ttl + staleFor}; a lookup is
   * one {@code EVALSHA}, a store one {@code EVALSHA} ({@code SET} with the store time).
   */
  @Override
  public ResponseCacheStore responses() {
    return responses;
  }

  /**
   * Returns the routing view: an in-memory copy of the disabled scopes, cooldowns and non-CLOSED
   * routing breakers, read without I/O. The first call loads it (one round trip); from then on a
   * background thread refreshes it with one round trip every {@link Builder#viewRefresh}, and
   * every write through this store (disable, enable, cooldown, breaker transition, what a claim
   * found) updates it at once. A change made by another router shows up after the next refresh.
   * Per-user ({@code user:…}) breakers are not in the view (they read CLOSED); ask
   * {@link #breakers()}. While degraded, the view answers from the local fallback state.
   */
  @Override
  public RoutingView routingView() {
    return routing.view();
  }

  /**
   * Claims a route in one {@code EVALSHA} ({@code route-claim.lua}): disabled scopes, cooldown,
   * breakers in order (OPEN to HALF_OPEN by server time, probe slots) and the budget (three
   * buckets refilled by server time), all or nothing, atomically. A claim naming a
   * {@code user:…} breaker, which lives outside the routing slot, is composed of the per-concern
   * stores instead (several round trips). While degraded, the local fallback answers.
   *
   * @throws NullPointerException when {@code claim} is null
   */
  @Override
  public RouteGrant claimRoute(RouteClaim claim) {
    Objects.requireNonNull(claim, "claim");
    return Keys.routingBreakers(claim.breakers()) ? routing.claim(claim) : StateStore.super.claimRoute(claim);
  }

  /**
   * Queues a settlement and returns at once: one background thread sends what is queued in
   * batches of up to 64 per round trip ({@code route-settle.lua}) and completes each stage, on
   * that thread, with the breaker transitions. Never blocks and never fails the caller: with
   * Redis unavailable, or more than 10,000 settlements waiting, it settles in the local fallback
   * and tells the listener (refunds settled there do not reach the shared budgets). After
   * {@link #close()}, a settlement is sent on the caller's thread.
   *
   * @throws NullPointerException when {@code settlement} is null
   */
  @Override
  public CompletionStage<List<BreakerTransition>> settle(RouteSettlement settlement) {
    Objects.requireNonNull(settlement, "settlement");
    return routing.settle(settlement);
  }

  /** The SPI's composition, for settlements of claims outside the routing slot. */
  private List<BreakerTransition> composedSettle(RouteSettlement settlement) {
    return StateStore.super.settle(settlement).toCompletableFuture().join();
  }

  /** Returns the routed-call path; for tests. */
  RedisRouting routing() {
    return routing;
  }

  /** Returns true while the store answers from its local fallback because Redis failed or was slow. */
  public boolean degraded() {
    return guard.degraded();
  }

  /** Returns the prefix of every key this store writes. */
  public String keyPrefix() {
    return keyPrefix;
  }

  /**
   * Sends the queued settlements (waiting at most 5 s, then settling what is left in the local
   * fallback), stops the settlement and view threads, and drops the fallback's cached responses;
   * the client is left open (it is the caller's).
   */
  @Override
  public void close() {
    routing.close();
    fallback.responses().clear();
  }

  @Override
  public String toString() {
    return "RedisStateStore[prefix=" + keyPrefix + (degraded() ? ", degraded" : "") + "]";
  }

  /**
   * Configures a {@link RedisStateStore}. Setters validate at once; {@link #build()} may be called
   * several times and never changes the builder. Not thread-safe.
   */
  public static final class Builder {
    private final UnifiedJedis client;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private Ticker ticker = Ticker.system();
    private Duration timeout = Duration.ofMillis(500);
    private Duration probeInterval = Duration.ofSeconds(1);
    private int expectedInstances = 1;
    private Consumer<String> listener = message -> {};
    private Duration budgetIdleTtl = Duration.ofMinutes(2);
    private Duration breakerIdleTtl = Duration.ofMinutes(10);
    private long maximumBreakers = 100_000;
    private long maximumCachedResponses = 10_000;
    private Duration viewRefresh = Duration.ofMillis(250);
    private ScriptClock scriptClock = ScriptClock.SERVER;

    private Builder(UnifiedJedis client) {
      this.client = client;
    }

    /**
     * Sets the prefix of every key (default {@code "switchboard:"}), so several applications can
     * share one Redis.
     *
     * @throws IllegalArgumentException when it is empty or contains '{' or '}' (hash-tag syntax)
     */
    public Builder keyPrefix(String keyPrefix) {
      Objects.requireNonNull(keyPrefix, "keyPrefix");
      if (keyPrefix.isEmpty() || keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0) {
        throw new IllegalArgumentException(
            "keyPrefix must be non-empty and contain no '{' or '}' but was '" + keyPrefix + "'");
      }
      this.keyPrefix = keyPrefix;
      return this;
    }

    /**
     * Sets the clock of the fallback state, of the probe interval and of the slow-call check
     * (default {@link Ticker#system()}). Shared state is always timed by the Redis server.
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Sets how long one Redis operation may take before the store switches to its fallback
     * (default 500 ms). The hard bound of a hanging call is the client's socket timeout.
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder timeout(Duration timeout) {
      this.timeout = positive("timeout", timeout);
      return this;
    }

    /**
     * Sets how often a degraded store lets one operation try Redis again (default 1 s).
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder probeInterval(Duration probeInterval) {
      this.probeInterval = positive("probeInterval", probeInterval);
      return this;
    }

    /**
     * Sets how many routers share the same pools (default 1): while Redis is down, each one uses
     * only its share of every limit.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder expectedInstances(int expectedInstances) {
      if (expectedInstances < 1) {
        throw new IllegalArgumentException("expectedInstances must be >= 1 but was " + expectedInstances);
      }
      this.expectedInstances = expectedInstances;
      return this;
    }

    /**
     * Sets who hears when the store switches to its fallback and back (default: nobody). Messages
     * name the cause (exception type and message, or the slow duration) and never a secret; called
     * on the thread that saw the switch; exceptions thrown are ignored.
     */
    public Builder listener(Consumer<String> listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Sets how long an unused budget pool is kept in Redis (default 2 min; longer while a bucket
     * refills). A forgotten pool starts full again.
     *
     * @throws IllegalArgumentException when below one second
     */
    public Builder budgetIdleTtl(Duration ttl) {
      this.budgetIdleTtl = atLeastSecond("budgetIdleTtl", ttl);
      return this;
    }

    /**
     * Sets how long an unused breaker is kept in Redis (default 10 min, plus its open period). A
     * forgotten breaker starts CLOSED again.
     *
     * @throws IllegalArgumentException when below one second
     */
    public Builder breakerIdleTtl(Duration ttl) {
      this.breakerIdleTtl = atLeastSecond("breakerIdleTtl", ttl);
      return this;
    }

    /**
     * Sets how many breakers the fallback keeps (default 100,000).
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder maximumBreakers(long maximumBreakers) {
      if (maximumBreakers < 1) {
        throw new IllegalArgumentException("maximumBreakers must be >= 1 but was " + maximumBreakers);
      }
      this.maximumBreakers = maximumBreakers;
      return this;
    }

    /**
     * Sets how many responses the fallback caches (default 10,000; 0 disables the fallback cache).
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder maximumCachedResponses(long maximumCachedResponses) {
      if (maximumCachedResponses < 0) {
        throw new IllegalArgumentException(
            "maximumCachedResponses must be >= 0 but was " + maximumCachedResponses);
      }
      this.maximumCachedResponses = maximumCachedResponses;
      return this;
    }

    /**
     * Sets how often the routing view is refreshed from Redis in the background, one round trip
     * each (default 250 ms): the longest a disable, cooldown or breaker trip made by another
     * router stays unseen by this router's planning (claims always check Redis itself).
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder viewRefresh(Duration viewRefresh) {
      this.viewRefresh = positive("viewRefresh", viewRefresh);
      return this;
    }

    /**
     * <b>Tests only.</b> Makes the Lua scripts read "now" from {@code ticker} (sent with every
     * script call) instead of the Redis server's {@code TIME}, so that a fake ticker drives
     * refills, cooldowns, breaker windows and cache ages in Redis exactly as it drives the local
     * home; this is how the state-store contract suite runs unchanged against Redis. Redis's own
     * key expiry ({@code PX}, {@code PEXPIRE}) stays on server time and only collects garbage.
     * Never use it for routers that share Redis: their JVM clocks do not agree. Package-private on
     * purpose; the default is the server's clock. The {@link #ticker} (fallback, probes, slow-call
     * check) is separate.
     */
    Builder scriptTicker(Ticker ticker) {
      this.scriptClock = ScriptClock.ticker(Objects.requireNonNull(ticker, "scriptTicker"));
      return this;
    }

    /** Returns a new store with this configuration. */
    public RedisStateStore build() {
      return new RedisStateStore(this);
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive but was " + d);
      }
      return d;
    }

    private static Duration atLeastSecond(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException(name + " must be >= PT1S but was " + d);
      }
      return d;
    }
  }
}
