package dev.switchboard.testkit;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One request the simulator received, as seen at the moment {@link Simulator#calls()} was read.
 *
 * <p>A call appears in the log as soon as its headers and body are read; {@code status} is 0 until
 * the simulator has decided the answer (for example during a stall) and stays 0 if the connection
 * was reset on purpose before any byte. Secrets never appear: the key is named by its label and the
 * {@code x-api-key} and {@code authorization} headers are left out of {@link #headers()}.
 *
 * @param sequence 1-based arrival order
 * @param time arrival time on the simulator's wall clock
 * @param method HTTP method
 * @param path request path without the query string
 * @param keyLabel label of the key used, or null when the key was missing or unknown
 * @param organization organization name of the key, or null
 * @param model {@code model} of the body, or null when absent or unreadable
 * @param stream whether the body asked for {@code "stream": true}
 * @param status HTTP status answered, 0 if none (yet)
 * @param errorType {@code error.type} answered (or of the SSE error event), or null
 * @param requestId the {@code request-id} header answered, or null if the connection was reset
 * @param inputTokens {@code usage.input_tokens} answered (or the count of count_tokens), else 0
 * @param outputTokens output tokens actually sent (for a broken stream: those sent before the break)
 * @param cacheCreationInputTokens {@code usage.cache_creation_input_tokens}, else 0
 * @param cacheReadInputTokens {@code usage.cache_read_input_tokens}, else 0
 * @param completed true once the whole response was written
 * @param clientDisconnected true if the client went away before the response was complete (a
 *     cancelled call, a client timeout)
 * @param fault labels of the injected faults applied, or null
 * @param headers request headers, lower-case names, without credentials
 * @param body request body as UTF-8 text (empty when over the size limit or not recorded)
 */
public record RecordedCall(
    long sequence,
    Instant time,
    String method,
    String path,
    String keyLabel,
    String organization,
    String model,
    boolean stream,
    int status,
    String errorType,
    String requestId,
    long inputTokens,
    long outputTokens,
    long cacheCreationInputTokens,
    long cacheReadInputTokens,
    boolean completed,
    boolean clientDisconnected,
    String fault,
    Map<String, String> headers,
    String body) {

  /** Copies the headers. */
  public RecordedCall {
    Objects.requireNonNull(time, "time");
    headers = Map.copyOf(headers);
  }

  /** Returns the request header {@code name} (case-insensitive), or null. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** Returns true for a 2xx status. */
  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  /** Returns a one-line summary without headers or body. */
  @Override
  public String toString() {
    return "RecordedCall[#" + sequence + " " + method + " " + path + " key=" + keyLabel + " model="
        + model + (stream ? " stream" : "") + " -> " + status
        + (errorType == null ? "" : " " + errorType) + (fault == null ? "" : " fault=" + fault)
        + (clientDisconnected ? " client-disconnected" : "") + (completed ? "" : " incomplete") + "]";
  }
}
