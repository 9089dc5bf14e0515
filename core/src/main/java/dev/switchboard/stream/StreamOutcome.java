package dev.switchboard.stream;

import dev.switchboard.spi.ApiError;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.ProviderResponse;
import dev.switchboard.spi.Usage;
import java.util.Objects;
import java.util.Optional;

/**
 * How one streaming attempt ended, as {@link StreamGate} reports it exactly once to its
 * {@link StreamGate.Observer}. The router acts on {@link #kind()} and {@link #contentDelivered()}:
 * an attempt that failed before the caller saw content can be retried on another route invisibly;
 * one that failed after must end the caller's stream (or be continued). Immutable.
 */
public final class StreamOutcome {

  /** What happened to the attempt. */
  public enum Kind {
    /** {@code message_stop} arrived and the stream ended cleanly. */
    COMPLETE,
    /** The server answered with a non-2xx status before any event ({@link #response()}). */
    REJECTED,
    /** The server sent an SSE {@code error} event ({@link #error()}), e.g. {@code overloaded_error}. */
    ERROR_EVENT,
    /** A watchdog expired ({@link #failure()} is a {@link StreamTimeoutException}) or the transport timed out. */
    TIMEOUT,
    /** The connection failed before the headers, or the body broke or ended early ({@link #failure()}). */
    BROKEN,
    /** The attempt was cancelled through {@link StreamGate#cancel()}. */
    CANCELLED,
    /** The downstream consumer (the caller's handler) threw; {@link #failure()} is what it threw. */
    HANDLER_FAILED
  }

  private final Kind kind;
  private final boolean contentDelivered;
  private final MessageResponse message;
  private final Usage usage;
  private final ProviderResponse response;
  private final ApiError error;
  private final Throwable failure;

  StreamOutcome(Kind kind, boolean contentDelivered, MessageResponse message, Usage usage,
      ProviderResponse response, ApiError error, Throwable failure) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.contentDelivered = contentDelivered;
    this.message = message;
    this.usage = Objects.requireNonNull(usage, "usage");
    this.response = response;
    this.error = error;
    this.failure = failure;
  }

  /** Returns what happened. */
  public Kind kind() {
    return kind;
  }

  /** Returns true when content of this attempt had already been passed downstream to the caller. */
  public boolean contentDelivered() {
    return contentDelivered;
  }

  /**
   * Returns the message this attempt produced: complete for {@link Kind#COMPLETE}, partial
   * otherwise; empty when no {@code message_start} arrived.
   */
  public Optional<MessageResponse> message() {
    return Optional.ofNullable(message);
  }

  /** Returns the cumulative usage reported by the attempt ({@link Usage#ZERO} when none). */
  public Usage usage() {
    return usage;
  }

  /** Returns the response headers (and, for {@link Kind#REJECTED}, the parsed error), if they arrived. */
  public Optional<ProviderResponse> response() {
    return Optional.ofNullable(response);
  }

  /** Returns the error of an SSE {@code error} event, or of a rejected response. */
  public Optional<ApiError> error() {
    return Optional.ofNullable(error);
  }

  /**
   * Returns the failure: a {@link dev.switchboard.spi.TransportException}, a
   * {@link StreamTimeoutException}, or what the handler threw; empty for the other kinds.
   */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * Returns why the attempt did not complete, as one exception: the {@link #failure()} when there
   * is one, else the {@link #error()} as a {@link StreamInterruptedException.ApiErrorException}.
   *
   * @throws IllegalStateException for {@link Kind#COMPLETE}
   */
  public Throwable cause() {
    if (failure != null) {
      return failure;
    }
    if (kind == Kind.COMPLETE) {
      throw new IllegalStateException("a complete attempt has no cause");
    }
    if (error != null) {
      return new StreamInterruptedException.ApiErrorException(error);
    }
    return new StreamInterruptedException.ApiErrorException(ApiError.of("unknown",
        kind == Kind.REJECTED ? "status " + status() : kind.toString()));
  }

  /** Returns the HTTP status, or 0 when no headers arrived. */
  public int status() {
    return response == null ? 0 : response.status();
  }

  /** Returns a short description; never content or secrets. */
  @Override
  public String toString() {
    return "StreamOutcome[" + kind + (contentDelivered ? ", after content" : ", before content")
        + (response != null ? ", status=" + response.status() : "")
        + (error != null ? ", error=" + error.type() : "")
        + (failure != null ? ", failure=" + failure.getClass().getSimpleName() + ": "
            + failure.getMessage() : "")
        + ", usage=" + usage + "]";
  }
}
