package dev.switchboard;

import dev.switchboard.admission.Priority;
import dev.switchboard.admission.TenantPolicy;
import dev.switchboard.budget.HeuristicTokenEstimator;
import dev.switchboard.cache.CachePolicy;
import dev.switchboard.budget.ModelPools;
import dev.switchboard.budget.PoolLimits;
import dev.switchboard.retry.AnthropicErrorClassifier;
import dev.switchboard.retry.Backoff;
import dev.switchboard.retry.RetryBudget;
import dev.switchboard.schedule.Scheduler;
import dev.switchboard.spi.ApiKey;
import dev.switchboard.spi.BreakerConfig;
import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.ErrorClassifier;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.Providers;
import dev.switchboard.spi.RouterListener;
import dev.switchboard.spi.RoutingStrategy;
import dev.switchboard.spi.RoutingStrategyProvider;
import dev.switchboard.spi.StateStore;
import dev.switchboard.spi.StateStoreConfig;
import dev.switchboard.spi.StateStoreProvider;
import dev.switchboard.spi.StrategyContext;
import dev.switchboard.spi.Ticker;
import dev.switchboard.stream.StreamHandler;
import dev.switchboard.stream.StreamTimeouts;
import dev.switchboard.spi.TokenEstimator;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.TransportConfig;
import dev.switchboard.spi.TransportProvider;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;

/**
 * Routes Anthropic Messages API calls across many keys and a chain of models.
 *
 * <pre>{@code
 * Switchboard router = Switchboard.builder()
 *     .key("team-a", System.getenv("KEY_A"), "org-1")
 *     .key("team-b", System.getenv("KEY_B"), "org-2")
 *     .model("claude-opus-4-6", Switchboard.limits(1_000, 2_000_000, 400_000))
 *     .fallbackTo("claude-sonnet-4-6")
 *     .fallbackTo("claude-haiku-4-5")
 *     .strategy("headroom")
 *     .build();
 * RoutedResponse r = router.send(request, CallOptions.forUser("tenant-42").deadline(Duration.ofSeconds(20)));
 * }</pre>
 *
 * <p>For each call the router plans the model tiers in order; for a tier it takes the keys that
 * may serve it (not disabled, not cooling down after a 429, breakers closed), lets the {@link
 * RoutingStrategy} pick one, and takes budget for it from the organization × model pool's three
 * token buckets (1 request, the estimated input tokens, {@code max_tokens} of output) before
 * sending. Failures are classified (429: cool the pool and go to another key at once; 529/5xx:
 * back off, then fall back; key faults: disable the key loudly; request faults: fail fast) and
 * the loop goes on until a response, the deadline, the attempts or the retry budget end it. See
 * {@code docs/architecture.md}.
 *
 * <p>Thread-safe: one router serves any number of concurrent calls and never blocks a thread
 * while a call waits (refill, cooldown, backoff); only the synchronous {@link #send} blocks its
 * caller. Close it to release what it created (transport, state store, scheduler thread).
 */
public final class Switchboard implements AutoCloseable {
  private final Engine engine;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Switchboard(Engine engine) {
    this.engine = engine;
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns per-minute limits of one organization's model pool: requests, input tokens (cache
   * reads excluded), output tokens; 0 means unknown (learned from response headers).
   *
   * @throws IllegalArgumentException when a value is negative
   */
  public static BucketLimits limits(long rpm, long itpm, long otpm) {
    return new BucketLimits(rpm, itpm, otpm);
  }

  /**
   * Sends {@code request} with the router's default options and waits for the result.
   *
   * @throws SwitchboardException (a subtype) when the call ends without a response
   */
  public RoutedResponse send(MessageRequest request) {
    return send(request, CallOptions.DEFAULT);
  }

