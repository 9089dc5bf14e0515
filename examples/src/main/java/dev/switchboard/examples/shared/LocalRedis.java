package dev.switchboard.examples.shared;

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
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * A throw-away {@code redis-server} for the shared-state example: started on a free port of
 * 127.0.0.1 without persistence, from the PATH when there is one, otherwise the Linux/macOS binary
 * packaged in {@code com.github.codemonstur:embedded-redis}. Closing it stops the process.
 * Thread-safe.
 */
final class LocalRedis implements AutoCloseable {
  private final Process process;
  private final int port;
  private final String binary;

  private LocalRedis(Process process, int port, String binary) {
    this.process = process;
    this.port = port;
    this.binary = binary;
  }

  /**
   * Starts a server and waits until it accepts connections.
   *
   * @throws IllegalStateException when no binary can run here or it does not start within 20 s
   */
  static LocalRedis start() {
    String binary = onPath();
    if (binary == null) {
      binary = extractPackaged();
    }
    int port = freePort();
    Process p;
    try {
      p = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no").redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + binary + ": " + e.getMessage(), e);
    }
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (line.contains("Ready to accept connections")) {
            ready.complete(null);
          }
        }
      } catch (IOException e) {
        // the process ended; reported below
      }
      ready.completeExceptionally(new IllegalStateException("redis-server exited"));
    }, "example-redis-" + port);
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IllegalStateException("interrupted while starting redis-server", e);
    } catch (ExecutionException | TimeoutException e) {
      p.destroyForcibly();
      throw new IllegalStateException("redis-server " + binary + " did not start on port " + port, e);
    }
    return new LocalRedis(p, port, binary);
  }

  /**
   * Returns a new client with short timeouts (connect 500 ms, every command 1 s): the hard bound
   * of a hanging Redis call is the client's socket timeout. The caller closes it.
   */
  UnifiedJedis client() {
    return RedisClient.builder()
        .hostAndPort("127.0.0.1", port)
        .clientConfig(DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(500).socketTimeoutMillis(1000).build())
        .build();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "redis-server " + binary + " on 127.0.0.1:" + port;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
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

  private static String extractPackaged() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    boolean arm = arch.contains("aarch64") || arch.contains("arm64");
    String resource;
    if (os.contains("linux")) {
      resource = arm ? "/redis-server-6.2.7-linux-arm64" : "/redis-server-6.2.6-v5-linux-amd64";
    } else if (os.contains("mac")) {
      resource = arm ? "/redis-server-6.2.6-v5-darwin-arm64" : "/redis-server-6.2.6-v5-darwin-amd64";
    } else {
      throw new IllegalStateException("no redis-server on the PATH and no packaged one for " + os
          + "; install Redis to run this example");
    }
    try (InputStream in = LocalRedis.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("embedded-redis does not contain " + resource);
      }
      Path file = Files.createTempFile("example-redis-server-", "");
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      if (!file.toFile().setExecutable(true)) {
        throw new IllegalStateException("cannot make " + file + " executable");
      }
      file.toFile().deleteOnExit();
      return file.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
