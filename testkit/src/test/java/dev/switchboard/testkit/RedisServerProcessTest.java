package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Starts real redis-server processes and talks RESP to them over raw sockets. */
class RedisServerProcessTest {

  @Test
  void start_answersPingOnALoopbackPortAndNamesItsSource() throws IOException {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      assertThat(send(redis.port(), "PING")).isEqualTo("+PONG");
      assertThat(redis.isRunning()).isTrue();
      assertThat(redis.host()).isEqualTo("127.0.0.1");
      assertThat(redis.version()).matches("\\d+\\.\\d+\\.\\d+");
      String expected = RedisServerProcess.onPath() != null ? "PATH redis-server " : "embedded-redis ";
      assertThat(redis.source()).isEqualTo(expected + redis.version());
      assertThat(redis.toString()).isEqualTo("RedisServerProcess[" + redis.source() + " on 127.0.0.1:"
          + redis.port() + ", running]");
    }
  }

  @Test
  void start_hasNoPersistence() throws IOException {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      assertThat(bulkAfterArrayHeader(redis.port(), "CONFIG", "GET", "save", 2)).isEmpty();
      assertThat(bulkAfterArrayHeader(redis.port(), "CONFIG", "GET", "appendonly", 2)).isEqualTo("no");
    }
  }

  @Test
  void stop_refusesConnections_restartServesTheSamePortEmpty() throws IOException {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      int port = redis.port();
      assertThat(send(port, "SET", "k", "v")).isEqualTo("+OK");

      redis.stop();

      assertThat(redis.isRunning()).isFalse();
      assertThat(redis.toString()).endsWith(", stopped]");
      assertThatThrownBy(() -> send(port, "PING")).isInstanceOf(ConnectException.class);

      redis.restart();

      assertThat(redis.port()).isEqualTo(port);
      assertThat(redis.isRunning()).isTrue();
      assertThat(send(port, "PING")).isEqualTo("+PONG");
      assertThat(send(port, "GET", "k")).isEqualTo("$-1");
    }
  }

  @Test
  void restart_whileRunning_bouncesTheServer() throws IOException {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      send(redis.port(), "SET", "k", "v");

      redis.restart();

      assertThat(send(redis.port(), "GET", "k")).isEqualTo("$-1");
    }
  }

  @Test
  void stop_isIdempotent() throws IOException {
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      redis.stop();
      redis.stop();

      assertThat(redis.isRunning()).isFalse();
      redis.restart();
      assertThat(send(redis.port(), "PING")).isEqualTo("+PONG");
    }
  }

  @Test
  void close_stopsTheServerForGood() {
    RedisServerProcess redis = RedisServerProcess.start();
    int port = redis.port();

    redis.close();
    redis.close();

    assertThatThrownBy(() -> send(port, "PING")).isInstanceOf(ConnectException.class);
    assertThatThrownBy(redis::restart).isInstanceOf(IllegalStateException.class)
        .hasMessage("redis-server on 127.0.0.1:" + port + " was closed");
  }

  @Test
  void startEmbedded_runsThePackagedRedis62() throws IOException {
    try (RedisServerProcess redis = RedisServerProcess.startEmbedded()) {
      assertThat(redis.source()).startsWith("embedded-redis 6.2.");
      assertThat(send(redis.port(), "PING")).isEqualTo("+PONG");
    }
  }

  @Test
  void start_withPropertyEmbedded_usesThePackagedBinary() {
    String before = System.getProperty(RedisServerProcess.SERVER_PROPERTY);
    System.setProperty(RedisServerProcess.SERVER_PROPERTY, "embedded");
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      assertThat(redis.source()).startsWith("embedded-redis ");
    } finally {
      restore(before);
    }
  }

  @Test
  void start_withUnknownPropertyValue_namesIt() {
    String before = System.getProperty(RedisServerProcess.SERVER_PROPERTY);
    System.setProperty(RedisServerProcess.SERVER_PROPERTY, "docker");
    try {
      assertThatThrownBy(RedisServerProcess::start).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("switchboard.redis.server must be 'embedded' or unset but was 'docker'");
    } finally {
      restore(before);
    }
  }

  @Test
  void launch_missingBinary_namesBinaryAndPort() {
    Path missing = Path.of("/nonexistent/redis-server");

    assertThatThrownBy(() -> RedisServerProcess.launch(missing, false, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("cannot start redis-server /nonexistent/redis-server on 127.0.0.1:");
  }

  @Test
  void launch_binaryThatExits_namesBinaryPortAndExitCode() throws IOException {
    Path script = script("echo 'FATAL CONFIG FILE ERROR'; exit 3");

    assertThatThrownBy(() -> RedisServerProcess.launch(script, false, Duration.ofSeconds(5)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageMatching("redis-server " + script + " exited with code 3 before answering PING on "
            + "127\\.0\\.0\\.1:\\d+; its output ends with: FATAL CONFIG FILE ERROR");
  }

  @Test
  void launch_binaryThatNeverAnswers_timesOutNamingBinaryAndPort() throws IOException {
    Path script = script("exec sleep 30");

    assertThatThrownBy(() -> RedisServerProcess.launch(script, false, Duration.ofMillis(300)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageMatching("redis-server " + script + " did not answer PING on 127\\.0\\.0\\.1:\\d+ within 300 ms");
  }

  @Test
  void embeddedResource_picksTheBinaryForEachPlatform() {
    assertThat(RedisServerProcess.embeddedResource("Linux", "amd64")).isEqualTo("redis-server-6.2.6-v5-linux-amd64");
    assertThat(RedisServerProcess.embeddedResource("Linux", "aarch64")).isEqualTo("redis-server-6.2.7-linux-arm64");
    assertThat(RedisServerProcess.embeddedResource("Linux", "x86")).isEqualTo("redis-server-6.2.7-linux-386");
    assertThat(RedisServerProcess.embeddedResource("Mac OS X", "aarch64")).isEqualTo("redis-server-6.2.6-v5-darwin-arm64");
    assertThat(RedisServerProcess.embeddedResource("Mac OS X", "x86_64")).isEqualTo("redis-server-6.2.6-v5-darwin-amd64");
    assertThatThrownBy(() -> RedisServerProcess.embeddedResource("Windows 11", "amd64"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no redis-server on the PATH and embedded-redis has no binary for Windows 11/amd64: install Redis");
  }

  /** Writes an executable shell script that ignores its arguments. */
  private static Path script(String body) throws IOException {
    assumeThat(Files.isExecutable(Path.of("/bin/sh"))).as("/bin/sh").isTrue();
    Path file = Files.createTempFile("fake-redis-server-", ".sh");
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    file.toFile().deleteOnExit();
    return file;
  }

  private static void restore(String before) {
    if (before == null) {
      System.clearProperty(RedisServerProcess.SERVER_PROPERTY);
    } else {
      System.setProperty(RedisServerProcess.SERVER_PROPERTY, before);
    }
  }

  /** Sends one command and returns the first reply line. */
  private static String send(int port, String... args) throws IOException {
    try (Socket s = connect(port)) {
      write(s, args);
      return line(s.getInputStream());
    }
  }

  /** Sends one command answered with an array and returns the bulk string at {@code index} (1-based). */
  private static String bulkAfterArrayHeader(int port, String cmd, String sub, String arg, int index) throws IOException {
    try (Socket s = connect(port)) {
      write(s, cmd, sub, arg);
      InputStream in = s.getInputStream();
      line(in);
      String value = null;
      for (int i = 1; i <= index; i++) {
        line(in);
        value = line(in);
      }
      return value;
    }
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      s.setSoTimeout(2_000);
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  private static void write(Socket s, String... args) throws IOException {
    StringBuilder resp = new StringBuilder("*").append(args.length).append("\r\n");
    for (String a : args) {
      resp.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
    }
    OutputStream out = s.getOutputStream();
    out.write(resp.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int c = in.read(); c != -1; c = in.read()) {
      if (c == '\n') {
        return sb.toString();
      }
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    throw new IOException("connection closed");
  }
}
