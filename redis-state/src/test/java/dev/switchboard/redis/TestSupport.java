package dev.switchboard.redis;

import dev.switchboard.spi.ContentBlock;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.Usage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import redis.clients.jedis.UnifiedJedis;

/** Helpers shared by the tests. */
final class TestSupport {
  private TestSupport() {}

  /** A listener that fails the test when a store falls back to local state (it must not here). */
  static final java.util.function.Consumer<String> FAIL_ON_DEGRADE = message -> {
    throw new AssertionError("unexpected switch to the fallback: " + message);
  };

  /** Returns a prefix no other test uses, so tests share one server without interfering. */
  static String uniquePrefix() {
    return "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  /** Returns the Redis server's clock in microseconds. */
  static long serverMicros(UnifiedJedis jedis) {
    List<?> t = (List<?>) jedis.eval("return redis.call('TIME')");
    return Long.parseLong(String.valueOf(t.get(0))) * 1_000_000 + Long.parseLong(String.valueOf(t.get(1)));
  }

  /**
   * Waits, by polling the server's clock (real I/O, no sleeping), until {@code duration} of Redis
   * server time has passed since {@code sinceMicros}.
   */
  static void awaitServerTime(UnifiedJedis jedis, long sinceMicros, Duration duration) {
    long target = sinceMicros + duration.toNanos() / 1000;
    while (serverMicros(jedis) < target) {
      Thread.onSpinWait();
    }
  }

  static MessageResponse response(String text) {
    return new MessageResponse("msg_" + text.hashCode(), "claude-sonnet-4-5", "assistant",
        List.of(ContentBlock.text(text)), "end_turn", null, Usage.of(12, 34), Map.of());
  }

  /** Returns true when the server holds the script with this SHA1. */
  static boolean scriptLoaded(UnifiedJedis jedis, String sha1) {
    return jedis.scriptExists(List.of(sha1)).get(0);
  }

  /** Resets the server's command statistics ({@code CONFIG RESETSTAT}) over its own connection. */
  static void resetStats(RedisServer server) {
    try (redis.clients.jedis.Jedis admin = new redis.clients.jedis.Jedis("127.0.0.1", server.port())) {
      admin.configResetStat();
    }
  }

  /** Returns the number of calls of each command since the last CONFIG RESETSTAT, summed. */
  static long commandCalls(UnifiedJedis jedis, String command) {
    String info = jedis.info("commandstats");
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("cmdstat_" + command + ":")) {
        String calls = line.substring(line.indexOf("calls=") + 6);
        return Long.parseLong(calls.substring(0, calls.indexOf(',')));
      }
    }
    return 0;
  }

  /** Returns the calls of every command but the ones used to measure (info, config). */
  static long totalCalls(UnifiedJedis jedis) {
    long total = 0;
    String info = jedis.info("commandstats");
    for (String line : info.split("\r?\n")) {
      if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info:")
          && !line.startsWith("cmdstat_config")) {
        String calls = line.substring(line.indexOf("calls=") + 6);
        total += Long.parseLong(calls.substring(0, calls.indexOf(',')));
      }
    }
    return total;
  }
}
