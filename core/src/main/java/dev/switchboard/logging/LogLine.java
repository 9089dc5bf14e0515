package dev.switchboard.logging;

import dev.switchboard.cache.JsonQuote;
import java.time.Duration;

/**
 * Builds one structured log line: {@code event=<name>} followed by {@code key=value} pairs in the
 * order they are added, separated by single spaces.
 *
 * <p>A value is written bare when it is non-empty and made only of letters, digits and
 * {@code . _ : / @ + -}; otherwise it is put in double quotes with {@code "} and {@code \} escaped,
 * tab, line feed and carriage return written as {@code \t \n \r}, and every other control,
 * format or line/paragraph-separator character as {@code \}{@code uXXXX}, so one line always stays
 * one line and cannot be forged into two. A null value is written as a bare {@code -} (and the
 * string {@code "-"} is quoted, so the two differ). Before any of that, every {@code sk-ant-}
 * token (case-insensitive) in a value is replaced by {@value #MASK}.
 *
 * <p>Not thread-safe: one instance builds one line.
 */
final class LogLine {
  /** What a secret-looking token is replaced by. */
  static final String MASK = "sk-ant-***";

  private static final String SECRET_PREFIX = "sk-ant-";

  private final StringBuilder sb = new StringBuilder(128);

  private LogLine(String event) {
    sb.append("event=").append(event);
  }

  /** Returns a line starting with {@code event=<event>}; {@code event} must be a bare word. */
  static LogLine event(String event) {
    return new LogLine(event);
  }

  /** Appends {@code key=value}, quoting, escaping and masking the value as needed. */
  LogLine add(String key, String value) {
    key(key);
    appendValue(sb, value);
    return this;
  }

  /** Appends {@code key=value}. */
  LogLine add(String key, long value) {
    key(key).append(value);
    return this;
  }

  /** Appends {@code key=true} or {@code key=false}. */
  LogLine add(String key, boolean value) {
    key(key).append(value);
    return this;
  }

  /** Appends {@code key=<name>} of an enum constant, or {@code key=-} for null. */
  LogLine add(String key, Enum<?> value) {
    key(key).append(value == null ? "-" : value.name());
    return this;
  }

  /** Appends {@code nanos} as milliseconds with three decimals (1234567 ns is {@code 1.234}). */
  LogLine millis(String key, long nanos) {
    key(key);
    appendMillis(sb, nanos);
    return this;
  }

  /** Appends {@code duration} as milliseconds with three decimals, or {@code -} for null. */
  LogLine millis(String key, Duration duration) {
    if (duration == null) {
      key(key).append('-');
      return this;
    }
    long nanos;
    try {
      nanos = duration.toNanos();
    } catch (ArithmeticException tooLong) {
      nanos = duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return millis(key, nanos);
  }

  @Override
  public String toString() {
    return sb.toString();
  }

  private StringBuilder key(String key) {
    return sb.append(' ').append(key).append('=');
  }

  static void appendMillis(StringBuilder sb, long nanos) {
    if (nanos < 0) {
      sb.append('-');
      nanos = nanos == Long.MIN_VALUE ? Long.MAX_VALUE : -nanos;
    }
    long micros = (nanos % 1_000_000L) / 1_000L;
    sb.append(nanos / 1_000_000L).append('.');
    if (micros < 100) {
      sb.append('0');
    }
    if (micros < 10) {
      sb.append('0');
    }
    sb.append(micros);
  }

  static void appendValue(StringBuilder sb, String raw) {
    if (raw == null) {
      sb.append('-');
      return;
    }
    String value = mask(raw);
    if (isBare(value)) {
      sb.append(value);
      return;
    }
    JsonQuote.append(sb, value, JsonQuote.Escape.UNICODE_CONTROLS);
  }

  /** Returns {@code value} with every {@code sk-ant-} token replaced by {@link #MASK}. */
  static String mask(String value) {
    int at = indexOfSecret(value, 0);
    if (at < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length());
    int from = 0;
    while (at >= 0) {
      out.append(value, from, at).append(MASK);
      int end = at + SECRET_PREFIX.length();
      while (end < value.length() && isTokenChar(value.charAt(end))) {
        end++;
      }
      from = end;
      at = indexOfSecret(value, from);
    }
    return out.append(value, from, value.length()).toString();
  }

  private static int indexOfSecret(String value, int from) {
    int last = value.length() - SECRET_PREFIX.length();
    for (int i = from; i <= last; i++) {
      char c = value.charAt(i);
      if ((c == 's' || c == 'S')
          && value.regionMatches(true, i, SECRET_PREFIX, 0, SECRET_PREFIX.length())) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '_';
  }

  private static boolean isBare(String value) {
    if (value.isEmpty() || value.equals("-")) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == ':' || c == '/' || c == '@' || c == '+' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

}
