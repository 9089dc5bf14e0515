package dev.switchboard.examples.shared;

import dev.switchboard.testkit.RedisServerProcess;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * The throw-away {@code redis-server} of the shared-state example: a testkit {@link
 * RedisServerProcess} (the server on the PATH, else the binary packaged in embedded-redis, on a
 * free port of 127.0.0.1 without persistence) and the clients the routers use. Closing it stops
 * the process. Thread-safe.
 */
final class LocalRedis implements AutoCloseable {
  private final RedisServerProcess server;

  private LocalRedis(RedisServerProcess server) {
    this.server = server;
  }

  /**
   * Starts a server and waits until it answers.
   *
   * @throws IllegalStateException when no binary can run here or it does not start within 20 s
   */
  static LocalRedis start() {
    return new LocalRedis(RedisServerProcess.start());
  }

  /**
   * Returns a new client with short timeouts (connect 500 ms, every command 1 s): the hard bound
   * of a hanging Redis call is the client's socket timeout. The caller closes it.
   */
  UnifiedJedis client() {
    return RedisClient.builder()
        .hostAndPort(server.host(), server.port())
        .clientConfig(DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(500).socketTimeoutMillis(1000).build())
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
