package dev.switchboard.spi;

/**
 * Token usage of one response, as the API reports it in {@code usage}.
 *
 * <p>{@code inputTokens} counts only the tokens after the last cache breakpoint; the total input is
 * {@link #totalInputTokens()}. For rate limiting, cache reads do not count ({@link
 * #rateLimitedInputTokens()}).
 *
 * @param inputTokens {@code input_tokens}
 * @param outputTokens {@code output_tokens}
 * @param cacheCreationInputTokens {@code cache_creation_input_tokens}
 * @param cacheReadInputTokens {@code cache_read_input_tokens}
 * @param cacheCreation5mInputTokens {@code cache_creation.ephemeral_5m_input_tokens}
 * @param cacheCreation1hInputTokens {@code cache_creation.ephemeral_1h_input_tokens}
 * @param serviceTier {@code service_tier}, or null
 */
public record Usage(
    long inputTokens,
    long outputTokens,
    long cacheCreationInputTokens,
    long cacheReadInputTokens,
    long cacheCreation5mInputTokens,
    long cacheCreation1hInputTokens,
    String serviceTier) {

  /** No tokens at all. */
  public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, 0, null);

  /** Rejects negative counts. */
  public Usage {
    check("input_tokens", inputTokens);
    check("output_tokens", outputTokens);
    check("cache_creation_input_tokens", cacheCreationInputTokens);
    check("cache_read_input_tokens", cacheReadInputTokens);
    check("cache_creation.ephemeral_5m_input_tokens", cacheCreation5mInputTokens);
    check("cache_creation.ephemeral_1h_input_tokens", cacheCreation1hInputTokens);
  }

  /** Returns usage with only input and output tokens. */
  public static Usage of(long inputTokens, long outputTokens) {
    return new Usage(inputTokens, outputTokens, 0, 0, 0, 0, null);
  }

  /** Returns input + cache creation + cache read tokens. */
  public long totalInputTokens() {
    return inputTokens + cacheCreationInputTokens + cacheReadInputTokens;
  }

  /** Returns the input tokens an input-tokens-per-minute limit counts: cache reads excluded. */
  public long rateLimitedInputTokens() {
    return inputTokens + cacheCreationInputTokens;
  }

  /** Returns this usage with another output-token count (streams report it cumulatively). */
  public Usage withOutputTokens(long outputTokens) {
    return new Usage(inputTokens, outputTokens, cacheCreationInputTokens, cacheReadInputTokens,
        cacheCreation5mInputTokens, cacheCreation1hInputTokens, serviceTier);
  }

  private static void check(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0 but was " + value);
    }
  }
}
