package dev.switchboard.spi;

/**
 * The per-minute limits of one rate-limit pool (an organization × a model pool), in the three
 * dimensions the API enforces. Each bucket holds at most its limit and refills continuously at
 * limit/60 per second. A limit of 0 means unknown: that dimension is not enforced locally until
 * it is learned from {@code anthropic-ratelimit-*-limit} headers.
 *
 * @param requestsPerMinute RPM
 * @param inputTokensPerMinute ITPM (cache reads excluded)
 * @param outputTokensPerMinute OTPM
 */
public record BucketLimits(long requestsPerMinute, long inputTokensPerMinute, long outputTokensPerMinute) {
  /** All three limits unknown. */
  public static final BucketLimits UNKNOWN = new BucketLimits(0, 0, 0);

  public BucketLimits {
    check("requestsPerMinute", requestsPerMinute);
    check("inputTokensPerMinute", inputTokensPerMinute);
    check("outputTokensPerMinute", outputTokensPerMinute);
  }

  /** Returns the limit of one dimension. */
  public long limit(Dimension dimension) {
    return switch (dimension) {
      case REQUESTS -> requestsPerMinute;
      case INPUT_TOKENS -> inputTokensPerMinute;
      case OUTPUT_TOKENS -> outputTokensPerMinute;
    };
  }

  /** Returns these limits with one dimension replaced. */
  public BucketLimits with(Dimension dimension, long limit) {
    return switch (dimension) {
      case REQUESTS -> new BucketLimits(limit, inputTokensPerMinute, outputTokensPerMinute);
      case INPUT_TOKENS -> new BucketLimits(requestsPerMinute, limit, outputTokensPerMinute);
      case OUTPUT_TOKENS -> new BucketLimits(requestsPerMinute, inputTokensPerMinute, limit);
    };
  }

  /** Returns true when no dimension is known. */
  public boolean isUnknown() {
    return requestsPerMinute == 0 && inputTokensPerMinute == 0 && outputTokensPerMinute == 0;
  }

  private static void check(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0 (0 = unknown) but was " + value);
    }
  }

  /** One of the three rate-limited dimensions. */
  public enum Dimension {
    REQUESTS, INPUT_TOKENS, OUTPUT_TOKENS
  }
}
