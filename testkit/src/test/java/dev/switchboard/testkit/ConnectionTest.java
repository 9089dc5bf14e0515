package dev.switchboard.testkit;

import static dev.switchboard.testkit.Api.body;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectionTest {
  static final String OPUS = "claude-opus-4-6";
  static final String A = Simulator.Builder.PRESET_KEYS.get("team-a");
  Simulator sim;

  @BeforeEach
  void start() {
    sim = Simulator.builder().preset().idleTimeout(Duration.ofMillis(100)).start();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void defaultJdkClient_offeringH2cUpgrade_getsAnHttp11Answer() throws Exception {
    HttpClient http2 = HttpClient.newHttpClient();

    HttpResponse<String> r = http2.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/messages"))
        .header("x-api-key", A).header("anthropic-version", Api.VERSION)
        .POST(HttpRequest.BodyPublishers.ofString(body(OPUS, 10, "hi"))).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
  }

  @Test
  void rawSocket_chunkedRequestBodyAndConnectionClose_areHandled() throws Exception {
    String json = body(OPUS, 10, "hi");
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    try (Socket s = new Socket("127.0.0.1", sim.port())) {
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /v1/messages?beta=true HTTP/1.1\r\nhost: x\r\nx-api-key: " + A
          + "\r\nanthropic-version: " + Api.VERSION + "\r\ntransfer-encoding: chunked\r\n"
          + "connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      int half = bytes.length / 2;
      out.write((Integer.toHexString(half) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(bytes, 0, half);
      out.write(("\r\n" + Integer.toHexString(bytes.length - half) + "\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.write(bytes, half, bytes.length - half);
      out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();

      String response = readAll(s.getInputStream());

      assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").contains("connection: close")
          .contains("\"type\":\"message\"");
    }
  }

  @Test
  void rawSocket_garbageRequestLine_gets400AndClose() throws Exception {
    try (Socket s = new Socket("127.0.0.1", sim.port())) {
      s.setSoTimeout(5_000);
      s.getOutputStream().write("HELLO\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));

      assertThat(readAll(s.getInputStream())).startsWith("HTTP/1.1 400 Bad Request");
    }
  }

  @Test
  void idleKeepAliveConnection_isClosedByTheServerAfterIdleTimeout() throws Exception {
    try (Socket s = new Socket("127.0.0.1", sim.port())) {
      s.setSoTimeout(5_000);
      // the server closes the idle connection: the read sees end of stream, not a timeout
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
  }

  private static String readAll(InputStream in) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    in.transferTo(buf);
    return buf.toString(StandardCharsets.UTF_8);
  }
}
