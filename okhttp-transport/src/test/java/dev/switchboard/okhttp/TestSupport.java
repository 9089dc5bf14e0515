package dev.switchboard.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.ApiKey;
import dev.switchboard.spi.AttemptOptions;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.ProviderResponse;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.TransportConfig;
import dev.switchboard.spi.TransportException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import mockwebserver3.MockWebServer;

/** Shared fixtures: a key whose secret must never leak, requests, and future helpers. */
final class TestSupport {
  static final String SECRET = "sk-ant-api03-TOPSECRET-0123456789";
  static final ApiKey KEY = ApiKey.of("primary", SECRET);
  /** Short timeouts for tests that wait on real I/O. */
  static final AttemptOptions FAST = AttemptOptions.DEFAULT
      .withTimeout(Duration.ofSeconds(5)).withReadTimeout(Duration.ofSeconds(5));

  private TestSupport() {}

  static TransportConfig.Builder config(MockWebServer server) {
    return TransportConfig.builder().baseUrl(server.url("/").uri()).connectTimeout(Duration.ofSeconds(2));
  }

  static Transport transport(MockWebServer server) {
    return new OkHttpTransportProvider().create(config(server).build());
  }

  static MessageRequest hello() {
    return MessageRequest.builder().model("claude-sonnet-4-5").maxTokens(64).addUserMessage("Hello")
        .build();
  }

  /** Waits for a future that must complete normally. */
  static ProviderResponse await(CompletableFuture<ProviderResponse> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  /** Waits for a future that must fail with a TransportException, and checks it hides the key. */
  static TransportException awaitFailure(CompletableFuture<ProviderResponse> future)
      throws InterruptedException, TimeoutException {
    try {
      ProviderResponse r = future.get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a TransportException but got " + r);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(TransportException.class);
      TransportException failure = (TransportException) e.getCause();
      assertNoSecret(failure);
      return failure;
    }
  }

  /** Asserts that neither the throwable nor any cause shows the secret. */
  static void assertNoSecret(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      assertThat(String.valueOf(c.getMessage())).doesNotContain(SECRET);
      assertThat(c.toString()).doesNotContain(SECRET);
    }
  }
}
