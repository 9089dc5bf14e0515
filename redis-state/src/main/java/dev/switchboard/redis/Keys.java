package dev.switchboard.redis;

import java.util.List;

/**
 * The key layout under one prefix (default {@code switchboard:}). Every key carries a
 * {@code {hash tag}}; the keys one script touches together share it, so Redis Cluster never
 * answers {@code CROSSSLOT}.
 *
 * <p>Routing state (budgets, cooldowns and disables, every breaker but the per-user ones) lives
 * under one <em>routing tag</em>, {@code {r}}, because one script claims a route with all of it
 * at once and one script settles a batch of routed calls. The trade-off in Redis Cluster: the
 * routing state of one prefix lives in one slot, on one primary (it is small: a few keys per key
 * and model pool), so claims do not spread over the cluster; per-user breakers and cached
 * responses, the parts that grow with traffic, stay spread by their own tags. A fleet that needs
 * routing spread over primaries runs one prefix per group of keys.
 *
 * <pre>
 * {prefix}{r}:budget:pool                 hash: limits, levels, last refill   (TTL: idle 2 min, refreshed)
 * {prefix}{r}:cooldown:scope              string: end of the cooldown (ms)  (PX: the cooldown)
 * {prefix}{r}:cooldowns                   zset scope -> until ms            (TTL: the longest cooldown)
 * {prefix}{r}:disabled                    hash scope -> reason              (no TTL: until enabled)
 * {prefix}{r}:breaker:name                hash: state, window, probes       (TTL: idle 10 min + open time)
 * {prefix}{r}:notclosed                   zset name -> open until ms        (TTL: refreshed on change)
 * {prefix}breaker:{user:id}               hash: a per-user breaker          (TTL: idle 10 min + open time)
 * {prefix}{breakers}:notclosed            zset user breaker -> open until   (TTL: refreshed on change)
 * {prefix}cache:{key}                     string: "ttlMs staleMs\n" + JSON  (PX: ttl + staleFor)
 * </pre>
 *
 * Immutable.
 */
final class Keys {
  /** The hash tag of every routing key. */
  static final String ROUTING_TAG = "{r}";
  /** Breakers with this prefix are per-user: many, spread over the cluster, never routing. */
  static final String USER_BREAKER = "user:";

  private final String prefix;
  private final String routing;

  Keys(String prefix) {
    this.prefix = prefix;
    this.routing = prefix + ROUTING_TAG + ":";
  }

  String prefix() {
    return prefix;
  }

  String budget(String pool) {
    return routing + "budget:" + pool;
  }

  String cooldown(String scope) {
    return routing + "cooldown:" + scope;
  }

  String cooldownIndex() {
    return routing + "cooldowns";
  }

  String disabled() {
    return routing + "disabled";
  }

  /** Returns true when breaker {@code name} lives under the routing tag (every one but {@code user:…}). */
  static boolean routingBreaker(String name) {
    return !name.startsWith(USER_BREAKER);
  }

  /** Returns true when every breaker of {@code names} lives under the routing tag. */
  static boolean routingBreakers(List<String> names) {
    for (String name : names) {
      if (!routingBreaker(name)) {
        return false;
      }
    }
    return true;
  }

  String breaker(String name) {
    return routingBreaker(name) ? routing + "breaker:" + name : prefix + "breaker:{" + name + "}";
  }

  /** Returns the index of the non-CLOSED breakers that live where {@code name} lives. */
  String breakerIndex(String name) {
    return routingBreaker(name) ? routingBreakerIndex() : userBreakerIndex();
  }

  String routingBreakerIndex() {
    return routing + "notclosed";
  }

  String userBreakerIndex() {
    return prefix + "{breakers}:notclosed";
  }

  String cache(String key) {
    return prefix + "cache:{" + key + "}";
  }
}
