package dev.switchboard.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * One injected misbehaviour of the simulated API: an error status instead of the answer, added
 * latency, a stall, a reset connection, a broken stream, or an extra response header.
 *
 * <p>Faults are immutable values built by the static factories and narrowed by the {@code for*}
 * and {@link #times(int)} methods, each of which returns a new fault. Register one with
 * {@link Faults#add(Fault)} on a running simulator:
 *
 * <pre>{@code
 * Fault overload = Fault.overloaded().forModel("claude-opus-4-6").times(5);
 * sim.faults().add(overload);      // the next 5 opus-4-6 calls get 529
 * sim.faults().remove(overload);   // or end the window early
 * }</pre>
 *
 * <p>Faults apply only to {@code POST /v1/messages} calls that passed authentication and validation
 * (a revoked key still gets 401). Per request, every matching latency and header fault applies; of
 * the response faults (status, reset, stall) the first registered match wins, and likewise of the
 * stream faults, which only admitted streaming requests consume. Response faults act before the
 * rate limiter, so a faulted call takes no budget. A fault is a registration handle: two
 * faults are equal only if they are the same instance. Instances are immutable and thread-safe.
 */
public final class Fault {

  /** What a fault does. */
  enum Kind {
    LATENCY, HEADER, ERROR_RESPONSE, HTML_RESPONSE, RESET_BEFORE_HEADERS, STALL_BEFORE_HEADERS,
    STREAM_ERROR, STREAM_DISCONNECT, STREAM_STALL;

    /** Whether the fault replaces the answer before any header is written. */
    boolean replacesResponse() {
      return this == ERROR_RESPONSE || this == HTML_RESPONSE || this == RESET_BEFORE_HEADERS
          || this == STALL_BEFORE_HEADERS;
    }

    /** Whether the fault acts inside a 200 stream. */
    boolean isStream() {
      return this == STREAM_ERROR || this == STREAM_DISCONNECT || this == STREAM_STALL;
    }
  }

  private static final Duration UNSET = Duration.ZERO;

  final Kind kind;
  final int status;
  final String errorType;
  final String message;
  final String headerName;
  final String headerValue;
  final Duration minDelay;
  final Duration maxDelay;
  final int afterDeltas;
  final boolean pings;
  final String model;
  final String keyLabel;
  final String organization;
  final int times;

  private Fault(Kind kind, int status, String errorType, String message, String headerName,
      String headerValue, Duration minDelay, Duration maxDelay, int afterDeltas, boolean pings,
      String model, String keyLabel, String organization, int times) {
    this.kind = kind;
    this.status = status;
    this.errorType = errorType;
    this.message = message;
    this.headerName = headerName;
    this.headerValue = headerValue;
    this.minDelay = minDelay;
    this.maxDelay = maxDelay;
    this.afterDeltas = afterDeltas;
    this.pings = pings;
    this.model = model;
    this.keyLabel = keyLabel;
    this.organization = organization;
    this.times = times;
  }

  private static Fault of(Kind kind) {
    return new Fault(kind, 0, null, null, null, null, UNSET, UNSET, 0, false, null, null, null, -1);
  }

  private Fault with(int status, String errorType, String message) {
    return new Fault(kind, status, errorType, message, headerName, headerValue, minDelay, maxDelay,
        afterDeltas, pings, model, keyLabel, organization, times);
  }

  // ---------------------------------------------------------------- response faults

  /** Returns a 529 {@code overloaded_error} ("Overloaded") fault. */
  public static Fault overloaded() {
    return error(529, "overloaded_error", "Overloaded");
  }

  /** Returns a 500 {@code api_error} ("Internal server error") fault. */
  public static Fault apiError() {
    return error(500, "api_error", "Internal server error");
  }

  /** Returns a 504 {@code timeout_error} fault. */
  public static Fault gatewayTimeout() {
    return error(504, "timeout_error", "Request timed out");
  }

  /**
   * Returns a 429 {@code rate_limit_error} fault with {@code retry-after} set to the whole seconds
   * of {@code retryAfter} (rounded up), whatever the simulated buckets say.
   *
   * @throws IllegalArgumentException if {@code retryAfter} is negative
   */
  public static Fault rateLimited(Duration retryAfter) {
    Objects.requireNonNull(retryAfter, "retryAfter");
    if (retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter must be >= 0 but was " + retryAfter);
    }
    long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
    Fault f = error(429, "rate_limit_error",
        "This request would exceed your organization's rate limit. Please try again later.");
    return new Fault(f.kind, f.status, f.errorType, f.message, "retry-after", Long.toString(seconds),
        UNSET, UNSET, 0, false, null, null, null, -1);
  }

  /** Returns a 502 fault whose body is a proxy's HTML page, not API JSON. */
  public static Fault badGateway() {
    return of(Kind.HTML_RESPONSE).with(502, null, "Bad Gateway");
  }

  /**
   * Returns a fault answering {@code status} with an API-shaped JSON error body.
   *
   * @throws IllegalArgumentException if {@code status} is not in 400–599 or a text is blank
   */
  public static Fault error(int status, String errorType, String message) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be in 400..599 but was " + status);
    }
    requireText("errorType", errorType);
    Objects.requireNonNull(message, "message");
    return of(Kind.ERROR_RESPONSE).with(status, errorType, message);
  }

  /** Returns a fault that closes the connection with a TCP reset before any response byte. */
  public static Fault resetBeforeHeaders() {
    return of(Kind.RESET_BEFORE_HEADERS);
  }

  /**
   * Returns a fault that holds the response for {@code stall} (real time) before any byte, then
   * answers normally, unless the client gave up (recorded as a disconnect).
   *
   * @throws IllegalArgumentException if {@code stall} is negative
   */
  public static Fault stallBeforeHeaders(Duration stall) {
    nonNegative("stall", stall);
    return new Fault(Kind.STALL_BEFORE_HEADERS, 0, null, null, null, null, stall, stall, 0, false,
        null, null, null, -1);
  }

  // ---------------------------------------------------------------- additive faults

  /**
   * Returns a fault adding {@code delay} (real time) before the response headers of any answer.
   *
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  public static Fault latency(Duration delay) {
    return latency(delay, delay);
  }

  /**
   * Returns a fault adding a delay drawn uniformly from {@code [min, max]} before the headers.
   *
   * @throws IllegalArgumentException if a bound is negative or {@code max < min}
   */
  public static Fault latency(Duration min, Duration max) {
    nonNegative("min", min);
    nonNegative("max", max);
    if (max.compareTo(min) < 0) {
      throw new IllegalArgumentException("max must be >= min (" + min + ") but was " + max);
    }
    return new Fault(Kind.LATENCY, 0, null, null, null, null, min, max, 0, false, null, null, null,
        -1);
  }

  /** Returns a fault adding {@code x-should-retry: true|false} to the response. */
  public static Fault shouldRetry(boolean retry) {
    return header("x-should-retry", Boolean.toString(retry));
  }

  /**
   * Returns a fault adding one header to the response (replacing one the simulator would send).
   *
   * @throws IllegalArgumentException if the name is blank, a framing header ({@code content-type},
   *     {@code content-length}, {@code transfer-encoding}, {@code connection}), or either text
   *     holds a line break
   */
  public static Fault header(String name, String value) {
    requireText("name", name);
    Objects.requireNonNull(value, "value");
    if (name.contains("\n") || name.contains("\r") || value.contains("\n") || value.contains("\r")
        || name.contains(":")) {
      throw new IllegalArgumentException("header '" + name + "' must be one line without ':' in the name");
    }
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("content-type") || lower.equals("content-length")
        || lower.equals("transfer-encoding") || lower.equals("connection")) {
      throw new IllegalArgumentException("header '" + name + "' is framing, set by the simulator");
    }
    return new Fault(Kind.HEADER, 0, null, null, name.toLowerCase(java.util.Locale.ROOT), value,
        UNSET, UNSET, 0, false, null, null, null, -1);
  }

  // ---------------------------------------------------------------- stream faults

  /** Returns a stream fault sending {@code event: error} ({@code overloaded_error}) after K deltas. */
  public static Fault streamError(int afterDeltas) {
    return streamError(afterDeltas, "overloaded_error", "Overloaded");
  }

  /**
   * Returns a stream fault sending an {@code event: error} of the given type after
   * {@code afterDeltas} {@code content_block_delta} events, then ending the stream (no
   * {@code message_stop}).
   *
   * @throws IllegalArgumentException if {@code afterDeltas < 0} or the type is blank
   */
  public static Fault streamError(int afterDeltas, String errorType, String message) {
    nonNegative("afterDeltas", afterDeltas);
    requireText("errorType", errorType);
    Objects.requireNonNull(message, "message");
    return new Fault(Kind.STREAM_ERROR, 200, errorType, message, null, null, UNSET, UNSET,
        afterDeltas, false, null, null, null, -1);
  }

  /**
   * Returns a stream fault that closes the connection abruptly (no error event, no final chunk)
   * after {@code afterDeltas} deltas.
   *
   * @throws IllegalArgumentException if {@code afterDeltas < 0}
   */
  public static Fault streamDisconnect(int afterDeltas) {
    nonNegative("afterDeltas", afterDeltas);
    return new Fault(Kind.STREAM_DISCONNECT, 200, null, null, null, null, UNSET, UNSET, afterDeltas,
        false, null, null, null, -1);
  }

  /**
   * Returns a stream fault that pauses for {@code stall} (real time) after {@code afterDeltas}
   * deltas, sending {@code ping} events meanwhile when {@code pings} is true, then finishes the
   * stream normally.
   *
   * @throws IllegalArgumentException if {@code afterDeltas < 0} or {@code stall} is negative
   */
  public static Fault streamStall(int afterDeltas, Duration stall, boolean pings) {
    nonNegative("afterDeltas", afterDeltas);
    nonNegative("stall", stall);
    return new Fault(Kind.STREAM_STALL, 200, null, null, null, null, stall, stall, afterDeltas, pings,
        null, null, null, -1);
  }

  // ---------------------------------------------------------------- narrowing

  /** Returns this fault restricted to requests for {@code model} (an exact model id). */
  public Fault forModel(String model) {
    requireText("model", model);
    return new Fault(kind, status, errorType, message, headerName, headerValue, minDelay, maxDelay,
        afterDeltas, pings, model, keyLabel, organization, times);
  }

  /** Returns this fault restricted to requests made with the key labelled {@code keyLabel}. */
  public Fault forKey(String keyLabel) {
    requireText("keyLabel", keyLabel);
    return new Fault(kind, status, errorType, message, headerName, headerValue, minDelay, maxDelay,
        afterDeltas, pings, model, keyLabel, organization, times);
  }

  /** Returns this fault restricted to requests from keys of {@code organization}. */
  public Fault forOrganization(String organization) {
    requireText("organization", organization);
    return new Fault(kind, status, errorType, message, headerName, headerValue, minDelay, maxDelay,
        afterDeltas, pings, model, keyLabel, organization, times);
  }

  /**
   * Returns this fault limited to its next {@code n} applications; without it a fault applies
   * until removed.
   *
   * @throws IllegalArgumentException if {@code n < 1}
   */
  public Fault times(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("times must be >= 1 but was " + n);
    }
    return new Fault(kind, status, errorType, message, headerName, headerValue, minDelay, maxDelay,
        afterDeltas, pings, model, keyLabel, organization, n);
  }

  /** Returns whether this fault targets a request with these attributes. */
  boolean matches(String model, String keyLabel, String organization, boolean stream) {
    if (kind.isStream() && !stream) {
      return false;
    }
    return (this.model == null || this.model.equals(model))
        && (this.keyLabel == null || this.keyLabel.equals(keyLabel))
        && (this.organization == null || this.organization.equals(organization));
  }

  /** Returns a short name for the request log, e.g. {@code "529 overloaded_error"}. */
  String label() {
    return switch (kind) {
      case ERROR_RESPONSE -> status + " " + errorType;
      case HTML_RESPONSE -> status + " html";
      case RESET_BEFORE_HEADERS -> "reset before headers";
      case STALL_BEFORE_HEADERS -> "stall " + minDelay.toMillis() + "ms before headers";
      case LATENCY -> "latency";
      case HEADER -> "header " + headerName + ": " + headerValue;
      case STREAM_ERROR -> "stream error " + errorType + " after " + afterDeltas;
      case STREAM_DISCONNECT -> "stream disconnect after " + afterDeltas;
      case STREAM_STALL -> "stream stall after " + afterDeltas + (pings ? " with pings" : "");
    };
  }

  /** Returns e.g. {@code Fault[529 overloaded_error, model=claude-opus-4-6, times=5]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Fault[").append(label());
    if (kind == Kind.LATENCY || kind == Kind.STALL_BEFORE_HEADERS || kind == Kind.STREAM_STALL) {
      sb.append(", delay=").append(minDelay);
      if (!maxDelay.equals(minDelay)) {
        sb.append("..").append(maxDelay);
      }
    }
    if (model != null) {
      sb.append(", model=").append(model);
    }
    if (keyLabel != null) {
      sb.append(", key=").append(keyLabel);
    }
    if (organization != null) {
      sb.append(", organization=").append(organization);
    }
    if (times > 0) {
      sb.append(", times=").append(times);
    }
    return sb.append(']').toString();
  }

  private static void requireText(String name, String value) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }

  private static void nonNegative(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must be >= 0 but was " + d);
    }
  }

  private static void nonNegative(String name, int n) {
    if (n < 0) {
      throw new IllegalArgumentException(name + " must be >= 0 but was " + n);
    }
  }
}
