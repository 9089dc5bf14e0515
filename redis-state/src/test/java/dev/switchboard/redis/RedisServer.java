package dev.switchboard.redis;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * A real {@code redis-server} process for tests, on a free local port, without persistence:
 * {@code redis-server} from the PATH when there is one, otherwise the Linux/macOS binary shipped
 * inside {@code com.github.codemonstur:embedded-redis}. {@link #stop()} and {@link #start()} let a
 * test simulate an outage and a restart on the same port.
 */
final class RedisServer implements AutoCloseable {
  private final String binary;
  private final int port;
  private final List<UnifiedJedis> clients = new ArrayList<>();
  private Process process;
  private String version = "?";

  private RedisServer(String binary, int port) {
    this.binary = binary;
    this.port = port;
  }

  /**
   * Starts the PATH's redis-server, or the embedded one when the PATH has none or when the system
   * property {@code switchboard.redis.server} is {@code embedded}.
   */
  static RedisServer startAny() {
    String path = "embedded".equals(System.getProperty("switchboard.redis.server")) ? null : onPath();
    return started(path != null ? path : embeddedBinary());
  }

  /** Starts the binary shipped by embedded-redis. */
  static RedisServer startEmbedded() {
    return started(embeddedBinary());
  }

  private static RedisServer started(String binary) {
    RedisServer server = new RedisServer(binary, freePort());
    server.start();
    return server;
  }

  int port() {
    return port;
  }

  String binary() {
    return binary;
  }

  String version() {
    return version;
  }

  /** Returns a new client (closed with the server) with short timeouts, as production should use. */
  UnifiedJedis client() {
    UnifiedJedis c = RedisClient.builder()
        .hostAndPort("127.0.0.1", port)
        .clientConfig(DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(1000).socketTimeoutMillis(2000).build())
        .build();
    synchronized (clients) {
      clients.add(c);
    }
    return c;
  }

  /** Starts the process and waits until it accepts connections. */
  synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    try {
      process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no")
          .redirectErrorStream(true)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary, e);
    }
    CompletableFuture<Void> ready = new CompletableFuture<>();
    InputStream out = process.getInputStream();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          int v = line.indexOf("version=");
          if (v >= 0) {
            version = line.substring(v + 8).split("[ ,]")[0];
          }
          if (line.contains("Ready to accept connections")) {
            ready.complete(null);
          }
        }
      } catch (IOException e) {
        // the process ended
      }
      ready.completeExceptionally(new IllegalStateException("redis-server " + binary + " exited"));
    }, "redis-server-" + port);
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      stop();
      throw new IllegalStateException("redis-server " + binary + " did not start on port " + port, e);
    }
  }

  /** Kills the process (an outage); clients stay open and will fail until {@link #start()}. */
  synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
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
    stop();
  }

  @Override
  public String toString() {
    return "RedisServer[" + binary + " " + version + " :" + port + "]";
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String onPath() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      File f = new File(dir, "redis-server");
      if (f.isFile() && f.canExecute()) {
        return f.getAbsolutePath();
      }
    }
    return null;
  }

  /** Extracts the embedded-redis binary for this OS and CPU into a temporary file. */
  private static synchronized String embeddedBinary() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String resource;
    if (os.contains("linux")) {
      resource = arch.contains("aarch64") || arch.contains("arm64") ? "/redis-server-6.2.7-linux-arm64"
          : arch.contains("64") ? "/redis-server-6.2.6-v5-linux-amd64" : "/redis-server-6.2.7-linux-386";
    } else if (os.contains("mac")) {
      resource = arch.contains("aarch64") ? "/redis-server-6.2.6-v5-darwin-arm64"
          : "/redis-server-6.2.6-v5-darwin-amd64";
    } else {
      throw new IllegalStateException("no redis-server on the PATH and no embedded binary for " + os);
    }
    try (InputStream in = RedisServer.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("embedded-redis does not ship " + resource);
      }
      Path file = Files.createTempFile("redis-server-", "");
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      file.toFile().setExecutable(true);
      file.toFile().deleteOnExit();
      return file.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
