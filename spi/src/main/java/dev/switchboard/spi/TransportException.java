package dev.switchboard.spi;

import java.util.Objects;

/**
 * A failure in which no complete response arrived: the connection could not be made, timed out,
 * was reset, or a stream ended before {@code message_stop}. Every such failure has a
 * {@link Kind} the router acts on. Messages never contain API keys.
 */
public final class TransportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why no complete response arrived. */
  public enum Kind {
    /** The connection could not be established (refused, DNS, TLS). Nothing was sent. */
    CONNECT,
    /** The attempt's time ran out (connect, read, first byte, idle or whole-call timeout). */
    TIMEOUT,
    /** The connection broke before the response headers (reset, unexpected end of stream). */
    RESET,
    /** A stream started (200) but its body ended or broke before {@code message_stop}. */
    INCOMPLETE_STREAM,
    /** The caller cancelled the attempt. */
    CANCELLED,
    /** Any other I/O failure. */
    IO
  }

  private final Kind kind;

  public TransportException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public TransportException(Kind kind, String message) {
    this(kind, message, null);
  }

  /** Returns why no complete response arrived. */
  public Kind kind() {
    return kind;
  }

  @Override
  public String toString() {
    return "TransportException[" + kind + "]: " + getMessage();
  }
}
