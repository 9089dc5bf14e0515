package dev.switchboard.bench;

import dev.switchboard.spi.ApiKey;
import dev.switchboard.spi.AttemptOptions;
import dev.switchboard.spi.ContentBlock;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.ProviderResponse;
import dev.switchboard.spi.StreamCall;
import dev.switchboard.spi.StreamEvent;
import dev.switchboard.spi.StreamListener;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.Usage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A transport that answers every call at once, in the caller's thread, with a canned 200 whose
 * usage is 12 input and 8 output tokens: it takes the network out of the overhead benchmarks so
 * that what remains is the router's (or a peer's) own decision. Responses are built once per
 * model and reused, so the transport itself allocates nothing per call but the completed future.
 *
 * <p>Thread-safe. {@link #calls()} counts the calls it answered.
 */
final class InstantTransport implements Transport {
  static final Usage USAGE = Usage.of(12, 8);

  private final Map<String, ProviderResponse> byModel = new ConcurrentHashMap<>();
  private final LongAdder calls = new LongAdder();

  @Override
  public CompletableFuture<ProviderResponse> send(ApiKey key, MessageRequest request, AttemptOptions options) {
    calls.increment();
    return CompletableFuture.completedFuture(responseFor(request.model()));
  }

  /** Returns the canned success for {@code model} (built once). */
  ProviderResponse responseFor(String model) {
    ProviderResponse r = byModel.get(model);
    return r != null ? r : byModel.computeIfAbsent(model, InstantTransport::build);
  }

  @Override
  public StreamCall stream(ApiKey key, MessageRequest request, AttemptOptions options, StreamListener listener) {
    calls.increment();
    MessageResponse message = responseFor(request.model()).message().orElseThrow();
    listener.onResponse(ProviderResponse.builder(200).requestId("req_instant").build());
    listener.onEvent(new StreamEvent.MessageStart(new MessageResponse(message.id(), message.model(),
        "assistant", List.of(), null, null, Usage.of(USAGE.inputTokens(), 1), Map.of())));
    listener.onEvent(new StreamEvent.ContentBlockStart(0, ContentBlock.text("")));
    listener.onEvent(new StreamEvent.ContentBlockDelta(0, "text_delta", Map.of("type", "text_delta", "text", message.text())));
    listener.onEvent(new StreamEvent.ContentBlockStop(0));
    listener.onEvent(new StreamEvent.MessageDelta("end_turn", null, USAGE, Map.of("stop_reason", "end_turn")));
    listener.onEvent(new StreamEvent.MessageStop());
    listener.onComplete();
    return new StreamCall() {
      @Override
      public void cancel() {
        // the stream has already ended: cancelling a finished call does nothing
      }

      @Override
      public boolean isCancelled() {
        return false;
      }
    };
  }

  @Override
  public CompletableFuture<ProviderResponse> countTokens(ApiKey key, MessageRequest request, AttemptOptions options) {
    calls.increment();
    return CompletableFuture.completedFuture(
        ProviderResponse.builder(200).requestId("req_instant").tokenCount(USAGE.inputTokens()).build());
  }

  /** Returns how many calls this transport answered. */
  long calls() {
    return calls.sum();
  }

  @Override
  public void close() {
    byModel.clear();
  }

  private static ProviderResponse build(String model) {
    MessageResponse message = new MessageResponse("msg_instant_" + model, model, "assistant",
        List.of(ContentBlock.text("ok")), "end_turn", null, USAGE, Map.of());
    return ProviderResponse.builder(200).requestId("req_instant").message(message).build();
  }
}
