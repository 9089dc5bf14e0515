/**
 * The shared Redis home of the router's state.
 *
 * <p>Start with {@link dev.switchboard.redis.RedisStateStore} (built around your
 * {@code UnifiedJedis}) or {@link dev.switchboard.redis.RedisStateStoreProvider} (found by
 * {@link java.util.ServiceLoader} under the name {@code "redis"}). Behind them, package-private:
 * {@code LuaScript} (a script as source + SHA1, {@code EVALSHA} with {@code EVAL} on
 * {@code NOSCRIPT}), {@code Keys} (the key layout and hash tags), one store per concern
 * ({@code RedisBudgetStore}, {@code RedisHealthStore}, {@code RedisBreakerStore},
 * {@code RedisResponseCacheStore}), {@code RedisRouting} (the routed-call path: one-script claims,
 * batched settlements through {@code SettleQueue}, the background-refreshed view
 * {@code RoutingSnapshot}), {@code Guard} (switches to the in-memory {@code Fallback*} stores,
 * gathered in {@code FallbackState}, when Redis fails and back when it answers),
 * {@code ScriptClock} (the scripts' "now": the server's {@code TIME}, or a ticker in tests only)
 * and {@code ResponseCodec} (the cache's JSON).
 * The Lua sources are in {@code src/main/resources/dev/switchboard/redis}.
 */
package dev.switchboard.redis;
