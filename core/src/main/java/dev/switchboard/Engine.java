package dev.switchboard;

import dev.switchboard.admission.AdmissionController;
import dev.switchboard.budget.ModelPools;
import dev.switchboard.budget.PoolLimits;
import dev.switchboard.cache.CachePolicy;
import dev.switchboard.cache.SingleFlight;
import dev.switchboard.observe.SafeListener;
import dev.switchboard.retry.Backoff;
import dev.switchboard.retry.RetryBudget;
import dev.switchboard.schedule.Scheduler;
import dev.switchboard.spi.AttemptOptions;
import dev.switchboard.spi.BreakerConfig;
import dev.switchboard.spi.BreakerTransition;
import dev.switchboard.spi.RoutingView;
import dev.switchboard.spi.BreakerStore;
import dev.switchboard.spi.BudgetStore;
import dev.switchboard.spi.ErrorClassifier;
import dev.switchboard.spi.HealthStore;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.Outcome;
import dev.switchboard.spi.ResponseCacheStore;
import dev.switchboard.spi.RouterEvent;
import dev.switchboard.spi.RouterListener;
import dev.switchboard.spi.RoutingStrategy;
import dev.switchboard.spi.StateStore;
import dev.switchboard.spi.Ticker;
import dev.switchboard.spi.TokenEstimator;
import dev.switchboard.spi.Transport;
import dev.switchboard.stats.SlaStats;
import dev.switchboard.stream.StreamDelivery;
import dev.switchboard.stream.StreamHandler;
import dev.switchboard.stream.StreamTimeouts;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Everything one router holds: configuration, state stores, counters. Calls run in {@link Call}. */
final class Engine {
  static final Logger LOG = LoggerFactory.getLogger(Switchboard.class);

  /** A tier skipped for a call after this many server errors on it in that call. */
  static final int SERVER_ERRORS_PER_TIER = 2;

  final Ticker ticker;
  final InstantSource clock;
  final RandomGenerator random;
  final Transport transport;
  final boolean ownsTransport;
  final StateStore state;
  final boolean ownsState;
  final BudgetStore budgets;
  final HealthStore health;
  final BreakerStore breakers;
  /** Health as planning reads it: no I/O per call (a shared store serves a refreshed snapshot). */
  final RoutingView view;
  final RoutingStrategy strategy;
  final SafeListener listener;
  final TokenEstimator estimator;
  final ErrorClassifier classifier;
  final List<KeySpec> keys;
  final Map<String, KeySpec> keysByAlias;
  final List<ModelTier> tiers;
  /** Per tier, every key × model route allowed by the keys' model lists, in key order. */
  final List<List<RouteCandidate>> routesByTier;
  /** Per tier, the name of the tier model's breaker (built once, not per plan). */
  final String[] modelBreakers;
  /** Per tier, the price of the tier's model (configured, else built in). */
  final ModelPrice[] tierPrices;
  /**
   * Per tenant with a binding (and one entry for every unbound tenant), the routes of each tier
   * that tenant may use: bindings are static, so the filter runs once per tenant, not per plan.
   */
  private final ConcurrentHashMap<String, List<List<RouteCandidate>>> routesByTenant =
      new ConcurrentHashMap<>();
  private final List<List<RouteCandidate>> unboundRoutes;
  /** The attempt options for an attempt given the whole default attempt timeout. */
  final AttemptOptions defaultTimeoutOptions;
  final long defaultAttemptTimeoutNanos;
  final PoolLimits limits;
  final Duration defaultDeadline;
  final int defaultMaxAttempts;
  final Duration defaultAttemptTimeout;
  final long outputEstimate;
  final Backoff backoff;
  final Duration maxCooldown;
  final BreakerConfig breakerConfig;
  final RetryBudget retryBudget;
  final AttemptOptions attemptOptions;
  final Scheduler scheduler;
  final boolean ownsScheduler;
  final StreamTimeouts streamTimeouts;
  final boolean continueStreams;
  /** How long a call may wait for an earlier tier's budget while a later tier could serve. */
  final long budgetPatienceNanos;

