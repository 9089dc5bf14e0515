package dev.switchboard.admission;

import java.time.Duration;
import java.util.Objects;

/**
 * How one tenant shares the admission controller: its fair-share weight and its budgets.
 * Immutable and thread-safe; build with {@link #builder()}.
 *
 * <ul>
 *   <li><b>weight</b> (default 1): while several tenants of one priority class are waiting, each is
 *       admitted in proportion to its weight, however many calls it has queued.
 *   <li><b>tokens per minute</b> (default 0 = unlimited): a continuous token bucket holding at most
 *       this many tokens and refilling at tokensPerMinute/60 per second. Each call's estimate is
 *       taken at admission and settled with the real count on release (a bucket may go into debt).
 *   <li><b>spend cap</b> (default none): at most this many dollars per window. A window opens at
 *       the tenant's first charge and lasts {@code spendWindow}; the next opens at the first charge
 *       after it ended. Each call's estimated cost is charged at admission and settled with the
 *       real cost on release; a call that would take the window past the cap waits for the next
 *       window (when that fits its deadline) or is rejected.
 * </ul>
 */
public final class TenantPolicy {

  /** Weight 1, no token budget, no spend cap. */
  public static final TenantPolicy DEFAULT = builder().build();

  private final double weight;
  private final long tokensPerMinute;
  private final double spendCap;
  private final Duration spendWindow;

  private TenantPolicy(Builder b) {
    this.weight = b.weight;
    this.tokensPerMinute = b.tokensPerMinute;
    this.spendCap = b.spendCap;
    this.spendWindow = b.spendWindow;
  }

  /** Returns a builder with the defaults of {@link #DEFAULT}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder holding this policy's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.weight = weight;
    b.tokensPerMinute = tokensPerMinute;
    b.spendCap = spendCap;
    b.spendWindow = spendWindow;
    return b;
  }

  /** Returns the fair-share weight, positive; default 1. */
  public double weight() {
    return weight;
  }

  /** Returns the per-minute token budget; 0 (the default) means unlimited. */
  public long tokensPerMinute() {
    return tokensPerMinute;
  }

  /** Returns the spend cap in dollars per {@link #spendWindow()}; 0 (the default) means none. */
  public double spendCap() {
    return spendCap;
  }

  /** Returns the spend cap's window; default 1 hour. */
  public Duration spendWindow() {
    return spendWindow;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TenantPolicy p && weight == p.weight && tokensPerMinute == p.tokensPerMinute
        && spendCap == p.spendCap && spendWindow.equals(p.spendWindow);
  }

  @Override
  public int hashCode() {
    return Objects.hash(weight, tokensPerMinute, spendCap, spendWindow);
  }

  @Override
  public String toString() {
    return "TenantPolicy[weight=" + weight + ", tokensPerMinute=" + tokensPerMinute
        + ", spendCap=" + spendCap + " per " + spendWindow + "]";
  }

  /** Builds {@link TenantPolicy}s; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private double weight = 1.0;
    private long tokensPerMinute;
    private double spendCap;
    private Duration spendWindow = Duration.ofHours(1);

    private Builder() {}

    /**
     * Sets the fair-share weight.
     *
     * @throws IllegalArgumentException if not positive and finite
     */
    public Builder weight(double weight) {
      if (!(weight > 0.0) || Double.isInfinite(weight)) {
        throw new IllegalArgumentException("weight must be finite and > 0 but was " + weight);
      }
      this.weight = weight;
      return this;
    }

    /**
     * Sets the per-minute token budget; 0 means unlimited.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder tokensPerMinute(long tokensPerMinute) {
      if (tokensPerMinute < 0) {
        throw new IllegalArgumentException(
            "tokensPerMinute must be >= 0 (0 = unlimited) but was " + tokensPerMinute);
      }
      this.tokensPerMinute = tokensPerMinute;
      return this;
    }

    /**
     * Sets a spend cap of {@code dollars} per {@code window}; 0 dollars removes the cap.
     *
     * @throws IllegalArgumentException if dollars is negative or not finite, or window not positive
     */
    public Builder spendCap(double dollars, Duration window) {
      Objects.requireNonNull(window, "spendWindow");
      if (!(dollars >= 0.0) || Double.isInfinite(dollars)) {
        throw new IllegalArgumentException(
            "spendCap must be finite and >= 0 (0 = none) but was " + dollars);
      }
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("spendWindow must be positive but was " + window);
      }
      this.spendCap = dollars;
      this.spendWindow = window;
      return this;
    }

    /** Returns the policy; the builder is unchanged and may be reused. */
    public TenantPolicy build() {
      return new TenantPolicy(this);
    }
  }
}
