package dev.switchboard.redis;

import dev.switchboard.testkit.RedisServerProcess;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * A real Redis for tests: testkit's {@link RedisServerProcess} (the PATH's {@code redis-server},
 * else the embedded-redis binary; {@code -Dswitchboard.redis.server=embedded} forces the latter)
 * plus the Jedis clients the tests open on it, closed with it. {@link #stop()} and
 * {@link #restart()} simulate an outage and a restart, empty, on the same port.
 */
final class RedisServer implements AutoCloseable {
  private final RedisServerProcess process;
  private final List<UnifiedJedis> clients = new ArrayList<>();

  private RedisServer(RedisServerProcess process) {
    this.process = process;
  }

  /** Starts the PATH's redis-server, or the embedded one (see {@link RedisServerProcess#start()}). */
  static RedisServer startAny() {
    return new RedisServer(RedisServerProcess.start());
  }

  /** Starts the binary shipped by embedded-redis. */
  static RedisServer startEmbedded() {
    return new RedisServer(RedisServerProcess.startEmbedded());
  }

  int port() {
    return process.port();
  }

  String version() {
    return process.version();
  }

  /** Returns a new client (closed with the server) with short timeouts, as production should use. */
  UnifiedJedis client() {
    UnifiedJedis c = RedisClient.builder()
        .hostAndPort(process.host(), process.port())
        .clientConfig(DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(1000).socketTimeoutMillis(2000).build())
        .build();
    synchronized (clients) {
      clients.add(c);
    }
    return c;
  }

  /** Stops the server (an outage); clients stay open and fail until {@link #restart()}. */
  void stop() {
    process.stop();
  }

  /** Starts the server again on the same port, empty (no data, no scripts). */
  void restart() {
    process.restart();
  }

  @Override
  public void close() {
    synchronized (clients) {
      for (UnifiedJedis c : clients) {
        try {
          c.close();
        } catch (RuntimeException ignored) {
          // closing anyway
        }
      }
      clients.clear();
    }
    process.close();
  }

  @Override
  public String toString() {
    return process.toString();
  }
}
