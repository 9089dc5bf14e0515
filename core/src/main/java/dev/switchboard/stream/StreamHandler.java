package dev.switchboard.stream;

import dev.switchboard.spi.StreamEvent;

/**
 * The caller's side of a routed stream: events in order, then exactly one terminal call.
 *
 * <p>Failover is invisible: attempts that fail before producing content are retried on another
 * key or model and never reach the handler, so it sees one {@code message_start} and one ordered
 * sequence of content blocks. {@code ping} and {@code error} events are never delivered: an error is
 * reported through {@link #onError}.
 *
 * <p>Calls come one at a time, from transport or scheduler threads; implementations must be fast
 * and should not block. An exception thrown from {@link #onEvent} cancels the stream and is
 * reported to {@link #onError}; exceptions from the terminal calls are ignored.
 */
public interface StreamHandler {

  /** One event of the caller's stream. */
  void onEvent(StreamEvent event);

  /** The stream ended with {@code message_stop}; no further calls follow. */
  void onComplete(StreamResult result);

  /**
   * The stream failed; no further calls follow. After content had been delivered this is a
   * {@link StreamInterruptedException} carrying the partial message; a cancellation by the caller
   * is a {@link java.util.concurrent.CancellationException}.
   */
  void onError(Throwable error);
}