  final ConcurrentHashMap<String, RouteStats> routes = new ConcurrentHashMap<>();
  final Map<String, KeyHealth> keyHealth;
  final ConcurrentHashMap<String, KeyHealth> poolProbation = new ConcurrentHashMap<>();
  final java.util.Set<Call> live = ConcurrentHashMap.newKeySet();
  final BreakerConfig userBreakerConfig;
  final CachePolicy cachePolicy;
  final ResponseCacheStore responses;
  final SingleFlight<String, RoutedResponse> flights = new SingleFlight<>();
  final AdmissionController admission;
  /** Tenant → the keys it may use, for tenants with a binding. */
  final Map<String, Set<String>> tenantKeys;
  /** Key alias → the tenant it is dedicated to. */
  final Map<String, String> keyOwners;
  final Map<String, ModelPrice> prices;
  final Affinity affinity;
  final SlaStats sla;
  final Costs costs = new Costs();
  private final java.util.concurrent.ConcurrentLinkedQueue<Call> probeWaiters =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  final AtomicLong callIds = new AtomicLong();
  final AtomicLong calls = new AtomicLong();
  final AtomicLong attempts = new AtomicLong();
  final AtomicLong rateLimited = new AtomicLong();
  final AtomicLong fallbacks = new AtomicLong();
  final AtomicLong retries = new AtomicLong();
  final AtomicLong budgetWaits = new AtomicLong();

  Engine(Switchboard.Builder b, Transport transport, boolean ownsTransport, StateStore state,
      boolean ownsState, RoutingStrategy strategy, List<KeySpec> keys, List<ModelTier> tiers,
      PoolLimits limits, Scheduler scheduler, boolean ownsScheduler) {
    this.ticker = b.ticker;
    this.clock = b.clock;
    this.random = b.random;
    this.transport = transport;
    this.ownsTransport = ownsTransport;
    this.state = state;
    this.ownsState = ownsState;
    this.budgets = state.budgets();
    this.health = state.health();
    this.breakers = state.breakers();
    this.view = state.routingView();
    this.strategy = strategy;
    this.sla = SlaStats.builder().ticker(b.ticker).build();
    SafeListener own = new SafeListener(sla);
    SafeListener user = new SafeListener(b.listener);
    this.listener = new SafeListener(new RouterListener() {
      @Override
      public void onEvent(RouterEvent event) {
        own.emit(event);
        user.emit(event);
      }
    });
    this.userBreakerConfig = b.userBreakerConfig;
    this.cachePolicy = b.cachePolicy;
    this.responses = state.responses();
    this.prices = Map.copyOf(b.prices);
    this.keyOwners = b.keyOwners();
    Map<String, Set<String>> tk = new HashMap<>();
    b.tenantBindings.forEach((t, aliases) -> tk.put(t, Set.copyOf(aliases)));
    this.tenantKeys = Map.copyOf(tk);
    this.affinity = b.affinity ? new Affinity(b.ticker) : null;
    if (b.maxInFlight > 0) {
      AdmissionController.Builder ab = AdmissionController.builder().maxInFlight(b.maxInFlight)
          .maxQueued(b.maxQueued).ticker(b.ticker).defaultTenantPolicy(b.defaultTenantPolicy)
          .scheduler(scheduler);
      b.tenantPolicies.forEach(ab::tenant);
      this.admission = ab.build();
    } else {
      this.admission = null;
    }
    this.estimator = b.estimator;
    this.classifier = b.classifier;
    this.keys = List.copyOf(keys);
    Map<String, KeySpec> byAlias = new LinkedHashMap<>();
    for (KeySpec k : keys) {
      byAlias.put(k.alias(), k);
    }
    this.keysByAlias = Map.copyOf(byAlias);
    Map<String, KeyHealth> kh = new LinkedHashMap<>();
    for (KeySpec k : keys) {
      kh.put(k.alias(), new KeyHealth());
    }
    this.keyHealth = Map.copyOf(kh);
    this.tiers = List.copyOf(tiers);
    List<List<RouteCandidate>> byTier = new ArrayList<>();
    for (ModelTier t : this.tiers) {
      List<RouteCandidate> routesOfTier = new ArrayList<>();
      for (KeySpec k : this.keys) {
        if (k.allows(t.model())) {
          String route = k.alias() + "/" + t.model();
          routesOfTier.add(new RouteCandidate(k, t, ModelPools.poolId(k.organization(),
              t.modelPool()), stats(route), this));
        }
      }
      byTier.add(List.copyOf(routesOfTier));
    }
    this.routesByTier = List.copyOf(byTier);
    this.modelBreakers = new String[this.tiers.size()];
    for (int t = 0; t < modelBreakers.length; t++) {
      modelBreakers[t] = modelBreaker(this.tiers.get(t).model());
    }
    this.unboundRoutes = keyOwners.isEmpty() ? routesByTier : routesFor(null);
    this.limits = limits;
    this.defaultDeadline = b.deadline;
    this.defaultMaxAttempts = b.maxAttempts;
    this.defaultAttemptTimeout = b.attemptTimeout;
    this.outputEstimate = b.outputEstimate;
    this.backoff = b.backoff;
    this.maxCooldown = b.maxCooldown;
    this.breakerConfig = b.breakerConfig;
    this.retryBudget = new RetryBudget(ticker, b.retryRatio, b.minRetriesPerSecond, b.retryWindow);
    this.attemptOptions = AttemptOptions.DEFAULT;
    this.defaultAttemptTimeoutNanos = Math.max(1, Call.saturatedNanos(b.attemptTimeout));
    this.defaultTimeoutOptions = attemptOptions.withTimeout(Duration.ofNanos(defaultAttemptTimeoutNanos));
    this.tierPrices = new ModelPrice[this.tiers.size()];
    for (int t = 0; t < tierPrices.length; t++) {
      tierPrices[t] = price(this.tiers.get(t).model());
    }
    this.scheduler = scheduler;
    this.ownsScheduler = ownsScheduler;
    this.streamTimeouts = b.streamTimeouts;
    this.continueStreams = b.continueStreams;
    this.budgetPatienceNanos = Call.saturatedNanos(b.budgetPatience);
  }

