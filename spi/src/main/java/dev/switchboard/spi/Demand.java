package dev.switchboard.spi;

/**
 * An amount taken from (or given back to) the three buckets of a pool.
 *
 * @param requests requests, usually 1 (or 0 when settling tokens only)
 * @param inputTokens input tokens (cache reads excluded)
 * @param outputTokens output tokens
 */
public record Demand(long requests, long inputTokens, long outputTokens) {
  /** Nothing. */
  public static final Demand NONE = new Demand(0, 0, 0);

  public Demand {
    if (requests < 0 || inputTokens < 0 || outputTokens < 0) {
      throw new IllegalArgumentException("demand must not be negative but was " + requests + " requests, "
          + inputTokens + " input tokens, " + outputTokens + " output tokens");
    }
  }

  /** Returns the amount of one dimension. */
  public long amount(BucketLimits.Dimension dimension) {
    return switch (dimension) {
      case REQUESTS -> requests;
      case INPUT_TOKENS -> inputTokens;
      case OUTPUT_TOKENS -> outputTokens;
    };
  }
}
