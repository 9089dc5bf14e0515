package dev.switchboard.stream;

import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.Usage;
import java.util.Objects;
import java.util.Optional;

/**
 * A stream that failed after it had started: carries the partial message the caller received,
 * the usage reported so far, the cause (a {@link dev.switchboard.spi.TransportException}, a
 * {@link StreamTimeoutException}, or an {@link ApiErrorException} for an SSE {@code error} event)
 * and whether any content had been delivered. The message names the cause's kind and the token
 * counts only, never content or keys.
 */
public final class StreamInterruptedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient MessageResponse partial;
  private final transient Usage usage;
  private final boolean contentDelivered;

  /**
   * Returns an exception for a stream that broke with {@code cause}.
   *
   * @param partial the message so far, or null when not even {@code message_start} arrived
   * @param usage the cumulative usage so far
   * @param cause why the stream broke
   * @param contentDelivered whether content had reached the caller
   * @throws NullPointerException if {@code usage} or {@code cause} is null
   */
  public StreamInterruptedException(MessageResponse partial, Usage usage, Throwable cause,
      boolean contentDelivered) {
    super(describe(usage, cause, contentDelivered), cause);
    this.partial = partial;
    this.usage = usage;
    this.contentDelivered = contentDelivered;
  }

  /** Returns the partial message the caller received (empty when none had started). */
  public Optional<MessageResponse> partial() {
    return Optional.ofNullable(partial);
  }

  /** Returns the cumulative usage reported before the interruption. */
  public Usage usage() {
    return usage;
  }

  /** Returns true when content had reached the caller before the interruption. */
  public boolean contentDelivered() {
    return contentDelivered;
  }

  private static String describe(Usage usage, Throwable cause, boolean contentDelivered) {
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(cause, "cause");
    return "stream interrupted " + (contentDelivered ? "after" : "before") + " content ("
        + usage.outputTokens() + " output tokens): " + cause.getClass().getSimpleName()
        + (cause.getMessage() != null ? ": " + cause.getMessage() : "");
  }

  /** An SSE {@code error} event as an exception, e.g. {@code overloaded_error: Overloaded}. */
  public static final class ApiErrorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient dev.switchboard.spi.ApiError error;

    /**
     * Returns an exception for {@code error}.
     *
     * @throws NullPointerException if {@code error} is null
     */
    public ApiErrorException(dev.switchboard.spi.ApiError error) {
      super(Objects.requireNonNull(error, "error").type() + ": " + error.message(), null, false,
          false);
      this.error = error;
    }

    /** Returns the error the server sent. */
    public dev.switchboard.spi.ApiError error() {
      return error;
    }
  }
}