  CompletableFuture<RoutedResponse> submit(MessageRequest request, CallOptions options) {
    return new Front(this, callIds.incrementAndGet(), request, options, null).start();
  }

  CompletableFuture<RoutedResponse> submitStream(MessageRequest request, CallOptions options,
      StreamHandler handler) {
    StreamDelivery delivery = StreamDelivery.to(handler, ticker);
    return new Front(this, callIds.incrementAndGet(), request, options, delivery).start();
  }

  /** Returns the price of {@code model}: configured, else built in. */
  ModelPrice price(String model) {
    ModelPrice p = prices.get(model);
    return p != null ? p : ModelPrice.builtIn(model);
  }

  /**
   * Returns, per tier, the routes {@code tenant} may use by its key bindings (in key order); the
   * same list instance every time for the same binding.
   */
  List<List<RouteCandidate>> routesOf(String tenant) {
    if (tenant == null || !tenantKeys.containsKey(tenant)) {
      return unboundRoutes;
    }
    List<List<RouteCandidate>> r = routesByTenant.get(tenant);
    return r != null ? r : routesByTenant.computeIfAbsent(tenant, this::routesFor);
  }

  private List<List<RouteCandidate>> routesFor(String tenant) {
    List<List<RouteCandidate>> out = new ArrayList<>(routesByTier.size());
    for (List<RouteCandidate> tier : routesByTier) {
      List<RouteCandidate> allowed = new ArrayList<>(tier.size());
      for (RouteCandidate c : tier) {
        boolean ok = tenant != null ? keyAllowed(tenant, c.key) : !keyOwners.containsKey(c.keyAlias());
        if (ok) {
          allowed.add(c);
        }
      }
      out.add(List.copyOf(allowed));
    }
    return List.copyOf(out);
  }

  /** Returns true when {@code key} may serve a call of {@code tenant}. */
  boolean keyAllowed(String tenant, KeySpec key) {
    Set<String> allowed = tenantKeys.get(tenant);
    if (allowed != null) {
      return allowed.contains(key.alias());
    }
    return !keyOwners.containsKey(key.alias());
  }

  static String userBreaker(String userId) {
    return "user:" + userId;
  }

  RouteStats stats(String route) {
    return routes.computeIfAbsent(route, r -> new RouteStats());
  }

  /** Tells the listener about breaker state changes a claim or a settlement caused. */
  void emitTransitions(List<BreakerTransition> transitions) {
    for (int i = 0; i < transitions.size(); i++) {
      BreakerTransition t = transitions.get(i);
      listener.emit(new RouterEvent.BreakerStateChanged(t.name(), t.from(), t.to()));
    }
  }

  /** Registers a call to plan again when a key's probe attempt ends. */
  void awaitProbe(Call call) {
    probeWaiters.add(call);
  }

  /** Wakes every call waiting for a probe, each on the scheduler (never under a call's lock). */
  void probeEnded() {
    Call c;
    while ((c = probeWaiters.poll()) != null) {
      Call waiter = c;
      scheduler.schedule(waiter::wakeFromProbe, 0);
    }
  }

  static String poolScope(String pool) {
    return "pool:" + pool;
  }

  static String keyScope(String alias) {
    return "key:" + alias;
  }

  static String keyModelScope(String alias, String model) {
    return "keymodel:" + alias + "/" + model;
  }

  static String modelBreaker(String model) {
    return "model:" + model;
  }

