package dev.switchboard.okhttp;

import dev.switchboard.spi.ApiKey;
import dev.switchboard.spi.TransportException;
import dev.switchboard.spi.TransportException.Kind;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Turns the exceptions OkHttp reports into {@link TransportException}s of the right
 * {@link Kind}, with messages that name the key by alias and fingerprint only. Stateless.
 */
final class Failures {
  private Failures() {}

  /**
   * Returns the kind of a failure before the response headers.
   *
   * @param cancelled true when this transport (the caller, or {@code close()}) cancelled the call
   * @param timedOut true when one of this transport's own timers fired
   */
  static Kind beforeHeaders(IOException e, boolean cancelled, boolean timedOut) {
    if (timedOut) {
      return Kind.TIMEOUT;
    }
    if (cancelled) {
      return Kind.CANCELLED;
    }
    if (e instanceof ConnectException || e instanceof UnknownHostException
        || e instanceof NoRouteToHostException || e instanceof SSLHandshakeException) {
      return Kind.CONNECT;
    }
    if (e instanceof InterruptedIOException) {
      return Kind.TIMEOUT;
    }
    if (isReset(e)) {
      return Kind.RESET;
    }
    return Kind.IO;
  }

  /** Returns true for a connection that broke: reset, broken pipe, unexpected end of stream. */
  static boolean isReset(IOException e) {
    if (e instanceof SocketException || e instanceof EOFException) {
      return true;
    }
    String message = e.getMessage();
    if (message != null && (message.startsWith("unexpected end of stream")
        || message.contains("Connection reset") || message.contains("stream was reset"))) {
      return true;
    }
    Throwable cause = e.getCause();
    return cause instanceof IOException io && cause != e && isReset(io);
  }

  /** Returns an exception for {@code what} (e.g. "POST /v1/messages") that never shows the key. */
  static TransportException of(Kind kind, String what, ApiKey key, String detail, Throwable cause) {
    String message = what + " with key " + key + " failed (" + kind + "): " + detail;
    String secret = key.reveal();
    message = message.replace(secret, "***");
    Throwable safeCause = cause == null || leaks(cause, secret) ? null : cause;
    return new TransportException(kind, message, safeCause);
  }

  /** Returns a short description of an exception: its simple class name and message. */
  static String describe(Throwable e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null || m.isEmpty() ? "" : ": " + m);
  }

  private static boolean leaks(Throwable t, String secret) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (String.valueOf(c.getMessage()).contains(secret)) {
        return true;
      }
    }
    return false;
  }
}
