package dev.switchboard;

import dev.switchboard.admission.Priority;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.stream.StreamTimeouts;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Per-call settings: who the call is for, its deadline, limits on its attempts, its priority, and
 * how it may use the response cache. Immutable and thread-safe; each setter returns a copy. Unset
 * values fall back to the router's defaults (see {@link Switchboard.Builder}).
 *
 * <pre>{@code
 * router.send(request, CallOptions.forUser("user-7").tenant("acme")
 *     .priority(Priority.INTERACTIVE).deadline(Duration.ofSeconds(20)));
 * }</pre>
 *
 * <p>The <b>user</b> owns the per-user circuit breaker; the <b>tenant</b> owns cache scope, admission
 * share and budgets, bound keys and cost sums. When no tenant is set the user id is the tenant;
 * when neither is set the call belongs to the tenant {@value #ANONYMOUS_TENANT}.
 */
public final class CallOptions {
  /** The tenant of calls that name neither a tenant nor a user. */
  public static final String ANONYMOUS_TENANT = "anonymous";

  /** No user, and the router's default deadline, attempts and attempt timeout. */
  public static final CallOptions DEFAULT = new CallOptions(null, null, 0, null, null,
      Priority.STANDARD, false, false, null, null, null, null);

  private final String userId;
  private final Duration deadline;
  private final int maxAttempts;
  private final Duration attemptTimeout;
  private final String tenant;
  private final Priority priority;
  private final boolean cacheable;
  private final boolean allowDegraded;
  private final Function<MessageRequest, MessageResponse> fallback;
  private final String sessionKey;
  private final StreamTimeouts streamTimeouts;
  private final Boolean continueInterrupted;
  /** The user breaker's name, derived from {@code userId} on first use (racy but idempotent). */
  private String userBreakerName;

  private CallOptions(String userId, Duration deadline, int maxAttempts, Duration attemptTimeout,
      String tenant, Priority priority, boolean cacheable, boolean allowDegraded,
      Function<MessageRequest, MessageResponse> fallback, String sessionKey,
      StreamTimeouts streamTimeouts, Boolean continueInterrupted) {
    this.userId = userId;
    this.deadline = deadline;
    this.maxAttempts = maxAttempts;
    this.attemptTimeout = attemptTimeout;
    this.tenant = tenant;
    this.priority = priority;
    this.cacheable = cacheable;
    this.allowDegraded = allowDegraded;
    this.fallback = fallback;
    this.sessionKey = sessionKey;
    this.streamTimeouts = streamTimeouts;
    this.continueInterrupted = continueInterrupted;
  }

  /**
   * Returns options for a call made on behalf of {@code userId} (a tenant or end user, reported
   * in events; never sent to the API by the router).
   *
   * @throws IllegalArgumentException when userId is blank
   */
  public static CallOptions forUser(String userId) {
    return DEFAULT.userId(userId);
  }

  /** Returns a copy for {@code userId}; null for none. */
  public CallOptions userId(String userId) {
    if (userId != null && userId.isBlank()) {
      throw new IllegalArgumentException("userId must not be blank but was '" + userId + "'");
    }
    return new CallOptions(userId, deadline, maxAttempts, attemptTimeout, tenant, priority,
        cacheable, allowDegraded, fallback, sessionKey, streamTimeouts, continueInterrupted);
  }

  /**
   * Returns a copy for {@code tenant} (null: the user id is the tenant).
   *
   * @throws IllegalArgumentException when tenant is blank
   */
  public CallOptions tenant(String tenant) {
    if (tenant != null && tenant.isBlank()) {
      throw new IllegalArgumentException("tenant must not be blank but was '" + tenant + "'");
    }
    return new CallOptions(userId, deadline, maxAttempts, attemptTimeout, tenant, priority,
        cacheable, allowDegraded, fallback, sessionKey, streamTimeouts, continueInterrupted);
  }

  /**
   * Returns a copy whose whole call (every attempt, wait and backoff) must end within {@code
   * deadline} of the call's start.
   *
   * @throws IllegalArgumentException when not positive
   */
  public CallOptions deadline(Duration deadline) {
    return new CallOptions(userId, positive("deadline", deadline), maxAttempts, attemptTimeout,
        tenant, priority, cacheable, allowDegraded, fallback, sessionKey, streamTimeouts, continueInterrupted);
  }

  /**
   * Returns a copy allowing at most {@code maxAttempts} attempts.
   *
   * @throws IllegalArgumentException when below 1
   */
  public CallOptions maxAttempts(int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1 but was " + maxAttempts);
    }
    return new CallOptions(userId, deadline, maxAttempts, attemptTimeout, tenant, priority,
        cacheable, allowDegraded, fallback, sessionKey, streamTimeouts, continueInterrupted);
  }

  /**
   * Returns a copy in which each attempt may last at most {@code attemptTimeout} (and never past
   * the deadline).
   *
   * @throws IllegalArgumentException when not positive
   */
  public CallOptions attemptTimeout(Duration attemptTimeout) {
    return new CallOptions(userId, deadline, maxAttempts, positive("attemptTimeout", attemptTimeout),
        tenant, priority, cacheable, allowDegraded, fallback, sessionKey, streamTimeouts, continueInterrupted);
  }

  /**
   * Returns a copy with the admission priority class (default {@link Priority#STANDARD}); only
   * used when the router has admission control.
   */
  public CallOptions priority(Priority priority) {
    return new CallOptions(userId, deadline, maxAttempts, attemptTimeout, tenant,
        Objects.requireNonNull(priority, "priority"), cacheable, allowDegraded, fallback, sessionKey, streamTimeouts, continueInterrupted);
  }

  /**
   * Returns a copy that opts in (or not) to the response cache for this call even when its
   * temperature is not 0; only used when the router has a response cache. Default false.
   */
  public CallOptions cacheable(boolean cacheable) {
    return new CallOptions(userId, deadline, maxAttempts, attemptTimeout, tenant, priority,
        cacheable, allowDegraded, fallback, sessionKey, streamTimeouts, continueInterrupted);
  }

  /**
   * Returns a copy that accepts a degraded answer when no route can answer: a stale cached answer
   * of this tenant, or the {@link #fallback} function's. Default false.
   */
  public CallOptions allowDegraded(boolean allowDegraded) {
    return new CallOptions(userId, deadline, maxAttempts, attemptTimeout, tenant, priority,
        cacheable, allowDegraded, fallback, sessionKey, streamTimeouts, continueInterrupted);
  }

  /**
   * Returns a copy that, when no route can answer and no stale cached answer exists, answers with
   * {@code fallback(request)} (a template answer), marked degraded. Setting it implies
   * {@link #allowDegraded(boolean) allowDegraded(true)}; null removes it.
   */
  public CallOptions fallback(Function<MessageRequest, MessageResponse> fallback) {
    return new CallOptions(userId, deadline, maxAttempts, attemptTimeout, tenant, priority,
        cacheable, allowDegraded || fallback != null, fallback, sessionKey, streamTimeouts, continueInterrupted);
  }

  /**
   * Returns a copy naming the conversation this call belongs to, so that the router keeps it on one
   * organization (prompt-cache affinity) even without {@code cache_control}; null for none.
   *
   * @throws IllegalArgumentException when blank
   */
  public CallOptions sessionKey(String sessionKey) {
    if (sessionKey != null && sessionKey.isBlank()) {
      throw new IllegalArgumentException("sessionKey must not be blank but was '" + sessionKey + "'");
    }
    return new CallOptions(userId, deadline, maxAttempts, attemptTimeout, tenant, priority,
        cacheable, allowDegraded, fallback, sessionKey, streamTimeouts, continueInterrupted);
  }

  /**
   * Returns a copy whose stream (see {@link Switchboard#stream}) uses {@code timeouts} for time to
   * first byte, time to first token and the idle gap, instead of the router's; null for the
   * router's.
   */
  public CallOptions streamTimeouts(StreamTimeouts timeouts) {
    return new CallOptions(userId, deadline, maxAttempts, attemptTimeout, tenant, priority,
        cacheable, allowDegraded, fallback, sessionKey, timeouts, continueInterrupted);
  }

  /**
   * Returns a copy that decides, for this call's stream, whether an answer interrupted after
   * content reached the caller is continued on another route (the partial answer sent back as an
   * assistant prefill) rather than ended with a {@link dev.switchboard.stream.StreamInterruptedException};
   * overrides {@link Switchboard.Builder#continueInterruptedStreams(boolean)}.
   */
  public CallOptions continueInterrupted(boolean continueInterrupted) {
    return new CallOptions(userId, deadline, maxAttempts, attemptTimeout, tenant, priority,
        cacheable, allowDegraded, fallback, sessionKey, streamTimeouts, continueInterrupted);
  }

  /** Returns the stream timeouts set on these options, or null for the router's. */
  public StreamTimeouts streamTimeouts() {
    return streamTimeouts;
  }

  /** Returns whether interrupted streams are continued, or null for the router's default. */
  public Boolean continueInterrupted() {
    return continueInterrupted;
  }

  /** Returns the user id, or null. */
  public String userId() {
    return userId;
  }

  /** Returns the tenant set on these options, or null (see {@link #effectiveTenant()}). */
  public String tenant() {
    return tenant;
  }

  /** Returns the tenant the call belongs to: the tenant, else the user id, else {@value #ANONYMOUS_TENANT}. */
  public String effectiveTenant() {
    return tenant != null ? tenant : userId != null ? userId : ANONYMOUS_TENANT;
  }

  /** Returns the deadline, or null for the router's default. */
  public Duration deadline() {
    return deadline;
  }

  /** Returns the maximum attempts, or 0 for the router's default. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** Returns the attempt timeout, or null for the router's default. */
  public Duration attemptTimeout() {
    return attemptTimeout;
  }

  /** Returns the admission priority class. */
  public Priority priority() {
    return priority;
  }

  /** Returns true when the caller opted in to the response cache. */
  public boolean cacheable() {
    return cacheable;
  }

  /** Returns true when a degraded answer is acceptable. */
  public boolean allowDegraded() {
    return allowDegraded;
  }

  /** Returns the fallback function, or null. */
  public Function<MessageRequest, MessageResponse> fallback() {
    return fallback;
  }

  /** Returns the session key, or null. */
  public String sessionKey() {
    return sessionKey;
  }

  /**
   * Returns the name of this call's user breaker ({@code user:<id>}), built once per options
   * object, or null without a user id. Not part of equality.
   */
  String userBreakerName() {
    String name = userBreakerName;
    if (name == null && userId != null) {
      name = Engine.userBreaker(userId);
      userBreakerName = name;
    }
    return name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CallOptions c && Objects.equals(userId, c.userId)
        && Objects.equals(deadline, c.deadline) && maxAttempts == c.maxAttempts
        && Objects.equals(attemptTimeout, c.attemptTimeout) && Objects.equals(tenant, c.tenant)
        && priority == c.priority && cacheable == c.cacheable && allowDegraded == c.allowDegraded
        && Objects.equals(fallback, c.fallback) && Objects.equals(sessionKey, c.sessionKey)
        && Objects.equals(streamTimeouts, c.streamTimeouts)
        && Objects.equals(continueInterrupted, c.continueInterrupted);
  }

  @Override
  public int hashCode() {
    return Objects.hash(userId, deadline, maxAttempts, attemptTimeout, tenant, priority, cacheable,
        allowDegraded, fallback, sessionKey, streamTimeouts, continueInterrupted);
  }

  @Override
  public String toString() {
    return "CallOptions[user=" + userId + (tenant == null ? "" : ", tenant=" + tenant)
        + ", deadline=" + deadline + ", maxAttempts=" + (maxAttempts == 0 ? "default" : maxAttempts)
        + ", attemptTimeout=" + attemptTimeout + ", priority=" + priority
        + (cacheable ? ", cacheable" : "") + (allowDegraded ? ", allowDegraded" : "")
        + (sessionKey == null ? "" : ", session=" + sessionKey)
        + (streamTimeouts == null ? "" : ", " + streamTimeouts)
        + (continueInterrupted == null ? "" : ", continueInterrupted=" + continueInterrupted) + "]";
  }

  static Duration positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive but was " + d);
    }
    return d;
  }
}
