package dev.switchboard.cache;

/**
 * Writes a string as a double-quoted JSON string: {@code "}, {@code \}, newline, carriage return
 * and tab get their short escapes, and the characters the chosen {@link Escape} names are written
 * as {@code \}{@code uXXXX} (lower-case hex). One helper for the cache keys and the log lines, so
 * both quote alike. Stateless and thread-safe.
 */
public final class JsonQuote {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** Which characters, beyond the short escapes, are written as {@code \}{@code uXXXX}. */
  public enum Escape {
    /** Below U+0020, and surrogates (a lone one would become '?' in UTF-8): for cache keys. */
    CONTROLS_AND_SURROGATES,
    /** Unicode control, format, line and paragraph separator characters: for one-line logs. */
    UNICODE_CONTROLS
  }

  private JsonQuote() {}

  /** Appends {@code s} to {@code sb} in double quotes, escaped as {@code escape} says. */
  public static void append(StringBuilder sb, String s, Escape escape) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (escape == Escape.CONTROLS_AND_SURROGATES ? c < 0x20 || Character.isSurrogate(c)
              : isUnicodeControl(c)) {
            sb.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static boolean isUnicodeControl(char c) {
    int type = Character.getType(c);
    return type == Character.CONTROL || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
  }
}
