package dev.switchboard;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-call settings: who the call is for, its deadline, and limits on its attempts. Immutable and
 * thread-safe; each {@code with…} method returns a copy. Unset values fall back to the router's
 * defaults (see {@link Switchboard.Builder}).
 *
 * <pre>{@code
 * router.send(request, CallOptions.forUser("tenant-42").deadline(Duration.ofSeconds(20)));
 * }</pre>
 */
public final class CallOptions {
  /** No user, and the router's default deadline, attempts and attempt timeout. */
  public static final CallOptions DEFAULT = new CallOptions(null, null, 0, null);

  private final String userId;
  private final Duration deadline;
  private final int maxAttempts;
  private final Duration attemptTimeout;

  private CallOptions(String userId, Duration deadline, int maxAttempts, Duration attemptTimeout) {
    this.userId = userId;
    this.deadline = deadline;
    this.maxAttempts = maxAttempts;
    this.attemptTimeout = attemptTimeout;
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
    return new CallOptions(userId, deadline, maxAttempts, attemptTimeout);
  }

  /**
   * Returns a copy whose whole call (every attempt, wait and backoff) must end within {@code
   * deadline} of the call's start.
   *
   * @throws IllegalArgumentException when not positive
   */
  public CallOptions deadline(Duration deadline) {
    return new CallOptions(userId, positive("deadline", deadline), maxAttempts, attemptTimeout);
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
    return new CallOptions(userId, deadline, maxAttempts, attemptTimeout);
  }

  /**
   * Returns a copy in which each attempt may last at most {@code attemptTimeout} (and never past
   * the deadline).
   *
   * @throws IllegalArgumentException when not positive
   */
  public CallOptions attemptTimeout(Duration attemptTimeout) {
    return new CallOptions(userId, deadline, maxAttempts, positive("attemptTimeout", attemptTimeout));
  }

  /** Returns the user id, or null. */
  public String userId() {
    return userId;
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

  @Override
  public boolean equals(Object o) {
    return o instanceof CallOptions c && Objects.equals(userId, c.userId)
        && Objects.equals(deadline, c.deadline) && maxAttempts == c.maxAttempts
        && Objects.equals(attemptTimeout, c.attemptTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(userId, deadline, maxAttempts, attemptTimeout);
  }

  @Override
  public String toString() {
    return "CallOptions[user=" + userId + ", deadline=" + deadline + ", maxAttempts="
        + (maxAttempts == 0 ? "default" : maxAttempts) + ", attemptTimeout=" + attemptTimeout + "]";
  }

  static Duration positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive but was " + d);
    }
    return d;
  }
}
