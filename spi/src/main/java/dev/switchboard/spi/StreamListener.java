package dev.switchboard.spi;

/**
 * Receives one streaming attempt, in order: at most one {@link #onResponse}, then (for a 2xx) any
 * number of {@link #onEvent}s, then exactly one terminal call, {@link #onComplete} or
 * {@link #onFailure}.
 *
 * <ul>
 *   <li>A non-2xx status arrives as {@link #onResponse} with the parsed error, then
 *       {@link #onComplete}; no events.
 *   <li>An SSE {@code error} event arrives as an {@link StreamEvent.Error} event, then
 *       {@link #onComplete} when the server closes the stream.
 *   <li>A body that ends before {@code message_stop} (and after no {@code error} event), or breaks,
 *       is {@link #onFailure} with {@link TransportException.Kind#INCOMPLETE_STREAM}; a failure before
 *       the headers is {@link #onFailure} without {@link #onResponse}.
 * </ul>
 *
 * <p>Calls come from a transport thread, one at a time. Implementations must be fast and must not
 * throw; an exception thrown from a callback cancels the stream and is reported to
 * {@link #onFailure}.
 */
public interface StreamListener {

  /** The status line and headers (and, for a non-2xx, the parsed error body) arrived. */
  void onResponse(ProviderResponse response);

  /** One event of a 2xx stream arrived. */
  void onEvent(StreamEvent event);

  /** The stream ended cleanly. */
  void onComplete();

  /** The attempt failed; no further calls follow. */
  void onFailure(TransportException failure);
}
