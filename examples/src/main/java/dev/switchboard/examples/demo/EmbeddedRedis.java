package dev.switchboard.examples.demo;

import dev.switchboard.testkit.RedisServerProcess;
import java.time.Duration;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * The throw-away {@code redis-server} of the demo's cluster mode: a testkit {@link
 * RedisServerProcess} (the server on the PATH, else the binary packaged in embedded-redis, on a
 * free local port without persistence) and the pooled clients the routers use. Closing it stops
 * the process.
 */
final class EmbeddedRedis implements AutoCloseable {
  private final RedisServerProcess server;

  private EmbeddedRedis(RedisServerProcess server) {
    this.server = server;
  }

  /**
   * Starts a server and waits until it answers.
   *
   * @throws IllegalStateException when no binary can run here or the server does not start
   */
  static EmbeddedRedis start() {
    return new EmbeddedRedis(RedisServerProcess.start());
  }

  /** Returns a new pooled client with short timeouts; the caller closes it. */
  UnifiedJedis client(int maxConnections) {
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(maxConnections);
    pool.setMaxIdle(maxConnections);
    pool.setMaxWait(Duration.ofMillis(500));
    return RedisClient.builder()
        .hostAndPort(server.host(), server.port())
        .clientConfig(DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(500).socketTimeoutMillis(1000).build())
        .poolConfig(pool)
        .build();
  }

  @Override
  public void close() {
    server.close();
  }

  /** Returns e.g. {@code PATH redis-server 7.0.15 on 127.0.0.1:40123}. */
  @Override
  public String toString() {
    return server.source() + " on " + server.host() + ":" + server.port();
  }
}
