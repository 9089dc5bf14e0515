package dev.switchboard.redis;

/**
 * The key layout under one prefix (default {@code switchboard:}). Every key carries a
 * {@code {hash tag}}; the keys one script touches together share it, so Redis Cluster never
 * answers {@code CROSSSLOT}:
 *
 * <pre>
 * {prefix}budget:{pool}                   hash: limits, levels, last refill   (TTL: idle 2 min, refreshed)
 * {prefix}{health}:cooldown:scope         string                            (PX: the cooldown)
 * {prefix}{health}:cooldowns              zset scope -> until ms            (TTL: the longest cooldown)
 * {prefix}{health}:disabled               hash scope -> reason              (no TTL: until enabled)
 * {prefix}breaker:{name}                  hash: state, window, probes       (TTL: idle 10 min + open time)
 * {prefix}{breakers}:notclosed            zset name -> open until ms        (TTL: refreshed on change)
 * {prefix}cache:{key}                     string: "ttlMs staleMs\n" + JSON  (PX: ttl + staleFor)
 * </pre>
 *
 * Immutable.
 */
final class Keys {
  private final String prefix;

  Keys(String prefix) {
    this.prefix = prefix;
  }

  String prefix() {
    return prefix;
  }

  String budget(String pool) {
    return prefix + "budget:{" + pool + "}";
  }

  String cooldown(String scope) {
    return prefix + "{health}:cooldown:" + scope;
  }

  String cooldownIndex() {
    return prefix + "{health}:cooldowns";
  }

  String disabled() {
    return prefix + "{health}:disabled";
  }

  String breaker(String name) {
    return prefix + "breaker:{" + name + "}";
  }

  String breakerIndex() {
    return prefix + "{breakers}:notclosed";
  }

  String cache(String key) {
    return prefix + "cache:{" + key + "}";
  }
}
