package dev.switchboard.budget;

/**
 * The built-in table of Anthropic rate-limit pools: models of one family share one pool, so
 * falling over between them escapes no 429. {@code claude-opus-4-*} → {@code opus-4}, {@code
 * claude-sonnet-4-*} → {@code sonnet-4}, {@code claude-haiku-4-5*} → {@code haiku-4-5}; any other
 * model is its own pool. Thread-safe (stateless).
 */
public final class ModelPools {
  private ModelPools() {}

  /** Returns the default rate-limit pool of {@code model}. */
  public static String defaultPool(String model) {
    if (model.startsWith("claude-opus-4-")) {
      return "opus-4";
    }
    if (model.startsWith("claude-sonnet-4-")) {
      return "sonnet-4";
    }
    if (model.startsWith("claude-haiku-4-5")) {
      return "haiku-4-5";
    }
    return model;
  }

  /** Returns the budget pool id of an organization's model pool: {@code organization/modelPool}. */
  public static String poolId(String organization, String modelPool) {
    return organization + "/" + modelPool;
  }
}
