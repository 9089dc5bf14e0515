package dev.switchboard.admission;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A call was not admitted. {@link #reason()} says why and {@link #retryAfter()} when capacity is
 * expected back, if that is known. Messages name the tenant and priority, never request content.
 */
public final class AdmissionRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a call was not admitted. */
  public enum Reason {
    /**
     * The wait queue was full (or the call was displaced from it by a call of higher priority, or
     * of a tenant holding less of the queue).
     */
    QUEUE_FULL,
    /** The call's deadline had passed, or passed while it waited in the queue. */
    DEADLINE_UNREACHABLE,
    /**
     * The tenant's token rate or spend cap cannot admit the call before its deadline, or ever
     * (an estimate above the tenant's whole per-minute budget or spend cap).
     */
    TENANT_BUDGET,
    /** The controller was closed. */
    SHUTDOWN
  }

  private final Reason reason;
  private final String tenant;
  private final Priority priority;
  private final Duration retryAfter;

  AdmissionRejectedException(Reason reason, String tenant, Priority priority, Duration retryAfter,
      String detail) {
    super("admission rejected (" + reason + ") for tenant '" + tenant + "' at " + priority + ": "
        + detail + (retryAfter == null ? "" : "; capacity expected back in " + retryAfter),
        null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.tenant = tenant;
    this.priority = priority;
    this.retryAfter = retryAfter;
  }

  /** Returns why the call was not admitted. */
  public Reason reason() {
    return reason;
  }

  /** Returns the tenant of the rejected call. */
  public String tenant() {
    return tenant;
  }

  /** Returns the priority class of the rejected call. */
  public Priority priority() {
    return priority;
  }

  /**
   * Returns how long from the rejection until the tenant's budget would admit the call, when
   * known (only for {@link Reason#TENANT_BUDGET} with a budget that refills); empty otherwise.
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
