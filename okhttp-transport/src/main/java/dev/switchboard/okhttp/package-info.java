/**
 * The HTTP transport on OkHttp 5 and Moshi.
 *
 * <p>Start with {@link dev.switchboard.okhttp.OkHttpTransportProvider}, the one public type: it
 * creates the {@link dev.switchboard.spi.Transport} and documents what it guarantees. Behind it,
 * all package-private: {@code OkHttpTransport} (requests, timeouts, cancellation, close),
 * {@code StreamAttempt} (one streaming call and its listener contract), {@code WireRequests} and
 * {@code WireResponses} (the Messages API JSON, explicit and path-reporting), {@code JsonTrees}
 * (JSON values that round-trip verbatim), {@code SseReader} (WHATWG event-stream parsing),
 * {@code StreamEvents} (events to {@link dev.switchboard.spi.StreamEvent}s) and {@code Failures}
 * (I/O exceptions to {@link dev.switchboard.spi.TransportException} kinds, never showing a key).
 */
package dev.switchboard.okhttp;
