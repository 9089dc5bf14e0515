package dev.switchboard.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * A throw-away {@code redis-server} from the PATH on a free loopback port, without persistence,
 * for the Redis benchmark; {@link #close()} kills it. Not thread-safe (start and close it from
 * one thread).
 */
final class RedisProcess implements AutoCloseable {
  private final Process process;
  private final int port;

  private RedisProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts {@code redis-server} (or {@code binary}) and waits until it answers {@code PING}.
   *
   * @throws IllegalStateException when it cannot be started or does not answer within 20 s
   */
  static RedisProcess start(String binary) {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port", e);
    }
    Process p;
    try {
      Path log = Files.createTempFile("bench-redis-", ".log");
      log.toFile().deleteOnExit();
      p = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no")
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start '" + binary + "' (is redis-server on the PATH?): " + e, e);
    }
    RedisProcess r = new RedisProcess(p, port);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < until) {
      if (!p.isAlive()) {
        throw new IllegalStateException("'" + binary + "' exited with " + p.exitValue() + " on port " + port);
      }
      try (Jedis j = new Jedis("127.0.0.1", port, 200)) {
        if ("PONG".equals(j.ping())) {
          return r;
        }
      } catch (RuntimeException notYet) {
        // not listening yet: poll again after a short pause
        p.onExit().completeOnTimeout(p, 20, TimeUnit.MILLISECONDS).join();
      }
    }
    r.close();
    throw new IllegalStateException("'" + binary + "' did not answer PING on port " + port + " within 20 s");
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