  static String routeBreaker(String route) {
    return "route:" + route;
  }

  /** Disables a key loudly: health scope, ERROR log line (alias only) and a KeyDisabled event. */
  void disableKey(KeySpec key, Outcome outcome, String reason) {
    if (health.disabledReason(keyScope(key.alias())) != null) {
      return;
    }
    health.disable(keyScope(key.alias()), outcome + ": " + reason);
    LOG.error("Switchboard disabled key '{}' of organization '{}' ({}): {}; it stays unused until "
        + "enableKey(\"{}\")", key.alias(), key.organization(), outcome, reason, key.alias());
    listener.emit(new RouterEvent.KeyDisabled(key.alias(), key.organization(), outcome, reason));
  }

  /** Disables every key of {@code organization}. */
  void disableOrganization(String organization, Outcome outcome, String reason) {
    for (KeySpec k : keys) {
      if (k.organization().equals(organization)) {
        disableKey(k, outcome, "organization '" + organization + "': " + reason);
      }
    }
  }

  boolean enableKey(String alias) {
    KeySpec key = keysByAlias.get(alias);
    if (key == null) {
      throw new IllegalArgumentException("no key with alias '" + alias + "'; known: "
          + keysByAlias.keySet());
    }
    boolean was = health.enable(keyScope(alias));
    keyHealth.get(alias).proven = false;
    for (ModelTier t : tiers) {
      was |= health.enable(keyModelScope(alias, t.model()));
    }
    if (was) {
      LOG.info("Switchboard re-enabled key '{}'", alias);
      listener.emit(new RouterEvent.KeyEnabled(alias));
    }
    return was;
  }

  CompletableFuture<Long> countTokens(MessageRequest request) {
    KeySpec key = null;
    for (KeySpec k : keys) {
      if (k.allows(request.model()) && health.disabledReason(keyScope(k.alias())) == null) {
        key = k;
        break;
      }
    }
    if (key == null) {
      return CompletableFuture.failedFuture(new NoRouteException("no enabled key may count tokens "
          + "for model '" + request.model() + "'", List.of()));
    }
    KeySpec chosen = key;
    CompletableFuture<dev.switchboard.spi.ProviderResponse> sent;
    try {
      sent = transport.countTokens(chosen.key(), request,
          attemptOptions.withTimeout(defaultAttemptTimeout));
    } catch (RuntimeException ex) {
      return CompletableFuture.failedFuture(ex);
    }
    return sent.thenApply(r -> {
      if (r.isSuccess() && r.tokenCount().isPresent()) {
        return r.tokenCount().getAsLong();
      }
      dev.switchboard.spi.Verdict v = classifier.classify(r);
      throw new RequestRejectedException("count_tokens with key '" + chosen.alias() + "' failed: "
          + v.reason(), v.outcome(), r.status(), List.of());
    });
  }

  RouterSnapshot snapshot() {
    Map<String, RouterSnapshot.Pool> pools = new TreeMap<>();
    List<String> ids = new ArrayList<>();
    for (KeySpec k : keys) {
      for (ModelTier t : tiers) {
        String id = ModelPools.poolId(k.organization(), t.modelPool());
        if (!ids.contains(id)) {
          ids.add(id);
        }
      }
    }
    for (String id : ids) {
      pools.put(id, new RouterSnapshot.Pool(budgets.levels(id, limits.of(id)), limits.isLearned(id)));
    }
    Map<String, Integer> inFlight = new TreeMap<>();
    routes.forEach((r, s) -> {
      int n = s.inFlight.get();
      if (n > 0) {
        inFlight.put(r, n);
      }
    });
    return new RouterSnapshot(pools, health.cooldowns(), health.disabled(), breakers.notClosed(),
        inFlight, new RouterSnapshot.Totals(calls.get(), attempts.get(), rateLimited.get(),
            fallbacks.get(), retries.get(), budgetWaits.get()), costs.snapshot(),
        admission == null ? java.util.Optional.empty() : java.util.Optional.of(admission.stats()),
        sla.snapshot());
  }

  void close() {
    if (admission != null) {
      admission.close();
    }
    for (Call c : live) {
      c.result.cancel(false);
    }
    if (ownsScheduler && scheduler instanceof AutoCloseable owned) {
      try {
        owned.close();
      } catch (Exception ex) {
        LOG.warn("Switchboard scheduler failed to close: {}", ex.toString());
      }
    }
    if (ownsTransport) {
      transport.close();
    }
    if (ownsState) {
      state.close();
    }
  }
}
