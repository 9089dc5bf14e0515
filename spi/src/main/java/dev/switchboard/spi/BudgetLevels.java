package dev.switchboard.spi;

/**
 * The current fill of a pool's three buckets (may be negative after output ran over its
 * reservation: that is debt, repaid by refill).
 *
 * @param limits the limits the levels are measured against
 * @param requests requests available now
 * @param inputTokens input tokens available now
 * @param outputTokens output tokens available now
 */
public record BudgetLevels(BucketLimits limits, double requests, double inputTokens, double outputTokens) {

  /** Returns the available amount of one dimension. */
  public double level(BucketLimits.Dimension dimension) {
    return switch (dimension) {
      case REQUESTS -> requests;
      case INPUT_TOKENS -> inputTokens;
      case OUTPUT_TOKENS -> outputTokens;
    };
  }

  /**
   * Returns the fill of the tightest known dimension as a share of its limit, clamped to [0, 1];
   * 1.0 when no limit is known.
   */
  public double headroom() {
    double h = 1.0;
    for (BucketLimits.Dimension d : BucketLimits.Dimension.values()) {
      long limit = limits.limit(d);
      if (limit > 0) {
        h = Math.min(h, level(d) / limit);
      }
    }
    return Math.max(0.0, Math.min(1.0, h));
  }
}
