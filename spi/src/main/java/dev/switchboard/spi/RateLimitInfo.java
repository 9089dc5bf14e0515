package dev.switchboard.spi;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The rate-limit facts of one response, parsed defensively from its headers: {@code retry-after},
 * {@code retry-after-ms}, {@code x-should-retry} and every {@code anthropic-ratelimit-*} window.
 *
 * <p>Parsing never throws. A header that cannot be parsed is treated as absent (and, for
 * {@code retry-after}, reported by {@link #retryAfterMalformed()}); a negative delay or a date in
 * the past is a delay of zero; a delay above {@link #MAX_RETRY_AFTER} is clamped to it (and
 * reported by {@link #retryAfterClamped()}) — the router caps it further by the call's deadline.
 * Instances are immutable.
 */
public final class RateLimitInfo {
  /** The longest delay a response can ask for; longer values are clamped to this. */
  public static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);

  /** No headers at all. */
  public static final RateLimitInfo NONE =
      new RateLimitInfo(Window.ABSENT, Window.ABSENT, Window.ABSENT, Window.ABSENT, null, null, false,
          false, null);

  /**
   * One rate-limit window: limit, remaining and the time it is fully replenished.
   *
   * @param limit {@code *-limit}, or -1 when absent
   * @param remaining {@code *-remaining} (token windows are rounded to thousands by the API), or -1
   * @param reset {@code *-reset} as an instant, or null when absent or unparseable
   */
  public record Window(long limit, long remaining, Instant reset) {
    /** A window whose headers were all absent. */
    public static final Window ABSENT = new Window(-1, -1, null);

    /** Returns true when at least one of the three headers was present and parsed. */
    public boolean present() {
      return limit >= 0 || remaining >= 0 || reset != null;
    }
  }

  private final Window requests;
  private final Window tokens;
  private final Window inputTokens;
  private final Window outputTokens;
  private final Duration retryAfter;
  private final String retryAfterRaw;
  private final boolean retryAfterMalformed;
  private final boolean retryAfterClamped;
  private final Boolean shouldRetry;

  private RateLimitInfo(Window requests, Window tokens, Window inputTokens, Window outputTokens,
      Duration retryAfter, String retryAfterRaw, boolean malformed, boolean clamped,
      Boolean shouldRetry) {
    this.requests = requests;
    this.tokens = tokens;
    this.inputTokens = inputTokens;
    this.outputTokens = outputTokens;
    this.retryAfter = retryAfter;
    this.retryAfterRaw = retryAfterRaw;
    this.retryAfterMalformed = malformed;
    this.retryAfterClamped = clamped;
    this.shouldRetry = shouldRetry;
  }

  /**
   * Returns the facts read from a response's headers.
   *
   * @param header looks a header up by lower-case name, case-insensitively; returns null when
   *     absent (for a repeated header, its first value)
   * @param now the wall-clock time the response arrived, against which an HTTP-date
   *     {@code retry-after} is measured
   */
  public static RateLimitInfo parse(Function<String, String> header, Instant now) {
    Window requests = window(header, "requests");
    Window tokens = window(header, "tokens");
    Window input = window(header, "input-tokens");
    Window output = window(header, "output-tokens");

    String ms = trimToNull(header.apply("retry-after-ms"));
    String seconds = trimToNull(header.apply("retry-after"));
    Duration delay = null;
    String raw = null;
    boolean malformed = false;
    if (ms != null) {
      raw = "retry-after-ms: " + ms;
      delay = parseNumber(ms, 1_000_000.0);
      malformed = delay == null;
    }
    if (delay == null && seconds != null) {
      raw = raw == null ? "retry-after: " + seconds : raw + ", retry-after: " + seconds;
      delay = parseNumber(seconds, 1_000_000_000.0);
      if (delay == null) {
        delay = parseHttpDate(seconds, now);
      }
      malformed = delay == null;
    }
    boolean clamped = false;
    if (delay != null && delay.compareTo(MAX_RETRY_AFTER) > 0) {
      delay = MAX_RETRY_AFTER;
      clamped = true;
    }

    String should = trimToNull(header.apply("x-should-retry"));
    Boolean shouldRetry = null;
    if ("true".equalsIgnoreCase(should)) {
      shouldRetry = Boolean.TRUE;
    } else if ("false".equalsIgnoreCase(should)) {
      shouldRetry = Boolean.FALSE;
    }
    if (!requests.present() && !tokens.present() && !input.present() && !output.present()
        && raw == null && shouldRetry == null) {
      return NONE;
    }
    return new RateLimitInfo(requests, tokens, input, output, delay, raw, malformed, clamped,
        shouldRetry);
  }

  /** Returns {@code anthropic-ratelimit-requests-*}. */
  public Window requests() { return requests; }

  /** Returns {@code anthropic-ratelimit-tokens-*} (the most restrictive token limit). */
  public Window tokens() { return tokens; }

  /** Returns {@code anthropic-ratelimit-input-tokens-*}. */
  public Window inputTokens() { return inputTokens; }

  /** Returns {@code anthropic-ratelimit-output-tokens-*}. */
  public Window outputTokens() { return outputTokens; }

  /**
   * Returns the delay the server asked for: {@code retry-after-ms} when valid, else
   * {@code retry-after} as seconds or as an HTTP date; never negative, at most
   * {@link #MAX_RETRY_AFTER}; empty when absent or unparseable.
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** Returns the raw retry-after header(s) for diagnostics, or null when there were none. */
  public String retryAfterRaw() { return retryAfterRaw; }

  /** Returns true when a retry-after header was present but could not be parsed. */
  public boolean retryAfterMalformed() { return retryAfterMalformed; }

  /** Returns true when the delay asked for exceeded {@link #MAX_RETRY_AFTER} and was clamped. */
  public boolean retryAfterClamped() { return retryAfterClamped; }

  /** Returns {@code x-should-retry}: TRUE, FALSE, or empty when absent or not a boolean. */
  public Optional<Boolean> shouldRetry() {
    return Optional.ofNullable(shouldRetry);
  }

  @Override
  public String toString() {
    return "RateLimitInfo[requests=" + requests + ", tokens=" + tokens + ", input=" + inputTokens
        + ", output=" + outputTokens + ", retryAfter=" + retryAfter
        + (retryAfterMalformed ? " (malformed: " + retryAfterRaw + ")" : "")
        + (retryAfterClamped ? " (clamped)" : "")
        + ", shouldRetry=" + shouldRetry + "]";
  }

  private static Window window(Function<String, String> header, String name) {
    String prefix = "anthropic-ratelimit-" + name + "-";
    long limit = parseCount(header.apply(prefix + "limit"));
    long remaining = parseCount(header.apply(prefix + "remaining"));
    Instant reset = parseInstant(header.apply(prefix + "reset"));
    if (limit < 0 && remaining < 0 && reset == null) {
      return Window.ABSENT;
    }
    return new Window(limit, remaining, reset);
  }

  static long parseCount(String value) {
    String v = trimToNull(value);
    if (v == null) {
      return -1;
    }
    try {
      long n = Long.parseLong(v);
      return n < 0 ? 0 : n;
    } catch (NumberFormatException e) {
      try {
        double d = Double.parseDouble(v);
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          return -1;
        }
        return d < 0 ? 0 : (long) Math.min(d, Long.MAX_VALUE);
      } catch (NumberFormatException e2) {
        return -1;
      }
    }
  }

  /** Parses an RFC 3339 timestamp leniently ({@code Z} or an offset); null when garbage. */
  static Instant parseInstant(String value) {
    String v = trimToNull(value);
    if (v == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(v);
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  private static Duration parseNumber(String v, double nanosPerUnit) {
    double d;
    try {
      d = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return null;
    }
    if (Double.isNaN(d) || Double.isInfinite(d) || v.endsWith("d") || v.endsWith("D")
        || v.endsWith("f") || v.endsWith("F")) {
      return null;
    }
    if (d <= 0) {
      return Duration.ZERO;
    }
    double nanos = d * nanosPerUnit;
    if (nanos > (double) MAX_RETRY_AFTER.toNanos()) {
      return MAX_RETRY_AFTER.plusNanos(1);
    }
    return Duration.ofNanos((long) Math.ceil(nanos));
  }

  private static Duration parseHttpDate(String v, Instant now) {
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT))
          .toInstant();
      Duration d = Duration.between(now, at);
      return d.isNegative() ? Duration.ZERO : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String trimToNull(String s) {
    if (s == null) {
      return null;
    }
    String t = s.strip();
    return t.isEmpty() ? null : t;
  }
}
