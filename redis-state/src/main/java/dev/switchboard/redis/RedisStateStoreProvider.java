package dev.switchboard.redis;

import dev.switchboard.spi.StateStore;
import dev.switchboard.spi.StateStoreConfig;
import dev.switchboard.spi.StateStoreProvider;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import redis.clients.jedis.UnifiedJedis;

/**
 * Provides the shared Redis home of the router's state, named {@code "redis"} (priority 10, above
 * the in-process {@code "local"} home). Registered in
 * {@code META-INF/services/dev.switchboard.spi.StateStoreProvider}.
 *
 * <p>It reads these {@link StateStoreConfig#options()}:
 * <table>
 *   <caption>options</caption>
 *   <tr><th>name</th><th>type</th><th>meaning</th></tr>
 *   <tr><td>{@value #CLIENT}</td><td>{@link UnifiedJedis}</td><td>required: the client (standalone,
 *       sentinel or cluster); it stays the caller's to close</td></tr>
 *   <tr><td>{@value #KEY_PREFIX}</td><td>String</td><td>prefix of every key, default
 *       {@code "switchboard:"}</td></tr>
 *   <tr><td>{@value #TIMEOUT}</td><td>Duration, or Number of ms</td><td>slow-call threshold,
 *       default 500 ms</td></tr>
 *   <tr><td>{@value #PROBE_INTERVAL}</td><td>Duration, or Number of ms</td><td>how often a
 *       degraded store tries Redis, default 1 s</td></tr>
 *   <tr><td>{@value #EXPECTED_INSTANCES}</td><td>Number</td><td>routers sharing the pools; each uses
 *       1/n of every limit while Redis is down; default 1</td></tr>
 *   <tr><td>{@value #VIEW_REFRESH}</td><td>Duration, or Number of ms</td><td>how often the routing
 *       view is refreshed from Redis in the background, default 250 ms</td></tr>
 *   <tr><td>{@value #LISTENER}</td><td>{@code Consumer<String>}</td><td>hears switches to the
 *       fallback and back</td></tr>
 * </table>
 * {@link StateStoreConfig#ticker()} times the fallback and the probes;
 * {@link StateStoreConfig#maximumBreakers()} and {@link StateStoreConfig#maximumCachedResponses()}
 * bound the fallback. See {@link RedisStateStore} for the behaviour. Stateless and thread-safe.
 */
public final class RedisStateStoreProvider implements StateStoreProvider {
  /** The name this provider is selected by. */
  public static final String NAME = "redis";
  /** Option: the {@link UnifiedJedis} client (required). */
  public static final String CLIENT = "redis.client";
  /** Option: the key prefix (String). */
  public static final String KEY_PREFIX = "redis.keyPrefix";
  /** Option: the slow-call threshold (Duration or milliseconds). */
  public static final String TIMEOUT = "redis.timeout";
  /** Option: the probe interval while degraded (Duration or milliseconds). */
  public static final String PROBE_INTERVAL = "redis.probeInterval";
  /** Option: the number of routers sharing the pools (Number). */
  public static final String EXPECTED_INSTANCES = "redis.expectedInstances";
  /** Option: how often the routing view is refreshed from Redis (Duration or milliseconds). */
  public static final String VIEW_REFRESH = "redis.viewRefresh";
  /** Option: a {@code Consumer<String>} told about switches to the fallback and back. */
  public static final String LISTENER = "redis.listener";

  /** Creates the provider; used by {@link java.util.ServiceLoader}. */
  public RedisStateStoreProvider() {}

  /** Returns {@code "redis"}. */
  @Override
  public String name() {
    return NAME;
  }

  /** Returns 10: chosen over {@code "local"} when it is on the class path and no name is given. */
  @Override
  public int priority() {
    return 10;
  }

  /**
   * Returns a new store on the client given in option {@value #CLIENT}.
   *
   * @throws IllegalArgumentException when {@value #CLIENT} is missing, or an option has the wrong
   *     type or an invalid value; the message names the option
   */
  @Override
  public StateStore create(StateStoreConfig config) {
    Objects.requireNonNull(config, "config");
    Map<String, Object> options = config.options();
    Object client = options.get(CLIENT);
    if (client == null) {
      throw new IllegalArgumentException("option '" + CLIENT + "' is required: put a "
          + "redis.clients.jedis.UnifiedJedis (e.g. a RedisClient or JedisCluster) in StateStoreConfig.options()");
    }
    if (!(client instanceof UnifiedJedis jedis)) {
      throw wrongType(CLIENT, "a redis.clients.jedis.UnifiedJedis", client);
    }
    RedisStateStore.Builder b = RedisStateStore.builder(jedis)
        .ticker(config.ticker())
        .maximumBreakers(config.maximumBreakers())
        .maximumCachedResponses(config.maximumCachedResponses());
    Object prefix = options.get(KEY_PREFIX);
    if (prefix != null) {
      if (!(prefix instanceof String s)) {
        throw wrongType(KEY_PREFIX, "a String", prefix);
      }
      try {
        b.keyPrefix(s);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("option '" + KEY_PREFIX + "': " + e.getMessage(), e);
      }
    }
    Duration timeout = duration(options, TIMEOUT);
    if (timeout != null) {
      b.timeout(timeout);
    }
    Duration probe = duration(options, PROBE_INTERVAL);
    if (probe != null) {
      b.probeInterval(probe);
    }
    Duration viewRefresh = duration(options, VIEW_REFRESH);
    if (viewRefresh != null) {
      b.viewRefresh(viewRefresh);
    }
    Object instances = options.get(EXPECTED_INSTANCES);
    if (instances != null) {
      if (!(instances instanceof Integer || instances instanceof Long || instances instanceof Short)) {
        throw wrongType(EXPECTED_INSTANCES, "an integer", instances);
      }
      long n = ((Number) instances).longValue();
      if (n < 1 || n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("option '" + EXPECTED_INSTANCES + "' must be >= 1 but was " + n);
      }
      b.expectedInstances((int) n);
    }
    Object listener = options.get(LISTENER);
    if (listener != null) {
      if (!(listener instanceof Consumer<?>)) {
        throw wrongType(LISTENER, "a java.util.function.Consumer<String>", listener);
      }
      @SuppressWarnings("unchecked")
      Consumer<Object> raw = (Consumer<Object>) listener;
      b.listener(raw::accept);
    }
    return b.build();
  }

  private static Duration duration(Map<String, Object> options, String name) {
    Object value = options.get(name);
    if (value == null) {
      return null;
    }
    Duration d;
    if (value instanceof Duration duration) {
      d = duration;
    } else if (value instanceof Integer || value instanceof Long) {
      d = Duration.ofMillis(((Number) value).longValue());
    } else {
      throw wrongType(name, "a java.time.Duration or a number of milliseconds", value);
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("option '" + name + "' must be positive but was " + d);
    }
    return d;
  }

  private static IllegalArgumentException wrongType(String name, String expected, Object value) {
    return new IllegalArgumentException("option '" + name + "' must be " + expected + " but was a "
        + value.getClass().getName());
  }
}
