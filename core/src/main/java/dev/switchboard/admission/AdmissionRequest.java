package dev.switchboard.admission;

import java.util.Objects;

/**
 * What the admission controller needs to know about one call. Immutable; build with
 * {@link #builder(String)} or the canonical constructor.
 *
 * @param tenant who the call is for (a tenant id, safe to log); never blank
 * @param priority the call's priority class
 * @param estimatedTokens tokens charged to the tenant's per-minute budget at admission (input plus
 *     reserved output), at least 0; settled with the real count on release
 * @param estimatedCost dollars charged to the tenant's spend cap at admission, at least 0; settled
 *     with the real cost on release
 * @param deadlineNanos the {@link dev.switchboard.spi.Ticker} reading by which the call must be
 *     admitted, or {@link #NO_DEADLINE}
 */
public record AdmissionRequest(String tenant, Priority priority, long estimatedTokens,
    double estimatedCost, long deadlineNanos) {

  /** The deadline value meaning "wait as long as needed". */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  /**
   * Validates, naming the field and the bad value.
   *
   * @throws NullPointerException if tenant or priority is null
   * @throws IllegalArgumentException if tenant is blank, or an estimate is negative or not finite
   */
  public AdmissionRequest {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(priority, "priority");
    if (tenant.isBlank()) {
      throw new IllegalArgumentException("tenant must not be blank but was '" + tenant + "'");
    }
    if (estimatedTokens < 0) {
      throw new IllegalArgumentException("estimatedTokens must be >= 0 but was " + estimatedTokens);
    }
    if (!(estimatedCost >= 0.0) || Double.isInfinite(estimatedCost)) {
      throw new IllegalArgumentException(
          "estimatedCost must be finite and >= 0 but was " + estimatedCost);
    }
  }

  /** Returns true when the call has a deadline. */
  public boolean hasDeadline() {
    return deadlineNanos != NO_DEADLINE;
  }

  /**
   * Returns a builder for a call of {@code tenant}: priority {@link Priority#STANDARD}, no
   * estimates, no deadline.
   */
  public static Builder builder(String tenant) {
    return new Builder(tenant);
  }

  /** Builds {@link AdmissionRequest}s; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private String tenant;
    private Priority priority = Priority.STANDARD;
    private long estimatedTokens;
    private double estimatedCost;
    private long deadlineNanos = NO_DEADLINE;

    private Builder(String tenant) {
      tenant(tenant);
    }

    /** Sets the tenant id. */
    public Builder tenant(String tenant) {
      Objects.requireNonNull(tenant, "tenant");
      if (tenant.isBlank()) {
        throw new IllegalArgumentException("tenant must not be blank but was '" + tenant + "'");
      }
      this.tenant = tenant;
      return this;
    }

    /** Sets the priority class; default {@link Priority#STANDARD}. */
    public Builder priority(Priority priority) {
      this.priority = Objects.requireNonNull(priority, "priority");
      return this;
    }

    /** Sets the estimated tokens (input plus reserved output); default 0. */
    public Builder estimatedTokens(long estimatedTokens) {
      if (estimatedTokens < 0) {
        throw new IllegalArgumentException("estimatedTokens must be >= 0 but was " + estimatedTokens);
      }
      this.estimatedTokens = estimatedTokens;
      return this;
    }

    /** Sets the estimated cost in dollars; default 0. */
    public Builder estimatedCost(double estimatedCost) {
      if (!(estimatedCost >= 0.0) || Double.isInfinite(estimatedCost)) {
        throw new IllegalArgumentException(
            "estimatedCost must be finite and >= 0 but was " + estimatedCost);
      }
      this.estimatedCost = estimatedCost;
      return this;
    }

    /** Sets the deadline as a ticker reading; default {@link #NO_DEADLINE}. */
    public Builder deadlineNanos(long deadlineNanos) {
      this.deadlineNanos = deadlineNanos;
      return this;
    }

    /** Returns the request; the builder is unchanged and may be reused. */
    public AdmissionRequest build() {
      return new AdmissionRequest(tenant, priority, estimatedTokens, estimatedCost, deadlineNanos);
    }
  }
}
