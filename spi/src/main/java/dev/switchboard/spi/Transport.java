package dev.switchboard.spi;

import java.util.concurrent.CompletableFuture;

/**
 * Sends Messages API calls to a provider with one key. The router owns every decision (which key,
 * which model, whether to retry); a transport makes exactly one attempt per call and reports what
 * happened, never retrying on its own.
 *
 * <p>Implementations must be safe for concurrent use and must not block the calling thread on the
 * network. Cancelling a returned future closes the underlying HTTP call.
 */
public interface Transport extends AutoCloseable {

  /**
   * Sends a non-streaming {@code POST /v1/messages}.
   *
   * @return a future completed with the {@link ProviderResponse} of any HTTP response (2xx or not),
   *     or completed exceptionally with a {@link TransportException} when no response arrived
   */
  CompletableFuture<ProviderResponse> send(ApiKey key, MessageRequest request, AttemptOptions options);

  /**
   * Starts a streaming {@code POST /v1/messages} ({@code "stream": true} is set whatever the
   * request says) and reports it to {@code listener}.
   */
  StreamCall stream(ApiKey key, MessageRequest request, AttemptOptions options, StreamListener listener);

  /**
   * Sends {@code POST /v1/messages/count_tokens} for the request's model, system, messages, tools
   * and thinking; the count is {@link ProviderResponse#tokenCount()}.
   */
  CompletableFuture<ProviderResponse> countTokens(ApiKey key, MessageRequest request, AttemptOptions options);

  /** Releases connections and threads. Calls in flight are cancelled. */
  @Override
  void close();
}
