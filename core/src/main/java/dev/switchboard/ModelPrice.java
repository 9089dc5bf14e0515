package dev.switchboard;

import dev.switchboard.spi.Usage;
import java.util.Objects;

/**
 * The price of one model in US dollars per million tokens, by kind of token: base input, 5-minute
 * cache write, 1-hour cache write, cache read, output. Immutable and thread-safe.
 *
 * <p>{@link #of(double, double)} derives the cache prices with the API's multipliers on the base
 * input price (write 1.25× for 5 minutes, 2× for 1 hour; read 0.1×). {@link #builtIn(String)}
 * knows the public list prices of the Claude 4.x and 5 families.
 *
 * @param inputPerMTok base input tokens
 * @param cacheWrite5mPerMTok tokens written to the 5-minute prompt cache
 * @param cacheWrite1hPerMTok tokens written to the 1-hour prompt cache
 * @param cacheReadPerMTok tokens read from the prompt cache
 * @param outputPerMTok output tokens
 */
public record ModelPrice(double inputPerMTok, double cacheWrite5mPerMTok, double cacheWrite1hPerMTok,
    double cacheReadPerMTok, double outputPerMTok) {

  /** Free: the price of a model nobody configured (cost is then reported as 0). */
  public static final ModelPrice FREE = new ModelPrice(0, 0, 0, 0, 0);

  /**
   * Validates, naming the field and value.
   *
   * @throws IllegalArgumentException when a price is negative or not finite
   */
  public ModelPrice {
    check("inputPerMTok", inputPerMTok);
    check("cacheWrite5mPerMTok", cacheWrite5mPerMTok);
    check("cacheWrite1hPerMTok", cacheWrite1hPerMTok);
    check("cacheReadPerMTok", cacheReadPerMTok);
    check("outputPerMTok", outputPerMTok);
  }

  /**
   * Returns the price with cache prices derived from {@code inputPerMTok} (1.25×, 2×, 0.1×).
   *
   * @throws IllegalArgumentException when a price is negative or not finite
   */
  public static ModelPrice of(double inputPerMTok, double outputPerMTok) {
    return new ModelPrice(inputPerMTok, inputPerMTok * 1.25, inputPerMTok * 2, inputPerMTok * 0.1,
        outputPerMTok);
  }

  /**
   * Returns the list price of a Claude model by its id (dated ids too), or {@link #FREE} when the
   * model is not in the table: Opus 4.5–4.8 and 5 $5/$25, Opus 4 and 4.1 $15/$75, Sonnet 4.x
   * $3/$15, Sonnet 5 $2/$10, Haiku 4.5 $1/$5, Fable 5 and Mythos 5 $10/$50 per million tokens.
   *
   * @throws NullPointerException when model is null
   */
  public static ModelPrice builtIn(String model) {
    Objects.requireNonNull(model, "model");
    String m = model.toLowerCase(java.util.Locale.ROOT);
    if (m.startsWith("claude-opus-4-1") || m.equals("claude-opus-4") || m.startsWith("claude-opus-4-2")) {
      return of(15, 75);
    }
    if (m.startsWith("claude-opus-4") || m.startsWith("claude-opus-5")) {
      return of(5, 25);
    }
    if (m.startsWith("claude-sonnet-5")) {
      return of(2, 10);
    }
    if (m.startsWith("claude-sonnet-4")) {
      return of(3, 15);
    }
    if (m.startsWith("claude-haiku-4")) {
      return of(1, 5);
    }
    if (m.startsWith("claude-fable-5") || m.startsWith("claude-mythos-5")) {
      return of(10, 50);
    }
    return FREE;
  }

  /**
   * Returns the cost of {@code usage} in US dollars. Cache writes not split by TTL in the usage
   * are priced as 5-minute writes.
   *
   * @throws NullPointerException when usage is null
   */
  public double cost(Usage usage) {
    Objects.requireNonNull(usage, "usage");
    long split = usage.cacheCreation5mInputTokens() + usage.cacheCreation1hInputTokens();
    long unsplit = Math.max(0, usage.cacheCreationInputTokens() - split);
    double micro = usage.inputTokens() * inputPerMTok
        + (usage.cacheCreation5mInputTokens() + unsplit) * cacheWrite5mPerMTok
        + usage.cacheCreation1hInputTokens() * cacheWrite1hPerMTok
        + usage.cacheReadInputTokens() * cacheReadPerMTok
        + usage.outputTokens() * outputPerMTok;
    return micro / 1_000_000.0;
  }

  /** Returns the cost of an estimate: {@code input} base input tokens and {@code output} tokens. */
  double estimate(long input, long output) {
    return (input * inputPerMTok + output * outputPerMTok) / 1_000_000.0;
  }

  private static void check(String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be finite and >= 0 but was " + value);
    }
  }
}