  /**
   * Sends {@code request} and waits for the result; the same as {@code sendAsync(request,
   * options).join()} with the exception unwrapped.
   *
   * @throws SwitchboardException (a subtype) when the call ends without a response
   * @throws IllegalStateException when the router is closed
   * @throws CancellationException when the calling thread is interrupted (the call is cancelled)
   */
  public RoutedResponse send(MessageRequest request, CallOptions options) {
    CompletableFuture<RoutedResponse> f = sendAsync(request, options);
    try {
      return f.get();
    } catch (InterruptedException ex) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting for the call");
    } catch (java.util.concurrent.ExecutionException ex) {
      Throwable cause = ex.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new CompletionException(cause);
    }
  }

  /**
   * Starts a call and returns its future, completed with the response or exceptionally with a
   * {@link SwitchboardException}. Cancelling the future cancels the attempt in flight (closing
   * its connection), gives its budget reservation back and cancels any pending wait.
   *
   * @throws IllegalStateException when the router is closed
   * @throws NullPointerException when an argument is null
   */
  public CompletableFuture<RoutedResponse> sendAsync(MessageRequest request, CallOptions options) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(options, "options");
    if (closed.get()) {
      throw new IllegalStateException("this Switchboard is closed");
    }
    return engine.submit(request, options);
  }

  /**
   * Streams {@code request} through the router: the same key and model selection, budgets,
   * breakers, deadline, admission and listener as {@link #sendAsync}, with the answer delivered as
   * typed events to {@code handler} as they arrive.
   *
   * <p>An attempt that fails before any content reached the handler (a 429 or 529 before the
   * stream starts, no headers or no first token in time, an {@code error} event or a dropped
   * connection before the first content delta) is retried on another key or the next model tier,
   * invisibly: the handler sees one clean stream. A failure after content reached the handler ends
   * the stream with a {@link dev.switchboard.stream.StreamInterruptedException} carrying the
   * partial message and usage, unless continuation is on ({@link
   * Builder#continueInterruptedStreams(boolean)}, {@link CallOptions#continueInterrupted(boolean)}):
   * then the partial answer is sent to another route as an assistant prefill and the rest of the
   * answer continues the same stream. Timeouts: {@link Builder#streamTimeouts}, bounded by the
   * call's deadline. Budgets are corrected from {@code message_start}/{@code message_delta} usage
   * as it arrives; a failed or cancelled stream keeps only what it used.
   *
   * <p>The handler gets exactly one terminal call ({@code onComplete} or {@code onError}) before
   * the returned future completes: with the routed response (the whole message, {@link
   * RoutedResponse#stream()} statistics, {@link RoutedResponse#continued()}) or exceptionally as
   * the handler's {@code onError}. Cancelling the future closes the HTTP stream at once. The
   * response cache, single-flight and degraded answers do not apply to streams.
   *
   * @throws IllegalStateException when the router is closed
   * @throws NullPointerException when an argument is null
   */
  public CompletableFuture<RoutedResponse> stream(MessageRequest request, CallOptions options,
      StreamHandler handler) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(handler, "handler");
    if (closed.get()) {
      throw new IllegalStateException("this Switchboard is closed");
    }
    return engine.submitStream(request, options, handler);
  }

  /**
   * Counts the input tokens of {@code request} with the API's free {@code count_tokens} endpoint,
   * using the first enabled key allowed the request's model. No budget is taken (token counting
   * has its own limits) and nothing is retried.
   *
   * @return a future of the count, completed exceptionally with a {@link RequestRejectedException}
   *     when the API refuses, a {@link NoRouteException} when every key is disabled, or the
   *     transport's {@link dev.switchboard.spi.TransportException} when no answer arrived
   * @throws IllegalStateException when the router is closed
   */
  public CompletableFuture<Long> countTokens(MessageRequest request) {
    Objects.requireNonNull(request, "request");
    if (closed.get()) {
      throw new IllegalStateException("this Switchboard is closed");
    }
    return engine.countTokens(request);
  }

  /**
   * Re-enables a key disabled after a key or organization fault (and the models skipped for it
   * after a 404); returns true when something was disabled.
   *
   * @throws IllegalArgumentException when no key has that alias
   */
  public boolean enableKey(String alias) {
    return engine.enableKey(alias);
  }

  /** Returns a view of the router's state now (budgets, cooldowns, disables, breakers, totals). */
  public RouterSnapshot snapshot() {
    return engine.snapshot();
  }

  /**
   * Closes what the router created (its transport, state store and scheduler thread); a
   * transport or store passed to the builder is left open. Calls still running are cancelled
   * (their futures complete with a {@link CancellationException}, their attempts are cancelled
   * and their reservations given back). Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      engine.close();
    }
  }

  @Override
  public String toString() {
    return "Switchboard[keys=" + engine.keysByAlias.keySet() + ", models="
        + engine.tiers.stream().map(ModelTier::model).toList() + "]";
  }

  /**
   * Builds {@link Switchboard}s. Setters validate at once and name the bad value; {@link
   * #build()} checks the whole and does not change the builder. Not thread-safe.
   *
   * <p>Defaults: deadline 5 min, max attempts 6, attempt timeout 10 min (always capped by the
   * deadline), backoff 500 ms doubling to 8 s with full jitter, 429 cooldown at most 60 s, retry
   * budget 20% of calls + 10/s over 10 s, breakers {@link BreakerConfig#DEFAULT}, output reserved
   * = {@code max_tokens}, state store {@code "local"}, strategy {@code "headroom"}, the transport
   * provider with the highest priority, the system ticker and clock, {@link
   * HeuristicTokenEstimator}, {@link AnthropicErrorClassifier}, {@link RouterListener#NONE}; per-user
   * breakers on ({@link BreakerConfig#DEFAULT}), no response cache, no admission control, no
   * tenant-bound keys, built-in prices ({@link ModelPrice#builtIn}), prompt-cache affinity on.
   */
  public static final class Builder {
    private final List<KeyEntry> keys = new ArrayList<>();
    private final List<TierEntry> tiers = new ArrayList<>();
    private final Map<String, BucketLimits> organizationLimits = new LinkedHashMap<>();
    Ticker ticker = Ticker.system();
    InstantSource clock = InstantSource.system();
    RandomGenerator random = ThreadLocalRandomGenerator.INSTANCE;
    RouterListener listener = RouterListener.NONE;
    TokenEstimator estimator = HeuristicTokenEstimator.INSTANCE;
    ErrorClassifier classifier = AnthropicErrorClassifier.INSTANCE;
    Duration deadline = Duration.ofMinutes(5);
    int maxAttempts = 6;
    Duration attemptTimeout = Duration.ofMinutes(10);
    long outputEstimate;
    Backoff backoff = Backoff.DEFAULT;
    Duration maxCooldown = Duration.ofSeconds(60);
    BreakerConfig breakerConfig = BreakerConfig.DEFAULT;
    double retryRatio = 0.2;
    int minRetriesPerSecond = 10;
    Duration retryWindow = Duration.ofSeconds(10);
    private Transport transport;
    private String transportName;
    private TransportConfig transportConfig;
    private String baseUrl;
    private StateStore stateStore;
    private String stateStoreName = "local";
    private RoutingStrategy strategy;
    private String strategyName = "headroom";
    private ClassLoader classLoader;
    private Scheduler scheduler;
    BreakerConfig userBreakerConfig = BreakerConfig.DEFAULT;
    long maxBreakers = 100_000;
    long maxCachedResponses = 10_000;
    CachePolicy cachePolicy;
    int maxInFlight;
    int maxQueued;
    final Map<String, TenantPolicy> tenantPolicies = new LinkedHashMap<>();
    TenantPolicy defaultTenantPolicy = TenantPolicy.DEFAULT;
    final Map<String, Set<String>> tenantBindings = new LinkedHashMap<>();
    private final Map<String, String> keyOwners = new HashMap<>();
    private final Map<String, Set<String>> sharedPools = new LinkedHashMap<>();
    private final Set<String> pooledKeys = new java.util.HashSet<>();
    final Map<String, ModelPrice> prices = new HashMap<>();
    boolean affinity = true;
    StreamTimeouts streamTimeouts = StreamTimeouts.DEFAULT;
    boolean continueStreams;
    Duration budgetPatience = Duration.ZERO;

    private Builder() {}

    /**
     * Adds a key of weight 1.
     *
     * @param alias a unique name, safe to log
     * @param secret the API key; never logged or shown
     * @param organization the organization the key belongs to (its rate-limit pool): keys of one
     *     organization share budgets
     * @throws IllegalArgumentException when a value is blank or the alias is taken
     * @throws NullPointerException when a value is null
     */
    public Builder key(String alias, String secret, String organization) {
      return key(alias, secret, organization, 1);
    }

    /**
     * Adds a key with a weight (used by the {@code weighted} strategy).
     *
     * @throws IllegalArgumentException when a value is blank, the alias is taken or the weight is
     *     below 1
     */
    public Builder key(String alias, String secret, String organization, int weight) {
      ApiKey key = ApiKey.of(alias, secret);
      Objects.requireNonNull(organization, "organization of key '" + alias + "'");
      if (organization.isBlank()) {
        throw new IllegalArgumentException("organization of key '" + alias + "' must not be blank");
      }
      if (weight < 1) {
        throw new IllegalArgumentException("weight of key '" + alias + "' must be >= 1 but was "
            + weight);
      }
      for (KeyEntry k : keys) {
        if (k.key.alias().equals(alias)) {
          throw new IllegalArgumentException("key alias '" + alias + "' is already registered");
        }
        if (java.security.MessageDigest.isEqual(k.secretDigest, KeyEntry.digest(secret))) {
          throw new IllegalArgumentException("keys '" + k.key.alias() + "' and '" + alias
              + "' have the same secret");
        }
      }
      keys.add(new KeyEntry(key, organization, weight, secret));
      return this;
    }

    /**
     * Restricts the key {@code alias} to the given models (by default a key serves every tier).
     *
     * @throws IllegalArgumentException when no key has that alias or no model is given
     */
    public Builder allowModels(String alias, String... models) {
      KeyEntry k = keys.stream().filter(e -> e.key.alias().equals(alias)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("allowModels: no key with alias '"
              + alias + "'; add it with key(...) first"));
      if (models.length == 0) {
        throw new IllegalArgumentException("allowModels for key '" + alias
            + "' needs at least one model");
      }
      k.models.clear();
      for (String m : models) {
        k.models.add(requireText("model", m));
      }
      return this;
    }

    /**
     * Sets the primary model, whose limits are unknown until learned from response headers.
     *
     * @throws IllegalStateException when a primary model is already set
     */
    public Builder model(String id) {
      return model(id, BucketLimits.UNKNOWN);
    }

    /**
     * Sets the primary model with the per-minute limits each organization has for its pool.
     *
     * @throws IllegalStateException when a primary model is already set
     */
    public Builder model(String id, BucketLimits limits) {
      if (!tiers.isEmpty()) {
        throw new IllegalStateException("the primary model is already '" + tiers.get(0).model
            + "'; add more tiers with fallbackTo(\"" + id + "\")");
      }
      tiers.add(new TierEntry(requireText("model", id), Objects.requireNonNull(limits, "limits")));
      return this;
    }

    /**
     * Appends a fallback tier, tried when the tiers before it cannot serve.
     *
     * @throws IllegalStateException when no primary model is set yet
     * @throws IllegalArgumentException when the model is already a tier
     */
    public Builder fallbackTo(String id) {
      return fallbackTo(id, BucketLimits.UNKNOWN);
    }

    /** Appends a fallback tier with limits; see {@link #fallbackTo(String)}. */
    public Builder fallbackTo(String id, BucketLimits limits) {
      requireText("model", id);
      if (tiers.isEmpty()) {
        throw new IllegalStateException("fallbackTo(\"" + id + "\") needs a primary model(...) first");
      }
      if (tier(id) != null) {
        throw new IllegalArgumentException("model '" + id + "' is already a tier");
      }
      tiers.add(new TierEntry(id, Objects.requireNonNull(limits, "limits")));
      return this;
    }

    /**
     * Sets the rate-limit pool of a tier's model (default from the built-in table: {@code
     * claude-opus-4-*} → {@code opus-4}, {@code claude-sonnet-4-*} → {@code sonnet-4}, {@code
     * claude-haiku-4-5*} → {@code haiku-4-5}, else the model id).
     *
     * @throws IllegalArgumentException when the model is not a tier or the pool is blank
     */
    public Builder modelPool(String model, String pool) {
      requireTier(model, "modelPool").pool = requireText("pool", pool);
      return this;
    }

    /**
     * Sets a tier's context window in tokens (default 200,000); a prompt too long for one tier
     * is only retried on tiers with a larger window.
     *
     * @throws IllegalArgumentException when the model is not a tier or tokens is below 1
     */
    public Builder contextWindow(String model, int tokens) {
      TierEntry t = requireTier(model, "contextWindow");
      if (tokens < 1) {
        throw new IllegalArgumentException("contextWindow of model '" + model
            + "' must be >= 1 but was " + tokens);
      }
      t.contextWindow = tokens;
      return this;
    }

    /**
     * Overrides the limits of one organization's pool for a tier's model.
     *
     * @throws IllegalArgumentException when the model is not a tier or no key has that
     *     organization
     */
    public Builder organizationLimits(String organization, String model, BucketLimits limits) {
      TierEntry t = requireTier(model, "organizationLimits");
      if (keys.stream().noneMatch(k -> k.organization.equals(organization))) {
        throw new IllegalArgumentException("organizationLimits: no key belongs to organization '"
            + organization + "'");
      }
      organizationLimits.put(organization + "\u0000" + t.model, Objects.requireNonNull(limits, "limits"));
      return this;
    }

    /** Selects the routing strategy by provider name (default {@code "headroom"}). */
    public Builder strategy(String name) {
      this.strategyName = requireText("strategy", name);
      this.strategy = null;
      return this;
    }

    /** Uses this strategy instance (wins over a name). */
    public Builder strategy(RoutingStrategy strategy) {
      this.strategy = Objects.requireNonNull(strategy, "strategy");
      return this;
    }

    /** Uses this transport (wins over discovery); the router will not close it. */
    public Builder transport(Transport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /** Creates the transport with the provider named {@code name} and {@code config}. */
    public Builder transport(String name, TransportConfig config) {
      this.transportName = requireText("transport", name);
      this.transportConfig = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Sends to another base URL (a proxy, a simulator) with the discovered transport.
     *
     * @throws IllegalArgumentException when not an http(s) URL
     */
    public Builder baseUrl(String url) {
      Objects.requireNonNull(url, "baseUrl");
      String scheme;
      try {
        scheme = java.net.URI.create(url).getScheme();
      } catch (IllegalArgumentException ex) {
        scheme = null;
      }
      if (!"http".equals(scheme) && !"https".equals(scheme)) {
        throw new IllegalArgumentException("baseUrl must be an http or https URL but was " + url);
      }
      this.baseUrl = url;
      return this;
    }

    /** Uses this state store (wins over a name); the router will not close it. */
    public Builder stateStore(StateStore store) {
      this.stateStore = Objects.requireNonNull(store, "stateStore");
      return this;
    }

    /** Selects the state store provider by name (default {@code "local"}). */
    public Builder stateStore(String name) {
      this.stateStoreName = requireText("stateStore", name);
      this.stateStore = null;
      return this;
    }

    /** Sets the class loader providers are discovered with (default: this class's). */
    public Builder classLoader(ClassLoader loader) {
      this.classLoader = Objects.requireNonNull(loader, "classLoader");
      return this;
    }

    /** Sets the monotonic clock of every time rule (default {@link Ticker#system()}). */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** Sets the wall clock used for {@code *-reset} instants (default the system clock). */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Sets the source of jitter and of strategies' randomness; it must be thread-safe. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Sets the listener of every routing decision (default {@link RouterListener#NONE}). */
    public Builder listener(RouterListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Sets the input-token estimator (default {@link HeuristicTokenEstimator}). */
    public Builder tokenEstimator(TokenEstimator estimator) {
      this.estimator = Objects.requireNonNull(estimator, "tokenEstimator");
      return this;
    }

    /** Sets the error classifier (default {@link AnthropicErrorClassifier}). */
    public Builder errorClassifier(ErrorClassifier classifier) {
      this.classifier = Objects.requireNonNull(classifier, "errorClassifier");
      return this;
    }

    /** Sets the default deadline of a call (default 5 min). */
    public Builder deadline(Duration deadline) {
      this.deadline = CallOptions.positive("deadline", deadline);
      return this;
    }

    /** Sets the default maximum attempts of a call (default 6). */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1 but was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** Sets the default timeout of one attempt (default 10 min; capped by the deadline). */
    public Builder attemptTimeout(Duration timeout) {
      this.attemptTimeout = CallOptions.positive("attemptTimeout", timeout);
      return this;
    }

    /**
     * Reserves {@code min(max_tokens, tokens)} output tokens per attempt instead of {@code
     * max_tokens}; the reservation is settled with the real usage afterwards.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder outputEstimate(long tokens) {
      if (tokens < 1) {
        throw new IllegalArgumentException("outputEstimate must be >= 1 but was " + tokens);
      }
      this.outputEstimate = tokens;
      return this;
    }

    /** Sets the backoff after server errors (default 500 ms doubling to 8 s, full jitter). */
    public Builder backoff(Duration base, Duration cap) {
      this.backoff = new Backoff(base, cap);
      return this;
    }

    /** Sets the longest cooldown a 429 can impose on a pool (default 60 s). */
    public Builder maxCooldown(Duration max) {
      this.maxCooldown = CallOptions.positive("maxCooldown", max);
      return this;
    }

    /** Sets the circuit-breaker settings of models and routes (default {@link BreakerConfig#DEFAULT}). */
    public Builder breaker(BreakerConfig config) {
      this.breakerConfig = Objects.requireNonNull(config, "breaker");
      return this;
    }

    /**
     * Sets the router-wide retry budget: each call deposits {@code ratio} retries, {@code
     * minRetriesPerSecond} are always allowed, over a sliding {@code window} (default 0.2, 10,
     * 10 s).
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public Builder retryBudget(double ratio, int minRetriesPerSecond, Duration window) {
      Objects.requireNonNull(window, "window");
      RetryBudget.check(ratio, minRetriesPerSecond, window);
      this.retryRatio = ratio;
      this.minRetriesPerSecond = minRetriesPerSecond;
      this.retryWindow = window;
      return this;
    }

    /**
     * Turns on the per-user circuit breakers with {@code config} (on by default with {@link
     * BreakerConfig#DEFAULT}). A user's breaker counts only that user's request faults (400, 413,
     * 422) and prompts too long for every tier as failures, and its successful calls as successes;
     * rate limits, server errors and network failures never count against a user. An open breaker
     * fails the user's calls fast with a {@link UserCircuitOpenException}. Calls without a user id
     * have no user breaker.
     */
    public Builder userBreaker(BreakerConfig config) {
      this.userBreakerConfig = Objects.requireNonNull(config, "userBreaker");
      return this;
    }

    /** Turns the per-user circuit breakers off. */
    public Builder noUserBreaker() {
      this.userBreakerConfig = null;
      return this;
    }

    /**
     * Bounds the breakers the router's own state store keeps (default 100,000; per-user breakers
     * are the many ones, forgotten when idle for 10 minutes). Ignored for a store passed to
     * {@link #stateStore(StateStore)}.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder maxBreakers(long max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxBreakers must be >= 1 but was " + max);
      }
      this.maxBreakers = max;
      return this;
    }

    /**
     * Turns on the response cache with {@code policy} (off by default): cacheable calls (see
     * {@link CachePolicy#isCacheable}) are answered from the tenant's cache when a fresh answer
     * is stored, concurrent identical calls make one upstream call, and successful, complete
     * answers are stored for the policy's TTL. Entries are scoped to the tenant unless the policy
     * names a shared scope.
     */
    public Builder responseCache(CachePolicy policy) {
      this.cachePolicy = Objects.requireNonNull(policy, "responseCache");
      return this;
    }

    /**
     * Bounds the responses the router's own state store keeps (default 10,000). Ignored for a
     * store passed to {@link #stateStore(StateStore)}.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder maxCachedResponses(long max) {
      if (max < 0) {
        throw new IllegalArgumentException("maxCachedResponses must be >= 0 but was " + max);
      }
      this.maxCachedResponses = max;
      return this;
    }

    /**
     * Turns on admission control (off by default): at most {@code maxInFlight} calls run at once,
     * up to {@code maxQueued} more wait in a queue ordered by {@link Priority} and weighted fair
     * share between tenants, and each tenant's token rate and spend cap ({@link #tenant}) are
     * enforced before a call runs. A call not admitted fails with {@link AdmissionDeniedException}.
     *
     * @throws IllegalArgumentException when maxInFlight is below 1 or maxQueued below 0
     */
    public Builder admission(int maxInFlight, int maxQueued) {
      if (maxInFlight < 1) {
        throw new IllegalArgumentException("maxInFlight must be >= 1 but was " + maxInFlight);
      }
      if (maxQueued < 0) {
        throw new IllegalArgumentException("maxQueued must be >= 0 but was " + maxQueued);
      }
      this.maxInFlight = maxInFlight;
      this.maxQueued = maxQueued;
      return this;
    }

    /**
     * Sets a tenant's admission policy: its weight in the fair share, tokens per minute and spend
     * cap (used when {@link #admission} is on).
     *
     * @throws IllegalArgumentException when the tenant is blank
     */
    public Builder tenant(String tenant, TenantPolicy policy) {
      tenantPolicies.put(requireText("tenant", tenant), Objects.requireNonNull(policy, "policy"));
      return this;
    }

    /** Sets the admission policy of tenants without their own (default {@link TenantPolicy#DEFAULT}). */
    public Builder defaultTenantPolicy(TenantPolicy policy) {
      this.defaultTenantPolicy = Objects.requireNonNull(policy, "defaultTenantPolicy");
      return this;
    }

    /**
     * Binds keys to a tenant (bring your own key): those keys serve only that tenant, and the
     * tenant is served only by its own keys and the keys of the pools given to {@link
     * #tenantPools}. Keys bound to no tenant serve every tenant without a binding.
     *
     * @throws IllegalArgumentException when no key has an alias, or a key is already bound to
     *     another tenant or in a shared pool
     */
    public Builder tenantKeys(String tenant, String... aliases) {
      requireText("tenant", tenant);
      for (String a : aliases) {
        requireKey(a, "tenantKeys");
        String owner = keyOwners.get(a);
        if (owner != null && !owner.equals(tenant)) {
          throw new IllegalArgumentException("tenantKeys: key '" + a + "' is already bound to tenant '"
              + owner + "'");
        }
        if (pooledKeys.contains(a)) {
          throw new IllegalArgumentException("tenantKeys: key '" + a + "' is in a shared pool");
        }
        keyOwners.put(a, tenant);
      }
      tenantBindings.computeIfAbsent(tenant, t -> new LinkedHashSet<>()).addAll(List.of(aliases));
      return this;
    }

    /**
     * Names a pool of shared keys that tenants can be given with {@link #tenantPools}.
     *
     * @throws IllegalArgumentException when the name is blank, no key has an alias, or a key is
     *     bound to a tenant
     */
    public Builder sharedPool(String name, String... aliases) {
      requireText("sharedPool", name);
      Set<String> pool = sharedPools.computeIfAbsent(name, n -> new LinkedHashSet<>());
      for (String a : aliases) {
        requireKey(a, "sharedPool");
        if (keyOwners.containsKey(a)) {
          throw new IllegalArgumentException("sharedPool: key '" + a + "' is bound to tenant '"
              + keyOwners.get(a) + "'");
        }
        pool.add(a);
        pooledKeys.add(a);
      }
      return this;
    }

    /**
     * Serves {@code tenant} from the named shared pools (and its own keys, if any) only.
     *
     * @throws IllegalArgumentException when a pool is not defined with {@link #sharedPool}
     */
    public Builder tenantPools(String tenant, String... pools) {
      requireText("tenant", tenant);
      Set<String> bound = tenantBindings.computeIfAbsent(tenant, t -> new LinkedHashSet<>());
      for (String p : pools) {
        Set<String> keysOfPool = sharedPools.get(p);
        if (keysOfPool == null) {
          throw new IllegalArgumentException("tenantPools: no shared pool named '" + p
              + "'; define it with sharedPool(...) first");
        }
        bound.addAll(keysOfPool);
      }
      return this;
    }

    /**
     * Sets the price of a model (default {@link ModelPrice#builtIn(String)}), used for each
     * result's {@link RoutedResponse#cost()}, the cost sums and tenants' spend caps.
     */
    public Builder price(String model, ModelPrice price) {
      prices.put(requireText("model", model), Objects.requireNonNull(price, "price"));
      return this;
    }

    /**
     * Keeps a conversation on one organization while it has budget and health (default on), so
     * Anthropic's per-organization prompt cache keeps serving it: calls that carry {@code
     * cache_control} (or a {@link CallOptions#sessionKey}) are pinned, per tenant, to the
     * organization that last answered them for the prompt cache's TTL (5 minutes, or 1 hour when a
     * {@code cache_control} asks for {@code "ttl": "1h"}); a failed or unavailable organization is
     * replaced by the next one that answers.
     */
    public Builder promptCacheAffinity(boolean on) {
      this.affinity = on;
      return this;
    }

    /**
     * Sets the timeouts of streamed calls (default {@link StreamTimeouts#DEFAULT}: first byte 60 s,
     * first token 120 s, idle 30 s plus 60 s when only pings arrive); each is also bounded by the
     * call's deadline. Lower them for interactive traffic so a stalled stream moves to another
     * route sooner.
     *
     * @throws NullPointerException when timeouts is null
     */
    public Builder streamTimeouts(StreamTimeouts timeouts) {
      this.streamTimeouts = Objects.requireNonNull(timeouts, "streamTimeouts");
      return this;
    }

    /**
     * Turns on (default off) the continuation of streams interrupted after content reached the
     * caller: the partial answer is sent to another route as an assistant prefill and its
     * continuation is stitched into the same stream, so the caller sees one answer (marked
     * {@link RoutedResponse#continued()}). Not possible after a {@code tool_use} or thinking block
     * has started; such streams end with a {@link dev.switchboard.stream.StreamInterruptedException}.
     */
    public Builder continueInterruptedStreams(boolean on) {
      this.continueStreams = on;
      return this;
    }

    /**
     * Sets how long a call may wait for an earlier tier's budget to refill while a later tier of
     * the chain could serve it now (default zero: it moves on at once, so every pool's capacity is
     * used). Raise it when the primary model's answer is worth some latency; a call still waits,
     * whatever this says, when no tier can serve now.
     *
     * @throws IllegalArgumentException naming the value when negative
     */
    public Builder budgetPatience(Duration patience) {
      Objects.requireNonNull(patience, "budgetPatience");
      if (patience.isNegative()) {
        throw new IllegalArgumentException("budgetPatience must be >= 0 but was " + patience);
      }
      this.budgetPatience = patience;
      return this;
    }

    /** Sets the timer used for waits; tests pass a fake driven by a fake ticker. */
    Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Returns a new router.
     *
     * @throws IllegalStateException when no key or no model is configured, two tiers sharing a
     *     pool are given different limits, a key may serve none of the models, or a provider
     *     (transport, state store, strategy) cannot be found
     */
    public Switchboard build() {
      if (keys.isEmpty()) {
        throw new IllegalStateException("at least one key is required: call key(alias, secret, "
            + "organization)");
      }
      if (tiers.isEmpty()) {
        throw new IllegalStateException("a model is required: call model(id)");
      }
      List<ModelTier> modelTiers = new ArrayList<>();
      Map<String, TierEntry> byPool = new HashMap<>();
      for (TierEntry t : tiers) {
        String pool = t.pool != null ? t.pool : ModelPools.defaultPool(t.model);
        TierEntry other = byPool.putIfAbsent(pool, t);
        if (other != null && !other.limits.equals(t.limits)) {
          if (other.limits.isUnknown()) {
            byPool.put(pool, t);
          } else if (!t.limits.isUnknown()) {
            throw new IllegalStateException("models '" + other.model + "' and '" + t.model
                + "' share the rate-limit pool '" + pool + "' but have different limits: "
                + other.limits + " and " + t.limits);
          }
        }
        modelTiers.add(new ModelTier(t.model, pool, t.contextWindow));
      }
      List<KeySpec> keySpecs = new ArrayList<>();
      Map<String, BucketLimits> configured = new HashMap<>();
      for (KeyEntry k : keys) {
        if (!k.models.isEmpty() && modelTiers.stream().noneMatch(t -> k.models.contains(t.model()))) {
          throw new IllegalStateException("key '" + k.key.alias() + "' is allowed only "
              + k.models + ", none of which is a tier " + modelTiers.stream().map(ModelTier::model).toList());
        }
        keySpecs.add(new KeySpec(k.key, k.organization, k.weight, k.models));
        for (ModelTier t : modelTiers) {
          String poolId = ModelPools.poolId(k.organization, t.modelPool());
          BucketLimits l = organizationLimits.get(k.organization + "\u0000" + t.model());
          if (l == null) {
            l = byPool.get(t.modelPool()).limits;
          }
          if (!l.isUnknown()) {
            configured.putIfAbsent(poolId, l);
          }
        }
      }
      ClassLoader loader = classLoader != null ? classLoader : Switchboard.class.getClassLoader();
      RoutingStrategy strat = strategy;
      if (strat == null) {
        strat = Providers.find(RoutingStrategyProvider.class, strategyName, loader)
            .create(new StrategyContext(ticker, random));
      }
      StateStore store = stateStore;
      boolean ownsStore = false;
      if (store == null) {
        store = Providers.find(StateStoreProvider.class, stateStoreName, loader)
            .create(new StateStoreConfig(ticker, maxBreakers, maxCachedResponses, Map.of()));
        ownsStore = true;
      }
      Transport t = transport;
      boolean ownsTransport = false;
      if (t == null) {
        TransportConfig config = transportConfig != null ? transportConfig
            : TransportConfig.builder().clock(clock).build();
        if (baseUrl != null) {
          config = config.toBuilder().baseUrl(baseUrl).build();
        }
        try {
          t = Providers.find(TransportProvider.class, transportName, loader).create(config);
        } catch (RuntimeException ex) {
          if (ownsStore) {
            store.close();
          }
          throw ex;
        }
        ownsTransport = true;
      }
      Scheduler s = scheduler != null ? scheduler : new DaemonScheduler();
      Engine engine = new Engine(this, t, ownsTransport, store, ownsStore, strat, keySpecs,
          modelTiers, new PoolLimits(configured), s, scheduler == null);
      return new Switchboard(engine);
    }

    private void requireKey(String alias, String setting) {
      if (keys.stream().noneMatch(k -> k.key.alias().equals(alias))) {
        throw new IllegalArgumentException(setting + ": no key with alias '" + alias
            + "'; add it with key(...) first");
      }
    }

    /** Returns the keys bound to a tenant, for the engine. */
    Map<String, String> keyOwners() {
      return Map.copyOf(keyOwners);
    }

    private TierEntry tier(String model) {
      for (TierEntry t : tiers) {
        if (t.model.equals(model)) {
          return t;
        }
      }
      return null;
    }

    private TierEntry requireTier(String model, String setting) {
      TierEntry t = tier(model);
      if (t == null) {
        throw new IllegalArgumentException(setting + ": model '" + model + "' is not a tier; add it "
            + "with model(...) or fallbackTo(...) first");
      }
      return t;
    }

    private static String requireText(String name, String value) {
      Objects.requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank but was '" + value + "'");
      }
      return value;
    }

    private static final class KeyEntry {
      final ApiKey key;
      final String organization;
      final int weight;
      final Set<String> models = new LinkedHashSet<>();
      /** SHA-256 of the secret, to refuse one secret under two aliases without keeping it twice. */
      final byte[] secretDigest;

      KeyEntry(ApiKey key, String organization, int weight, String secret) {
        this.key = key;
        this.organization = organization;
        this.weight = weight;
        this.secretDigest = digest(secret);
      }

      static byte[] digest(String secret) {
        try {
          return java.security.MessageDigest.getInstance("SHA-256")
              .digest(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
          throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
      }
    }

    private static final class TierEntry {
      final String model;
      final BucketLimits limits;
      String pool;
      int contextWindow = 200_000;

      TierEntry(String model, BucketLimits limits) {
        this.model = model;
        this.limits = limits;
      }
    }
  }

  /** A thread-safe {@link RandomGenerator} over {@link ThreadLocalRandom}. */
  private enum ThreadLocalRandomGenerator implements RandomGenerator {
    INSTANCE;

    @Override
    public long nextLong() {
      return ThreadLocalRandom.current().nextLong();
    }
  }
}
