package dev.switchboard.okhttp;

import static dev.switchboard.okhttp.TestSupport.FAST;
import static dev.switchboard.okhttp.TestSupport.KEY;
import static dev.switchboard.okhttp.TestSupport.SECRET;
import static dev.switchboard.okhttp.TestSupport.await;
import static dev.switchboard.okhttp.TestSupport.awaitFailure;
import static dev.switchboard.okhttp.TestSupport.hello;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.ProviderResponse;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.TransportConfig;
import dev.switchboard.spi.TransportException;
import dev.switchboard.spi.TransportException.Kind;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NetworkFailureTest {
  private static final String OK_BODY = "{\"id\":\"msg_1\",\"model\":\"m\",\"content\":[],"
      + "\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}";

  private final MockWebServer server = new MockWebServer();
  private Transport transport;

  @BeforeEach
  void start() throws Exception {
    server.start();
    transport = TestSupport.transport(server);
  }

  @AfterEach
  void stop() {
    transport.close();
    server.close();
  }

  @Test
  void send_connectionRefusedIsConnect() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    try (Transport refused = new OkHttpTransportProvider().create(TransportConfig.builder()
        .baseUrl("http://127.0.0.1:" + port).build())) {
      TransportException e = awaitFailure(refused.send(KEY, hello(), FAST));

      assertThat(e.kind()).isEqualTo(Kind.CONNECT);
      assertThat(e.getMessage()).startsWith("POST /v1/messages with key ApiKey[primary, fp:")
          .contains("failed (CONNECT)");
    }
  }

  @Test
  void send_noHeadersWithinAttemptTimeoutIsTimeout() throws Exception {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    long start = System.nanoTime();

    TransportException e = awaitFailure(transport.send(KEY, hello(),
        FAST.withTimeout(Duration.ofMillis(300))));

    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void send_subMillisecondTimeoutIsATimeoutNotAnError() throws Exception {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());

    TransportException e = awaitFailure(transport.send(KEY, hello(),
        FAST.withTimeout(Duration.ofNanos(1))));

    assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
  }

  @Test
  void send_timeoutsBeyondOkHttpsRangeAreClamped() throws Exception {
    server.enqueue(new MockResponse.Builder().body(OK_BODY).build());

    ProviderResponse r = await(transport.send(KEY, hello(),
        FAST.withTimeout(Duration.ofDays(400)).withReadTimeout(Duration.ofDays(400))));

    assertThat(r.isSuccess()).isTrue();
    assertThat(OkHttpTransport.millis(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(Integer.MAX_VALUE);
    assertThat(OkHttpTransport.millis(Duration.ofNanos(1))).isEqualTo(1);
  }

  @Test
  void send_bodyIdleLongerThanReadTimeoutIsTimeout() throws Exception {
    GatedBody body = new GatedBody(OK_BODY.substring(0, 20), OK_BODY.substring(20));
    server.enqueue(new MockResponse.Builder().body(body).build());
    try {
      TransportException e = awaitFailure(transport.send(KEY, hello(),
          FAST.withReadTimeout(Duration.ofMillis(300))));

      assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
      assertThat(e.getMessage()).contains("the HTTP 200 body broke off");
    } finally {
      body.release();
    }
  }

  @Test
  void send_connectionClosedBeforeHeadersIsReset() throws Exception {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE)
        .build());

    TransportException e = awaitFailure(transport.send(KEY, hello(), FAST));

    assertThat(e.kind()).isEqualTo(Kind.RESET);
  }

  @Test
  void send_staleReusedConnectionIsResetNotRetried() throws Exception {
    server.enqueue(new MockResponse.Builder().body(OK_BODY)
        .onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE).build());
    server.enqueue(new MockResponse.Builder().body(OK_BODY).build());
    assertThat(await(transport.send(KEY, hello(), FAST)).isSuccess()).isTrue();

    TransportException e = awaitFailure(transport.send(KEY, hello(), FAST));

    assertThat(e.kind()).isEqualTo(Kind.RESET);
    assertThat(e.getMessage()).contains("unexpected end of stream");
    assertThat(server.getRequestCount()).as("OkHttp did not retry on its own").isEqualTo(1);
    assertThat(await(transport.send(KEY, hello(), FAST)).isSuccess()).as("next call, new connection")
        .isTrue();
  }

  @Test
  void send_cancellingTheFutureClosesTheConnectionServerSide() throws Exception {
    try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Transport direct = new OkHttpTransportProvider().create(TransportConfig.builder()
            .baseUrl("http://127.0.0.1:" + raw.getLocalPort()).build())) {
      CompletableFuture<ProviderResponse> future = direct.send(KEY, hello(), FAST);
      try (Socket socket = raw.accept()) {
        socket.setSoTimeout(5000);
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        assertThat(head).startsWith("POST /v1/messages HTTP/1.1");

        assertThat(future.cancel(true)).isTrue();

        assertThat(readUntilClosed(in)).as("server sees the client close the connection").isTrue();
        assertThat(future).isCancelled();
      }
    }
  }

  @Test
  void close_cancelsCallsInFlightAndRefusesNewOnes() throws Exception {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    CompletableFuture<ProviderResponse> inFlight = transport.send(KEY, hello(), FAST);
    server.takeRequest(5, TimeUnit.SECONDS);

    transport.close();

    TransportException e = awaitFailure(inFlight);
    assertThat(e.kind()).isEqualTo(Kind.CANCELLED);
    assertThat(e.getMessage()).endsWith("the transport was closed");
    assertThat(awaitFailure(transport.send(KEY, hello(), FAST)).kind()).isEqualTo(Kind.CANCELLED);
    RecordingListener listener = new RecordingListener();
    transport.stream(KEY, hello(), FAST, listener);
    assertThat(listener.awaitDone().failure.kind()).isEqualTo(Kind.CANCELLED);
    assertThat(((OkHttpTransport) transport).client().dispatcher().executorService().isShutdown())
        .isTrue();
  }

  @Test
  void create_configuresOneHostConcurrencyAndDisablesRetriesAndRedirects() {
    try (Transport t = new OkHttpTransportProvider().create(TestSupport.config(server)
        .maxConcurrentRequests(300).connectTimeout(Duration.ofSeconds(3)).build())) {
      OkHttpClient client = ((OkHttpTransport) t).client();

      assertThat(client.dispatcher().getMaxRequests()).isEqualTo(300);
      assertThat(client.dispatcher().getMaxRequestsPerHost()).isEqualTo(300);
      assertThat(client.retryOnConnectionFailure()).isFalse();
      assertThat(client.followRedirects()).isFalse();
      assertThat(client.connectTimeoutMillis()).isEqualTo(3000);
    }
  }

  @Test
  void send_runsMoreThanOkHttpsDefaultFiveCallsPerHostAtOnce() throws Exception {
    int calls = 12;
    CountDownLatch allArrived = new CountDownLatch(calls);
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
        allArrived.countDown();
        allArrived.await(5, TimeUnit.SECONDS);
        return new MockResponse.Builder().body(OK_BODY).build();
      }
    });
    List<CompletableFuture<ProviderResponse>> futures = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      futures.add(transport.send(KEY, hello(), FAST));
    }

    assertThat(allArrived.await(5, TimeUnit.SECONDS)).as("12 calls in flight at once").isTrue();
    for (CompletableFuture<ProviderResponse> f : futures) {
      assertThat(await(f).isSuccess()).isTrue();
    }
  }

  @Test
  void sharedClient_keepsCallersDispatcherRunningOnClose() throws Exception {
    OkHttpClient app = new OkHttpClient();
    server.enqueue(new MockResponse.Builder().body(OK_BODY).build());
    try {
      Transport shared = OkHttpTransportProvider.create(TestSupport.config(server).build(), app);
      assertThat(await(shared.send(KEY, hello(), FAST)).isSuccess()).isTrue();

      shared.close();

      assertThat(app.dispatcher().executorService().isShutdown()).isFalse();
      assertThat(((OkHttpTransport) shared).client().connectionPool())
          .isSameAs(app.connectionPool());
    } finally {
      app.dispatcher().executorService().shutdown();
      app.connectionPool().evictAll();
    }
  }

  @Test
  void failures_neverShowTheSecret() throws Exception {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE)
        .build());
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());

    List<TransportException> failures = List.of(
        awaitFailure(transport.send(KEY, hello(), FAST)),
        awaitFailure(transport.send(KEY, hello(), FAST.withTimeout(Duration.ofMillis(200)))));

    for (TransportException e : failures) {
      assertThat(e.getMessage()).doesNotContain(SECRET).contains(KEY.fingerprint());
      assertThat(e.toString()).doesNotContain(SECRET);
    }
    assertThat(transport.toString()).doesNotContain(SECRET);
  }

  @Test
  void failures_dropACauseThatWouldShowTheSecret() {
    TransportException e = Failures.of(Kind.IO, "POST /v1/messages", KEY,
        "echo " + SECRET, new java.io.IOException("header x-api-key: " + SECRET));

    assertThat(e.getMessage()).isEqualTo("POST /v1/messages with key " + KEY
        + " failed (IO): echo ***");
    assertThat(e.getCause()).isNull();
  }

  private static String readHead(InputStream in) throws Exception {
    StringBuilder sb = new StringBuilder();
    while (!sb.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      sb.append((char) b);
    }
    return new String(sb.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }

  /** Reads (and drops) until the peer closes; true when it did within the socket timeout. */
  private static boolean readUntilClosed(InputStream in) throws Exception {
    byte[] buf = new byte[4096];
    try {
      while (in.read(buf) >= 0) {
        // the request body, then end of stream
      }
      return true;
    } catch (SocketException reset) {
      return true;
    }
  }
}
