package dev.switchboard.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away {@code redis-server} process on a free loopback port, without persistence
 * ({@code --save "" --appendonly no}), for the tests, examples and benchmarks that need a real
 * Redis.
 *
 * <p>{@link #start()} runs {@code redis-server} from the {@code PATH} when there is one, else the
 * Linux or macOS binary packaged in {@code com.github.codemonstur:embedded-redis} (Redis 6.2); the
 * system property {@value #SERVER_PROPERTY}{@code =embedded} forces the packaged binary. Both
 * return once the server answers {@code PING}, or fail with a message naming the binary and port.
 * {@link #stop()} and {@link #restart()} simulate an outage and a recovery on the same port (the
 * data is gone after a restart, as after a real restart without persistence).
 *
 * <pre>{@code
 * try (RedisServerProcess redis = RedisServerProcess.start()) {
 *   UnifiedJedis jedis = new JedisPooled("127.0.0.1", redis.port());
 *   redis.stop();       // connections are refused now
 *   redis.restart();    // back on the same port, empty
 * }
 * }</pre>
 *
 * <p>The server's output goes to a temporary log file whose last lines are quoted when it fails
 * to start. A JVM shutdown hook kills a server that was never closed. Thread-safe: {@link
 * #stop()}, {@link #restart()} and {@link #close()} are serialized.
 */
public final class RedisServerProcess implements AutoCloseable {
  /**
   * The system property that picks the binary: unset or empty for {@code PATH} first,
   * {@code embedded} for the binary packaged in embedded-redis.
   */
  public static final String SERVER_PROPERTY = "switchboard.redis.server";

  static final String HOST = "127.0.0.1";
  static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final int PORT_ATTEMPTS = 3;
  private static Path extracted;

  private final Path binary;
  private final boolean embedded;
  private final int port;
  private final Path log;
  private final Duration readyTimeout;
  private final Thread shutdownHook;
  private volatile Process process;
  private String version = "unknown";
  private boolean closed;

  private RedisServerProcess(Path binary, boolean embedded, int port, Path log, Duration readyTimeout) {
    this.binary = binary;
    this.embedded = embedded;
    this.port = port;
    this.log = log;
    this.readyTimeout = readyTimeout;
    this.shutdownHook = new Thread(this::kill, "redis-server-" + port + "-shutdown");
  }

  /**
   * Starts {@code redis-server} from the {@code PATH}, else the one packaged in embedded-redis
   * (always the packaged one when {@value #SERVER_PROPERTY} is {@code embedded}), and waits until
   * it answers {@code PING}.
   *
   * @throws IllegalArgumentException when {@value #SERVER_PROPERTY} has another value
   * @throws IllegalStateException when no binary can run here or the server does not answer
   *     within 20 s (the message names the binary, the port and the end of the server's log)
   */
  public static RedisServerProcess start() {
    String choice = System.getProperty(SERVER_PROPERTY, "").trim();
    if (choice.equals("embedded")) {
      return startEmbedded();
    }
    if (!choice.isEmpty()) {
      throw new IllegalArgumentException(SERVER_PROPERTY + " must be 'embedded' or unset but was '"
          + choice + "'");
    }
    Path onPath = onPath();
    return onPath != null ? launch(onPath, false, READY_TIMEOUT) : startEmbedded();
  }

  /**
   * Starts the {@code redis-server} packaged in embedded-redis (extracted once per JVM to a
   * temporary file) and waits until it answers {@code PING}.
   *
   * @throws IllegalStateException when there is no packaged binary for this OS and CPU, or the
   *     server does not answer within 20 s
   */
  public static RedisServerProcess startEmbedded() {
    return launch(embeddedBinary(), true, READY_TIMEOUT);
  }

  /**
   * Starts {@code binary} on a free port, trying another port when the chosen one was taken in the
   * meantime.
   */
  static RedisServerProcess launch(Path binary, boolean embedded, Duration readyTimeout) {
    Objects.requireNonNull(binary, "binary");
    IllegalStateException last = null;
    for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
      Path log;
      try {
        log = Files.createTempFile("switchboard-redis-", ".log");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the redis-server log file", e);
      }
      RedisServerProcess server = new RedisServerProcess(binary, embedded, freePort(), log, readyTimeout);
      try {
        server.spawn();
      } catch (IllegalStateException e) {
        server.discardLog();
        if (!e.getMessage().contains("Address already in use")) {
          throw e;
        }
        last = e;
        continue;
      }
      server.version = server.askVersion();
      Runtime.getRuntime().addShutdownHook(server.shutdownHook);
      return server;
    }
    throw last;
  }

  /** Returns the port the server listens on, on {@code 127.0.0.1}; it stays the same across restarts. */
  public int port() {
    return port;
  }

  /** Returns the host the server listens on: {@code 127.0.0.1}. */
  public String host() {
    return HOST;
  }

  /** Returns the executable that runs (from the {@code PATH}, or the extracted packaged one). */
  public Path binary() {
    return binary;
  }

  /** Returns the server's {@code redis_version}, e.g. {@code 7.0.15}, or {@code unknown}. */
  public String version() {
    return version;
  }

  /**
   * Returns where the server comes from and its version, for reports: {@code PATH redis-server
   * 7.0.15} or {@code embedded-redis 6.2.11}.
   */
  public String source() {
    return (embedded ? "embedded-redis " : "PATH redis-server ") + version;
  }

  /** Returns whether the process is alive now. */
  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /**
   * Stops the server (an outage): connections are refused until {@link #restart()}. Waits until
   * the process has exited (forcibly after 10 s). Idempotent.
   */
  public synchronized void stop() {
    Process p = process;
    if (p == null) {
      return;
    }
    process = null;
    p.destroy();
    try {
      if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Starts the server again on the same port, stopping it first when it runs, and waits until it
   * answers {@code PING}. The new server is empty.
   *
   * @throws IllegalStateException when this server was closed, or it does not come back within
   *     20 s (for example because another process took the port)
   */
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException("redis-server on " + HOST + ":" + port + " was closed");
    }
    stop();
    spawn();
  }

  /** Stops the server for good and deletes its log. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is exiting: the hook runs anyway and finds nothing to kill
    }
    discardLog();
  }

  /** Returns e.g. {@code RedisServerProcess[PATH redis-server 7.0.15 on 127.0.0.1:40123, running]}. */
  @Override
  public String toString() {
    return "RedisServerProcess[" + source() + " on " + HOST + ":" + port + ", "
        + (isRunning() ? "running" : "stopped") + "]";
  }

  /** Runs the binary and waits until it answers PING; the caller holds the lock or owns the object. */
  private synchronized void spawn() {
    List<String> command = List.of(binary.toString(), "--port", Integer.toString(port), "--bind", HOST,
        "--save", "", "--appendonly", "no", "--daemonize", "no");
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start redis-server " + binary + " on " + HOST + ":" + port
          + ": " + e.getMessage(), e);
    }
    process = p;
    long deadline = System.nanoTime() + readyTimeout.toNanos();
    while (true) {
      if (!p.isAlive()) {
        process = null;
        throw new IllegalStateException("redis-server " + binary + " exited with code " + p.exitValue()
            + " before answering PING on " + HOST + ":" + port + logTail());
      }
      if (pong()) {
        return;
      }
      if (System.nanoTime() - deadline >= 0) {
        stop();
        throw new IllegalStateException("redis-server " + binary + " did not answer PING on " + HOST + ":"
            + port + " within " + readyTimeout.toMillis() + " ms" + logTail());
      }
      try {
        // returns early when the process exits, which the next turn reports
        p.waitFor(20, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        stop();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting redis-server on " + HOST + ":" + port, e);
      }
    }
  }

  /** Returns whether a PING on a fresh connection is answered {@code +PONG}. */
  private boolean pong() {
    try {
      return "+PONG".equals(command("*1\r\n$4\r\nPING\r\n"));
    } catch (IOException notYet) {
      return false;
    }
  }

  /** Returns {@code redis_version} from {@code INFO server}, or {@code unknown}. */
  private String askVersion() {
    try {
      String info = command("*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n");
      for (String line : info.split("\r\n")) {
        if (line.startsWith("redis_version:")) {
          return line.substring("redis_version:".length()).trim();
        }
      }
    } catch (IOException e) {
      // the version only labels reports
    }
    return "unknown";
  }

  /**
   * Sends one RESP command on a new connection and returns the reply: the status line of a simple
   * reply, or the payload of a bulk one.
   */
  private String command(String resp) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(HOST, port), 200);
      s.setSoTimeout(1_000);
      OutputStream out = s.getOutputStream();
      out.write(resp.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String first = readLine(in);
      if (!first.startsWith("$")) {
        return first;
      }
      int length = Integer.parseInt(first.substring(1));
      if (length < 0) {
        return "";
      }
      return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        int end = sb.length() > 0 && sb.charAt(sb.length() - 1) == '\r' ? sb.length() - 1 : sb.length();
        return sb.substring(0, end);
      }
      sb.append((char) c);
    }
    throw new IOException("connection closed before a full reply line");
  }

  /** Returns the last lines of the server's log, prefixed for an error message, or "". */
  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      if (lines.isEmpty()) {
        return "";
      }
      return "; its output ends with: " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }

  private void kill() {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
    }
  }

  private void discardLog() {
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      log.toFile().deleteOnExit();
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + HOST, e);
    }
  }

  /** Returns the first executable {@code redis-server} on the {@code PATH}, or null. */
  static Path onPath() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "redis-server");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toAbsolutePath();
      }
    }
    return null;
  }

  /** Extracts (once per JVM) the packaged binary for this OS and CPU. */
  static synchronized Path embeddedBinary() {
    if (extracted != null && Files.isExecutable(extracted)) {
      return extracted;
    }
    String resource = embeddedResource(System.getProperty("os.name"), System.getProperty("os.arch"));
    try (InputStream in = RedisServerProcess.class.getResourceAsStream("/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("no redis-server on the PATH and no " + resource
            + " on the class path: put redis-server on the PATH or add com.github.codemonstur:embedded-redis");
      }
      Path file = Files.createTempFile("switchboard-redis-server-", "");
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      if (!file.toFile().setExecutable(true)) {
        throw new IllegalStateException("cannot make " + file + " executable");
      }
      file.toFile().deleteOnExit();
      extracted = file;
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract " + resource, e);
    }
  }

  /** Returns the embedded-redis resource name for an OS and CPU ({@code os.name}, {@code os.arch}). */
  static String embeddedResource(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch = osArch.toLowerCase(Locale.ROOT);
    boolean arm = arch.equals("aarch64") || arch.equals("arm64");
    if (os.contains("linux")) {
      if (arm) {
        return "redis-server-6.2.7-linux-arm64";
      }
      return arch.contains("64") ? "redis-server-6.2.6-v5-linux-amd64" : "redis-server-6.2.7-linux-386";
    }
    if (os.contains("mac")) {
      return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
    }
    throw new IllegalStateException("no redis-server on the PATH and embedded-redis has no binary for "
        + osName + "/" + osArch + ": install Redis");
  }
}
