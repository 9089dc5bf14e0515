package dev.switchboard;

import dev.switchboard.spi.ApiError;
import dev.switchboard.spi.ApiKey;
import dev.switchboard.spi.AttemptOptions;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.ProviderResponse;
import dev.switchboard.spi.RateLimitInfo;
import dev.switchboard.spi.StreamCall;
import dev.switchboard.spi.StreamListener;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.TransportException;
import dev.switchboard.spi.ContentBlock;
import dev.switchboard.spi.Usage;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * An in-process {@link Transport} for unit tests: each send takes the next scripted reply (or asks
 * a responder), and every attempt is recorded with its key alias, model and timeout.
 */
final class FakeTransport implements Transport {
  /** What one send carried. */
  record Sent(String alias, String model, AttemptOptions options, CompletableFuture<ProviderResponse> future) {}

  private final Deque<Function<Sent, CompletableFuture<ProviderResponse>>> script = new ArrayDeque<>();
  private final List<Sent> sent = new ArrayList<>();
  private Function<Sent, CompletableFuture<ProviderResponse>> fallback = s -> CompletableFuture.completedFuture(ok(10, 5));
  boolean closed;

  /** Queues a reply for the next send. */
  synchronized FakeTransport then(ProviderResponse response) {
    script.add(s -> CompletableFuture.completedFuture(response));
    return this;
  }

  /** Queues a failure for the next send. */
  synchronized FakeTransport thenFail(TransportException.Kind kind) {
    script.add(s -> CompletableFuture.failedFuture(new TransportException(kind, kind + " injected")));
    return this;
  }

  /** Queues a send that never completes on its own. */
  synchronized FakeTransport thenHang() {
    script.add(s -> new CompletableFuture<>());
    return this;
  }

  /** Answers every send not scripted with {@code responder}. */
  synchronized FakeTransport otherwise(Function<Sent, ProviderResponse> responder) {
    fallback = s -> CompletableFuture.completedFuture(responder.apply(s));
    return this;
  }

  synchronized List<Sent> sent() {
    return List.copyOf(sent);
  }

  synchronized List<String> aliases() {
    return sent.stream().map(Sent::alias).toList();
  }

  synchronized List<String> models() {
    return sent.stream().map(Sent::model).toList();
  }

  @Override
  public CompletableFuture<ProviderResponse> send(ApiKey key, MessageRequest request, AttemptOptions options) {
    Function<Sent, CompletableFuture<ProviderResponse>> next;
    Sent s;
    synchronized (this) {
      next = script.isEmpty() ? fallback : script.poll();
      s = new Sent(key.alias(), request.model(), options, null);
    }
    CompletableFuture<ProviderResponse> f = next.apply(s);
    synchronized (this) {
      sent.add(new Sent(s.alias(), s.model(), options, f));
    }
    return f;
  }

  @Override
  public StreamCall stream(ApiKey key, MessageRequest request, AttemptOptions options, StreamListener listener) {
    throw new UnsupportedOperationException("streaming is not used by these tests");
  }

  @Override
  public CompletableFuture<ProviderResponse> countTokens(ApiKey key, MessageRequest request, AttemptOptions options) {
    return CompletableFuture.completedFuture(ProviderResponse.builder(200).tokenCount(42).build());
  }

  @Override
  public void close() {
    closed = true;
  }

  // ------------------------------------------------------------ response helpers

  static ProviderResponse ok(long input, long output) {
    return ok(Usage.of(input, output), Map.of());
  }

  static ProviderResponse ok(Usage usage, Map<String, String> headers) {
    MessageResponse m = new MessageResponse("msg_1", "model", "assistant",
        List.of(ContentBlock.text("hi")), "end_turn", null, usage, Map.of());
    return ProviderResponse.builder(200).requestId("req_1").message(m)
        .rateLimits(headers(headers)).build();
  }

  static ProviderResponse error(int status, String type, String message) {
    return error(status, type, message, null, Map.of());
  }

  static ProviderResponse error(int status, String type, String message, String errorCode,
      Map<String, String> headers) {
    return ProviderResponse.builder(status).requestId("req_e")
        .error(new ApiError(type, message, errorCode, "req_e")).rateLimits(headers(headers)).build();
  }

  static RateLimitInfo headers(Map<String, String> headers) {
    Map<String, String> lower = new HashMap<>();
    headers.forEach((k, v) -> lower.put(k.toLowerCase(), v));
    return RateLimitInfo.parse(lower::get, Instant.parse("2026-01-01T00:00:00Z"));
  }
}
