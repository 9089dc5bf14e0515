package dev.switchboard.spi;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Per-attempt settings the router hands a transport.
 *
 * @param timeout the whole attempt's budget, connect to last byte; for a stream, until the response
 *     headers arrive (the router then watches first-token and idle gaps itself)
 * @param readTimeout the longest gap between two reads of the body
 * @param betas {@code anthropic-beta} values to send
 * @param headers additional headers to send (never {@code x-api-key}; the transport sets that)
 */
public record AttemptOptions(Duration timeout, Duration readTimeout, List<String> betas,
    Map<String, String> headers) {

  /** 10 minutes overall, 60 seconds between reads, no betas, no extra headers. */
  public static final AttemptOptions DEFAULT =
      new AttemptOptions(Duration.ofMinutes(10), Duration.ofSeconds(60), List.of(), Map.of());

  /** Validates and copies. */
  public AttemptOptions {
    positive("timeout", timeout);
    positive("readTimeout", readTimeout);
    betas = List.copyOf(Objects.requireNonNull(betas, "betas"));
    headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
    for (String name : headers.keySet()) {
      if (name.equalsIgnoreCase("x-api-key") || name.equalsIgnoreCase("authorization")) {
        throw new IllegalArgumentException("header '" + name + "' is set by the transport from the key");
      }
    }
  }

  /** Returns these options with another timeout. */
  public AttemptOptions withTimeout(Duration timeout) {
    return new AttemptOptions(timeout, readTimeout, betas, headers);
  }

  /** Returns these options with another read timeout. */
  public AttemptOptions withReadTimeout(Duration readTimeout) {
    return new AttemptOptions(timeout, readTimeout, betas, headers);
  }

  /** Returns these options with another set of betas. */
  public AttemptOptions withBetas(List<String> betas) {
    return new AttemptOptions(timeout, readTimeout, betas, headers);
  }

  /** Returns these options with one more header. */
  public AttemptOptions withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new AttemptOptions(timeout, readTimeout, betas, h);
  }

  private static void positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive but was " + d);
    }
  }
}
