package dev.switchboard.spi;

/**
 * The answer to a budget acquisition: granted (all three buckets were debited together), or not
 * (none was) with the time until the demand would fit.
 *
 * @param granted true when the demand was taken
 * @param waitNanos when refused: nanoseconds until the buckets will have refilled enough, or
 *     {@link Long#MAX_VALUE} when the demand exceeds a bucket's capacity and never fits; 0 when
 *     granted
 * @param limitedBy when refused: the dimension that refused; null when granted
 */
public record BudgetGrant(boolean granted, long waitNanos, BucketLimits.Dimension limitedBy) {
  /** A grant. */
  public static final BudgetGrant GRANTED = new BudgetGrant(true, 0, null);

  /** Returns a refusal. */
  public static BudgetGrant refused(long waitNanos, BucketLimits.Dimension limitedBy) {
    return new BudgetGrant(false, Math.max(0, waitNanos), limitedBy);
  }
}
