package dev.switchboard.cache;

import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.MessageResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides which calls may be answered from the response cache, which responses may be stored, in
 * which scope, and for how long. Immutable and thread-safe; start from {@link #DEFAULT} or
 * {@link #builder()}.
 *
 * <h2>Cacheable requests ({@link #isCacheable})</h2>
 * By default a request is cacheable when its {@code temperature} is present and 0 (the caller asked
 * for the most deterministic answer), or when the caller opts in for that call (it knows a repeated
 * answer is acceptable, e.g. a classification prompt at the default temperature). Never cacheable,
 * even with the opt-in:
 * <ul>
 *   <li>{@code max_tokens = 0}: such a call pre-warms the prompt cache; only reaching the API
 *       does that.
 *   <li>requests with <b>server tools</b> (a tool whose {@code type} is set and is not
 *       {@code custom}, e.g. web search or code execution), MCP servers or a container: their
 *       answers depend on the world outside the request. Allow them with
 *       {@link Builder#allowServerTools(boolean)}.
 * </ul>
 * Client tools are fine: the model's answer — text or a {@code tool_use} request — is a function of
 * the request, whose tools, {@code tool_choice} and prior tool results are all part of the key.
 *
 * <h2>Storable responses ({@link #isStorable})</h2>
 * Only successful, complete responses, by {@code stop_reason}: by default {@code end_turn},
 * {@code stop_sequence}, {@code tool_use} (a complete turn asking for a tool) and
 * {@code max_tokens} (truncated, but a repeat with the same {@code max_tokens}, which is in the key,
 * is truncated the same way). Never {@code pause_turn} (a paused server-tool turn that must be
 * continued), {@code refusal} (may depend on classifiers that change), {@code null} (a stream still
 * open) or any other value.
 *
 * <h2>Scope ({@link #scopeFor})</h2>
 * Tenant-private by default; a shared scope only when {@link Builder#sharedScope(String)} was set.
 */
public final class CachePolicy {
  /** Stop reasons stored by default. */
  public static final Set<String> DEFAULT_STORABLE_STOP_REASONS =
      Set.of("end_turn", "stop_sequence", "tool_use", "max_tokens");
  /** Stop reasons never stored, whatever the configuration. */
  private static final Set<String> NEVER_STORABLE = Set.of("pause_turn", "refusal");

  /** Temperature-0 or opt-in requests, no server tools, default stop reasons, 10 minutes, no stale. */
  public static final CachePolicy DEFAULT = builder().build();

  private final boolean cacheTemperatureZero;
  private final boolean allowServerTools;
  private final Set<String> storableStopReasons;
  private final String sharedScope;
  private final Duration ttl;
  private final Duration staleFor;

  private CachePolicy(Builder b) {
    this.cacheTemperatureZero = b.cacheTemperatureZero;
    this.allowServerTools = b.allowServerTools;
    this.storableStopReasons = b.storableStopReasons;
    this.sharedScope = b.sharedScope;
    this.ttl = b.ttl;
    this.staleFor = b.staleFor;
  }

  /** Returns a builder holding the defaults of {@link #DEFAULT}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder holding this policy's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.cacheTemperatureZero = cacheTemperatureZero;
    b.allowServerTools = allowServerTools;
    b.storableStopReasons = storableStopReasons;
    b.sharedScope = sharedScope;
    b.ttl = ttl;
    b.staleFor = staleFor;
    return b;
  }

  /**
   * Returns true when {@code request} may be answered from, and stored in, the cache.
   *
   * @param callerOptIn true when the caller asked for caching of this call
   * @throws NullPointerException if {@code request} is null
   */
  public boolean isCacheable(MessageRequest request, boolean callerOptIn) {
    Objects.requireNonNull(request, "request");
    if (request.maxTokens() == 0) {
      return false;
    }
    if (!allowServerTools && usesServerSideState(request)) {
      return false;
    }
    if (callerOptIn) {
      return true;
    }
    return cacheTemperatureZero && request.temperature().isPresent()
        && request.temperature().getAsDouble() == 0.0;
  }

  /**
   * Returns true when {@code response} is a successful, complete answer that may be stored.
   *
   * @throws NullPointerException if {@code response} is null
   */
  public boolean isStorable(MessageResponse response) {
    Objects.requireNonNull(response, "response");
    String reason = response.stopReason();
    return reason != null && storableStopReasons.contains(reason);
  }

  /**
   * Returns the cache scope for a call of {@code tenant}: {@link CacheKeys#tenantScope(String)},
   * or the configured shared scope.
   *
   * @throws IllegalArgumentException if {@code tenant} is blank and no shared scope is set
   */
  public String scopeFor(String tenant) {
    return sharedScope != null ? CacheKeys.sharedScope(sharedScope) : CacheKeys.tenantScope(tenant);
  }

  /** Returns whether temperature-0 requests are cached without an opt-in; default true. */
  public boolean cacheTemperatureZero() {
    return cacheTemperatureZero;
  }

  /** Returns whether requests with server tools, MCP servers or a container may be cached; default false. */
  public boolean allowServerTools() {
    return allowServerTools;
  }

  /** Returns the stop reasons of storable responses; default {@link #DEFAULT_STORABLE_STOP_REASONS}. */
  public Set<String> storableStopReasons() {
    return storableStopReasons;
  }

  /** Returns the shared scope name, or null (the default) for tenant-private scopes. */
  public String sharedScope() {
    return sharedScope;
  }

  /** Returns how long a stored response is fresh; default 10 minutes. */
  public Duration ttl() {
    return ttl;
  }

  /** Returns how long after {@link #ttl()} a response may still serve a degraded call; default 0. */
  public Duration staleFor() {
    return staleFor;
  }

  @Override
  public String toString() {
    return "CachePolicy[temperatureZero=" + cacheTemperatureZero + ", serverTools=" + allowServerTools
        + ", stopReasons=" + storableStopReasons + ", scope="
        + (sharedScope == null ? "tenant" : "shared:" + sharedScope) + ", ttl=" + ttl
        + ", staleFor=" + staleFor + "]";
  }

  static boolean usesServerSideState(MessageRequest request) {
    for (Map<String, Object> tool : request.tools()) {
      Object type = tool.get("type");
      if (type != null && !"custom".equals(type)) {
        return true;
      }
    }
    Map<String, Object> extra = request.extra();
    return extra.get("mcp_servers") != null || extra.get("container") != null;
  }

  /** Builds {@link CachePolicy}s; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private boolean cacheTemperatureZero = true;
    private boolean allowServerTools;
    private Set<String> storableStopReasons = DEFAULT_STORABLE_STOP_REASONS;
    private String sharedScope;
    private Duration ttl = Duration.ofMinutes(10);
    private Duration staleFor = Duration.ZERO;

    private Builder() {}

    /** Sets whether temperature-0 requests are cached without an opt-in; default true. */
    public Builder cacheTemperatureZero(boolean cache) {
      this.cacheTemperatureZero = cache;
      return this;
    }

    /** Sets whether requests with server tools, MCP servers or a container may be cached; default false. */
    public Builder allowServerTools(boolean allow) {
      this.allowServerTools = allow;
      return this;
    }

    /**
     * Sets the stop reasons of storable responses.
     *
     * @throws IllegalArgumentException if empty, or holding a blank value or a stop reason that is
     *     never storable ({@code pause_turn}, {@code refusal})
     */
    public Builder storableStopReasons(Set<String> stopReasons) {
      Set<String> copy = Set.copyOf(Objects.requireNonNull(stopReasons, "storableStopReasons"));
      if (copy.isEmpty()) {
        throw new IllegalArgumentException("storableStopReasons must not be empty");
      }
      for (String r : copy) {
        if (r.isBlank()) {
          throw new IllegalArgumentException("storableStopReasons must not hold a blank value");
        }
        if (NEVER_STORABLE.contains(r)) {
          throw new IllegalArgumentException("stop reason '" + r + "' is never storable: "
              + ("pause_turn".equals(r) ? "the turn is incomplete" : "a refusal must not be pinned"));
        }
      }
      this.storableStopReasons = copy;
      return this;
    }

    /**
     * Shares cache entries between every tenant under {@code name}; null restores tenant-private
     * scopes (the default). Only for answers every tenant may see.
     *
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public Builder sharedScope(String name) {
      if (name != null && name.isBlank()) {
        throw new IllegalArgumentException("sharedScope must not be blank but was '" + name + "'");
      }
      this.sharedScope = name;
      return this;
    }

    /**
     * Sets how long a stored response is fresh; default 10 minutes.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder ttl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("ttl must be positive but was " + ttl);
      }
      this.ttl = ttl;
      return this;
    }

    /**
     * Sets how long after the ttl a response may still serve a degraded call; default 0.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder staleFor(Duration staleFor) {
      Objects.requireNonNull(staleFor, "staleFor");
      if (staleFor.isNegative()) {
        throw new IllegalArgumentException("staleFor must be >= 0 but was " + staleFor);
      }
      this.staleFor = staleFor;
      return this;
    }

    /** Returns the policy; the builder is unchanged and may be reused. */
    public CachePolicy build() {
      return new CachePolicy(this);
    }
  }
}
