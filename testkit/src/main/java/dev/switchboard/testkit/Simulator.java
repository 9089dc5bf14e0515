package dev.switchboard.testkit;

import dev.switchboard.spi.Ticker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A local, faithful simulator of the Anthropic Messages API, listening on a random port of
 * 127.0.0.1: per-organization token-bucket rate limits with the real {@code anthropic-ratelimit-*}
 * headers, every authentication and key state, validation errors, prompt caching, SSE streams and
 * scripted faults (529, 5xx, stalls, resets, broken streams), with a request log to assert on.
 *
 * <pre>{@code
 * FakeTicker ticker = new FakeTicker();
 * try (Simulator sim = Simulator.builder()
 *     .ticker(ticker).clock(ticker.clock())
 *     .model("claude-opus-4-6", "opus-4", 200_000)
 *     .limits("org-1", "opus-4", 50, 30_000, 8_000)
 *     .key("team-a", "sk-ant-test-aaa", "org-1")
 *     .start()) {
 *   URI base = sim.baseUrl();                       // http://127.0.0.1:<port>
 *   sim.faults().add(Fault.overloaded().times(2));  // the next two calls get 529
 *   ...
 *   assertThat(sim.callsFor("team-a")).hasSize(3);
 * }
 * }</pre>
 *
 * <p>Endpoints: {@code POST /v1/messages} (with {@code "stream": true} for SSE) and
 * {@code POST /v1/messages/count_tokens}; the query string (e.g. {@code ?beta=true}) is ignored.
 * Bucket refill, cache expiry and the reset headers follow the injected {@link Ticker} and wall
 * clock, so a test moves time with {@link FakeTicker#advance} instead of sleeping; only network
 * pacing (time to first token, gaps between events, injected latency and stalls) is real time.
 *
 * <p>Thread safety: every method may be called from any thread while requests are served; changes
 * (key states, limits, faults) apply from the next request on. The simulator serves hundreds of
 * concurrent connections, one thread each. Close it to free the port and the threads.
 */
public final class Simulator implements AutoCloseable {

  /** What a key answers before anything else is checked. */
  public enum KeyState {
    /** Works normally. */
    ACTIVE,
    /** 401 {@code authentication_error} "invalid x-api-key", as for an unknown key. */
    REVOKED,
    /** 403 {@code permission_error}. */
    FORBIDDEN,
    /** 402 {@code billing_error}. */
    BILLING,
    /**
     * 429 {@code rate_limit_error} with {@code error.details.error_code =
     * "enforced_spend_limit_reached"} and no {@code retry-after}.
     */
    SPEND_CAPPED,
    /** 400 {@code invalid_request_error} "Your credit balance is too low ...". */
    LOW_CREDIT
  }

  /** How the output-tokens-per-minute bucket is charged. */
  public enum OtpmMode {
    /** {@code max_tokens} must fit at admission and is taken; the unused part is refunded at the end. */
    RESERVE_MAX_TOKENS,
    /** Only the tokens actually produced are taken, as they are produced; the bucket may go negative. */
    ACTUAL
  }

  final Ticker ticker;
  final InstantSource clock;
  final Map<String, ModelSpec> models;
  final Map<String, KeyEntry> keysBySecret;
  final Map<String, KeyEntry> keysByLabel;
  final Map<String, String> organizationIds;
  final Set<String> spendCapped = ConcurrentHashMap.newKeySet();
  final RateLimiter limiter;
  final PromptCache cache = new PromptCache();
  final Faults faults = new Faults();
  final CallLog log;
  final boolean recordBodies;
  final OtpmMode otpmMode;
  final Set<String> versions;
  final Map<String, Set<String>> rejectedParameters;
  final Set<String> betas;
  final boolean anyBeta;
  final long maxRequestBytes;
  final boolean htmlRequestTooLarge;
  final int minResponseTokens;
  final int maxResponseTokens;
  final Duration timeToFirstToken;
  final Duration interEventDelay;
  final Duration pingInterval;
  private final SimServer server;
  private final URI baseUrl;

  private Simulator(Builder b) throws IOException {
    this.ticker = b.ticker;
    this.clock = b.clock;
    this.models = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.models));
    Map<String, KeyEntry> bySecret = new ConcurrentHashMap<>();
    Map<String, KeyEntry> byLabel = new LinkedHashMap<>();
    Map<String, String> orgIds = new LinkedHashMap<>();
    for (Builder.KeySpec k : b.keys.values()) {
      KeyEntry e = new KeyEntry(k.label, k.secret, k.organization, k.state);
      bySecret.put(k.secret, e);
      byLabel.put(k.label, e);
      orgIds.put(k.organization, b.organizationIds.getOrDefault(k.organization,
          UUID.nameUUIDFromBytes(("switchboard-simulator:" + k.organization)
              .getBytes(StandardCharsets.UTF_8)).toString()));
    }
    this.keysBySecret = bySecret;
    this.keysByLabel = java.util.Collections.unmodifiableMap(byLabel);
    this.organizationIds = java.util.Collections.unmodifiableMap(orgIds);
    this.limiter = new RateLimiter(b.ticker, b.limits, b.defaultLimits, b.countTokensRpm);
    this.log = new CallLog(b.logCapacity);
    this.recordBodies = b.recordBodies;
    this.otpmMode = b.otpmMode;
    this.versions = Set.copyOf(b.versions);
    Map<String, Set<String>> rejected = new LinkedHashMap<>();
    b.rejectedParameters.forEach((m, p) -> rejected.put(m, Set.copyOf(p)));
    this.rejectedParameters = Map.copyOf(rejected);
    this.betas = Set.copyOf(b.betas);
    this.anyBeta = b.anyBeta;
    this.maxRequestBytes = b.maxRequestBytes;
    this.htmlRequestTooLarge = b.htmlRequestTooLarge;
    this.minResponseTokens = b.minResponseTokens;
    this.maxResponseTokens = b.maxResponseTokens;
    this.timeToFirstToken = b.timeToFirstToken;
    this.interEventDelay = b.interEventDelay;
    this.pingInterval = b.pingInterval;
    this.server = new SimServer(new ApiHandler(this), b.maxRequestBytes,
        (int) Math.min(Integer.MAX_VALUE, b.idleTimeout.toMillis()));
    this.baseUrl = URI.create("http://127.0.0.1:" + server.port());
  }

  /** Returns a new builder with no models, keys or limits and the defaults listed on each setter. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts a simulator with {@link Builder#preset()} on the system ticker and clock: three models in
   * three pools, four keys in two organizations, small Tier-1-like limits.
   *
   * @throws UncheckedIOException if no loopback port can be bound
   */
  public static Simulator withDefaults() {
    return builder().preset().start();
  }

  /** Returns the base URL to give a client, {@code http://127.0.0.1:<port>} (no trailing slash). */
  public URI baseUrl() {
    return baseUrl;
  }

  /** Returns the port listened on. */
  public int port() {
    return server.port();
  }

  /**
   * Returns the {@code anthropic-organization-id} the simulator sends for keys of
   * {@code organization} (a stable UUID unless set with {@link Builder#organizationId}).
   *
   * @throws IllegalArgumentException if no key belongs to that organization
   */
  public String organizationId(String organization) {
    String id = organizationIds.get(organization);
    if (id == null) {
      throw new IllegalArgumentException("unknown organization '" + organization + "'; known: "
          + organizationIds.keySet());
    }
    return id;
  }

  /**
   * Changes the state of the key labelled {@code keyLabel}; the next request with it sees the new
   * state.
   *
   * @throws IllegalArgumentException if no key has that label
   */
  public void setKeyState(String keyLabel, KeyState state) {
    Objects.requireNonNull(state, "state");
    keyOf(keyLabel).state = state;
  }

  /** Returns the current state of the key labelled {@code keyLabel}. */
  public KeyState keyState(String keyLabel) {
    return keyOf(keyLabel).state;
  }

  /**
   * Puts (or lifts) a spend cap on a whole organization: while capped, every key of it that is
   * otherwise {@link KeyState#ACTIVE} answers as {@link KeyState#SPEND_CAPPED}.
   *
   * @throws IllegalArgumentException if no key belongs to that organization
   */
  public void setSpendCapped(String organization, boolean capped) {
    organizationId(organization);
    if (capped) {
      spendCapped.add(organization);
    } else {
      spendCapped.remove(organization);
    }
  }

  /**
   * Changes the per-minute limits of {@code organization × pool} at run time; the buckets keep
   * their current levels, capped at the new limits.
   *
   * @throws IllegalArgumentException if a limit is below 1 or the pool is unknown
   */
  public void setLimits(String organization, String pool, long rpm, long itpm, long otpm) {
    Objects.requireNonNull(organization, "organization");
    requirePool(pool, models.values().stream().map(ModelSpec::pool).distinct().toList());
    limiter.setLimits(organization, pool, Builder.limitsOf(rpm, itpm, otpm));
  }

  /** Returns the fault script: add, remove and count injected faults at run time. */
  public Faults faults() {
    return faults;
  }

  /** Returns every logged call, oldest first (a snapshot). */
  public List<RecordedCall> calls() {
    return log.snapshot();
  }

  /** Returns the logged calls made with the key labelled {@code keyLabel}, oldest first. */
  public List<RecordedCall> callsFor(String keyLabel) {
    return calls().stream().filter(c -> keyLabel.equals(c.keyLabel())).toList();
  }

  /** Returns the logged calls for {@code model}, oldest first. */
  public List<RecordedCall> callsForModel(String model) {
    return calls().stream().filter(c -> model.equals(c.model())).toList();
  }

  /** Returns how many logged calls match {@code condition}. */
  public long count(Predicate<RecordedCall> condition) {
    return calls().stream().filter(condition).count();
  }

  /** Returns how many logged calls answered {@code status}. */
  public long countStatus(int status) {
    return count(c -> c.status() == status);
  }

  /** Empties the request log (rate-limit state, cache and faults are kept). */
  public void clearLog() {
    log.clear();
  }

  /**
   * Waits (real time, for real I/O) until a logged call matches {@code condition}.
   *
   * @return the first matching call, or empty when {@code timeout} passed first
   */
  public Optional<RecordedCall> awaitCall(Predicate<RecordedCall> condition, Duration timeout) {
    Objects.requireNonNull(condition, "condition");
    Objects.requireNonNull(timeout, "timeout");
    try {
      return log.await(condition, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Waits until the simulator notices that a client went away before its response was complete
   * (a cancelled call, a client-side timeout), and returns that call.
   *
   * @return the first such call, or empty when {@code timeout} passed first
   */
  public Optional<RecordedCall> awaitDisconnect(Duration timeout) {
    return awaitCall(RecordedCall::clientDisconnected, timeout);
  }

  /** Stops listening, closes every open connection and stops the connection threads. Idempotent. */
  @Override
  public void close() {
    server.close();
  }

  /** Returns {@code Simulator[http://127.0.0.1:port, models=..., keys=...]}; never a secret. */
  @Override
  public String toString() {
    return "Simulator[" + baseUrl + ", models=" + models.keySet() + ", keys=" + keysByLabel.keySet()
        + "]";
  }

  private KeyEntry keyOf(String keyLabel) {
    Objects.requireNonNull(keyLabel, "keyLabel");
    KeyEntry k = keysByLabel.get(keyLabel);
    if (k == null) {
      throw new IllegalArgumentException("unknown key label '" + keyLabel + "'; known: "
          + keysByLabel.keySet());
    }
    return k;
  }

  private static void requirePool(String pool, List<String> pools) {
    Objects.requireNonNull(pool, "pool");
    if (!pools.contains(pool)) {
      throw new IllegalArgumentException("unknown pool '" + pool + "'; known pools: "
          + new LinkedHashSet<>(pools));
    }
  }

  /**
   * Configures and starts a {@link Simulator}. Setters validate at once and name the bad value;
   * {@link #start()} checks the combination and never changes the builder. Not thread-safe.
   */
  public static final class Builder {
    /** The preset's keys: label → secret (organization {@code org-1} for a/b, {@code org-2} for c/d). */
    public static final Map<String, String> PRESET_KEYS = presetKeys();

    private static Map<String, String> presetKeys() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put("team-a", "sk-ant-sim-team-a");
      m.put("team-b", "sk-ant-sim-team-b");
      m.put("team-c", "sk-ant-sim-team-c");
      m.put("team-d", "sk-ant-sim-team-d");
      return java.util.Collections.unmodifiableMap(m);
    }

    private record KeySpec(String label, String secret, String organization, KeyState state) {
      @Override
      public String toString() {
        return "KeySpec[" + label + "]";
      }
    }

    private Ticker ticker = Ticker.system();
    private InstantSource clock = InstantSource.system();
    private final Map<String, ModelSpec> models = new LinkedHashMap<>();
    private final Map<String, KeySpec> keys = new LinkedHashMap<>();
    private final Map<String, String> organizationIds = new LinkedHashMap<>();
    private final Map<String, RateLimiter.Limits> limits = new LinkedHashMap<>();
    private final List<String[]> limitPools = new ArrayList<>();
    private RateLimiter.Limits defaultLimits = new RateLimiter.Limits(4_000, 2_000_000, 400_000);
    private long countTokensRpm = 2_000;
    private OtpmMode otpmMode = OtpmMode.RESERVE_MAX_TOKENS;
    private final Set<String> versions = new LinkedHashSet<>(List.of("2023-06-01"));
    private final Map<String, Set<String>> rejectedParameters = new LinkedHashMap<>();
    private final Set<String> betas = new LinkedHashSet<>(List.of(
        "context-1m-2025-08-07", "files-api-2025-04-14", "token-counting-2024-11-01",
        "prompt-caching-2024-07-31", "extended-cache-ttl-2025-04-11",
        "interleaved-thinking-2025-05-14", "fast-mode-2026-02-01", "output-300k-2026-03-24",
        "message-batches-2024-09-24", "output-128k-2025-02-19"));
    private boolean anyBeta;
    private long maxRequestBytes = 32L * 1024 * 1024;
    private boolean htmlRequestTooLarge;
    private int minResponseTokens = 8;
    private int maxResponseTokens = 48;
    private Duration timeToFirstToken = Duration.ZERO;
    private Duration interEventDelay = Duration.ZERO;
    private Duration pingInterval = Duration.ofSeconds(5);
    private int logCapacity = 10_000;
    private boolean recordBodies = true;
    private Duration idleTimeout = Duration.ofMinutes(10);

    private Builder() {}

    /** Sets the monotonic ticker for refill and cache expiry; default {@link Ticker#system()}. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Sets the wall clock for the RFC 3339 {@code *-reset} headers, log times and spend-cap dates;
     * default the system clock. With a {@link FakeTicker}, pass {@link FakeTicker#clock()}.
     */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Registers a model with a maximum output of 64,000 tokens. */
    public Builder model(String id, String pool, long contextWindow) {
      return model(id, pool, contextWindow, 64_000);
    }

    /**
     * Registers a model: its id, the rate-limit pool it shares with other models, its context
     * window and its largest {@code max_tokens}.
     *
     * @throws IllegalArgumentException if a text is blank, a size is below 1, or the id is taken
     */
    public Builder model(String id, String pool, long contextWindow, long maxOutputTokens) {
      text("model id", id);
      text("pool", pool);
      atLeastOne("contextWindow", contextWindow);
      atLeastOne("maxOutputTokens", maxOutputTokens);
      if (models.containsKey(id)) {
        throw new IllegalArgumentException("model '" + id + "' is already registered");
      }
      models.put(id, new ModelSpec(id, pool, contextWindow, maxOutputTokens));
      return this;
    }

    /**
     * Sets the per-minute limits of one organization × model pool: requests, input tokens and
     * output tokens. Pools without limits use {@link #defaultLimits}.
     *
     * @throws IllegalArgumentException if a limit is below 1 or a name is blank
     */
    public Builder limits(String organization, String pool, long rpm, long itpm, long otpm) {
      text("organization", organization);
      text("pool", pool);
      limits.put(RateLimiter.key(organization, pool), limitsOf(rpm, itpm, otpm));
      limitPools.add(new String[] {organization, pool});
      return this;
    }

    /** Sets the limits of pools not set with {@link #limits}; default 4,000 / 2,000,000 / 400,000. */
    public Builder defaultLimits(long rpm, long itpm, long otpm) {
      this.defaultLimits = limitsOf(rpm, itpm, otpm);
      return this;
    }

    /** Sets the per-organization requests-per-minute of count_tokens; default 2,000. */
    public Builder countTokensRpm(long rpm) {
      atLeastOne("countTokensRpm", rpm);
      this.countTokensRpm = rpm;
      return this;
    }

    /** Registers an {@link KeyState#ACTIVE} key. */
    public Builder key(String label, String secret, String organization) {
      return key(label, secret, organization, KeyState.ACTIVE);
    }

    /**
     * Registers a key under a label (the only name the log and errors use), belonging to an
     * organization whose rate limits it shares.
     *
     * @throws IllegalArgumentException if a text is blank, or the label or the secret is taken (the
     *     message never shows the secret)
     */
    public Builder key(String label, String secret, String organization, KeyState state) {
      text("key label", label);
      Objects.requireNonNull(secret, "secret of key '" + label + "'");
      if (secret.isBlank()) {
        throw new IllegalArgumentException("secret of key '" + label + "' must not be blank");
      }
      text("organization", organization);
      Objects.requireNonNull(state, "state");
      if (keys.containsKey(label)) {
        throw new IllegalArgumentException("key label '" + label + "' is already registered");
      }
      for (KeySpec k : keys.values()) {
        if (k.secret.equals(secret)) {
          throw new IllegalArgumentException(
              "secret of key '" + label + "' is already used by key '" + k.label + "'");
        }
      }
      keys.put(label, new KeySpec(label, secret, organization, state));
      return this;
    }

    /** Sets the {@code anthropic-organization-id} sent for an organization; default a stable UUID. */
    public Builder organizationId(String organization, String id) {
      text("organization", organization);
      text("organization id", id);
      organizationIds.put(organization, id);
      return this;
    }

    /** Sets how output tokens are charged; default {@link OtpmMode#RESERVE_MAX_TOKENS}. */
    public Builder otpmMode(OtpmMode mode) {
      this.otpmMode = Objects.requireNonNull(mode, "otpmMode");
      return this;
    }

    /**
     * Makes {@code model} reject requests that set any of {@code fields} (top-level body fields)
     * with 400 {@code invalid_request_error} "`field` is deprecated for this model.", as Claude
     * Opus 4.7+ does for {@code temperature}. Call after registering the model.
     *
     * @throws IllegalArgumentException if the model is not registered or a field name is blank
     */
    public Builder rejectParameters(String model, String... fields) {
      text("model id", model);
      if (!models.containsKey(model)) {
        throw new IllegalArgumentException("model '" + model + "' is not registered; known: "
            + models.keySet());
      }
      Set<String> set = rejectedParameters.computeIfAbsent(model, m -> new LinkedHashSet<>());
      for (String f : fields) {
        text("parameter", f);
        set.add(f);
      }
      return this;
    }

    /** Replaces the accepted {@code anthropic-version} values; default {@code 2023-06-01}. */
    public Builder anthropicVersions(String... versions) {
      if (versions.length == 0) {
        throw new IllegalArgumentException("anthropicVersions must name at least one version");
      }
      this.versions.clear();
      for (String v : versions) {
        text("anthropic version", v);
        this.versions.add(v);
      }
      return this;
    }

    /** Adds accepted {@code anthropic-beta} names to the built-in list of real ones. */
    public Builder betas(String... names) {
      for (String n : names) {
        text("beta", n);
        betas.add(n);
      }
      return this;
    }

    /** Accepts any {@code anthropic-beta} name instead of answering 400 for unknown ones. */
    public Builder acceptAnyBeta() {
      this.anyBeta = true;
      return this;
    }

    /** Sets the largest accepted body; larger gets 413 {@code request_too_large}; default 32 MB. */
    public Builder maxRequestBytes(long bytes) {
      atLeastOne("maxRequestBytes", bytes);
      this.maxRequestBytes = bytes;
      return this;
    }

    /** Makes 413 answers a Cloudflare-style HTML page instead of API JSON; default JSON. */
    public Builder htmlRequestTooLarge(boolean html) {
      this.htmlRequestTooLarge = html;
      return this;
    }

    /**
     * Sets the range of a reply's natural length in tokens (one word is one token); the reply is
     * cut at {@code max_tokens}. Default 8–48.
     *
     * @throws IllegalArgumentException if {@code min < 1} or {@code max < min}
     */
    public Builder responseTokens(int min, int max) {
      atLeastOne("min response tokens", min);
      if (max < min) {
        throw new IllegalArgumentException("max response tokens must be >= " + min + " but was " + max);
      }
      this.minResponseTokens = min;
      this.maxResponseTokens = max;
      return this;
    }

    /** Sets the real-time pause before a stream's first delta; default zero. */
    public Builder timeToFirstToken(Duration delay) {
      this.timeToFirstToken = nonNegative("timeToFirstToken", delay);
      return this;
    }

    /** Sets the real-time pause between stream deltas; default zero. */
    public Builder interEventDelay(Duration delay) {
      this.interEventDelay = nonNegative("interEventDelay", delay);
      return this;
    }

    /** Sets how often a stalled stream sends {@code ping} (when the fault asks for pings); default 5 s. */
    public Builder pingInterval(Duration interval) {
      nonNegative("pingInterval", interval);
      if (interval.isZero()) {
        throw new IllegalArgumentException("pingInterval must be positive but was " + interval);
      }
      this.pingInterval = interval;
      return this;
    }

    /**
     * Sets how long an idle keep-alive connection stays open before the simulator closes it;
     * default 10 minutes. A short value reproduces a client reusing a pooled connection the server
     * already closed.
     *
     * @throws IllegalArgumentException if not at least 1 ms
     */
    public Builder idleTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "idleTimeout");
      if (timeout.toMillis() < 1) {
        throw new IllegalArgumentException("idleTimeout must be >= 1ms but was " + timeout);
      }
      this.idleTimeout = timeout;
      return this;
    }

    /**
     * Sets whether the log keeps request bodies ({@link RecordedCall#body()}); default true. Turn
     * it off for long load runs with large prompts.
     */
    public Builder recordBodies(boolean record) {
      this.recordBodies = record;
      return this;
    }

    /** Sets how many calls the log keeps (oldest dropped first); default 10,000. */
    public Builder logCapacity(int calls) {
      atLeastOne("logCapacity", calls);
      this.logCapacity = calls;
      return this;
    }

    /**
     * Adds the preset: models {@code claude-opus-4-6} and {@code claude-opus-4-5} (pool
     * {@code opus-4}, 200k context), {@code claude-sonnet-4-6} (pool {@code sonnet-4}, 1M) and
     * {@code claude-sonnet-4-5} (pool {@code sonnet-4}, 200k), {@code claude-haiku-4-5} (pool
     * {@code haiku-4-5}, 200k); keys {@link #PRESET_KEYS} {@code team-a}, {@code team-b} in
     * {@code org-1} and {@code team-c}, {@code team-d} in {@code org-2}; Tier-1 limits for both
     * organizations: opus-4 and sonnet-4 50 RPM / 30,000 ITPM / 8,000 OTPM, haiku-4-5 50 / 50,000 /
     * 10,000.
     */
    public Builder preset() {
      model("claude-opus-4-6", "opus-4", 200_000, 128_000);
      model("claude-opus-4-5", "opus-4", 200_000, 64_000);
      model("claude-sonnet-4-6", "sonnet-4", 1_000_000, 64_000);
      model("claude-sonnet-4-5", "sonnet-4", 200_000, 64_000);
      model("claude-haiku-4-5", "haiku-4-5", 200_000, 64_000);
      Map<String, String> orgs = Map.of("team-a", "org-1", "team-b", "org-1", "team-c", "org-2",
          "team-d", "org-2");
      for (Map.Entry<String, String> k : PRESET_KEYS.entrySet()) {
        key(k.getKey(), k.getValue(), orgs.get(k.getKey()));
      }
      for (String org : List.of("org-1", "org-2")) {
        limits(org, "opus-4", 50, 30_000, 8_000);
        limits(org, "sonnet-4", 50, 30_000, 8_000);
        limits(org, "haiku-4-5", 50, 50_000, 10_000);
      }
      return this;
    }

    /**
     * Binds a random free port on 127.0.0.1 and starts serving.
     *
     * @throws IllegalStateException if limits name a pool no model is in
     * @throws UncheckedIOException if the port cannot be bound
     */
    public Simulator start() {
      List<String> pools = models.values().stream().map(ModelSpec::pool).toList();
      for (String[] op : limitPools) {
        if (!pools.contains(op[1])) {
          throw new IllegalStateException("limits for organization '" + op[0] + "' name pool '"
              + op[1] + "' but no model is in it; known pools: " + new LinkedHashSet<>(pools));
        }
      }
      try {
        return new Simulator(this);
      } catch (IOException e) {
        throw new UncheckedIOException("could not start the simulator on 127.0.0.1", e);
      }
    }

    static RateLimiter.Limits limitsOf(long rpm, long itpm, long otpm) {
      atLeastOne("rpm", rpm);
      atLeastOne("itpm", itpm);
      atLeastOne("otpm", otpm);
      return new RateLimiter.Limits(rpm, itpm, otpm);
    }

    private static void text(String name, String value) {
      Objects.requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
    }

    private static void atLeastOne(String name, long value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be >= 1 but was " + value);
      }
    }

    private static Duration nonNegative(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must be >= 0 but was " + d);
      }
      return d;
    }
  }
}
