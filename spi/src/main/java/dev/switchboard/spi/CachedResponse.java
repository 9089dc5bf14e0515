package dev.switchboard.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * A response found in the response cache.
 *
 * @param response the stored response
 * @param age how long ago it was stored
 * @param fresh false when it outlived its time-to-live and is only kept as a degraded fallback
 */
public record CachedResponse(MessageResponse response, Duration age, boolean fresh) {
  public CachedResponse {
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(age, "age");
  }
}
