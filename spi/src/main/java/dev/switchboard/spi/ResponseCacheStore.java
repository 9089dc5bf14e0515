package dev.switchboard.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * Successful, complete responses by cache key (a digest of the canonical request, scoped by the
 * router; never a secret). Entries live {@code ttl}, then stay {@code staleFor} longer as stale
 * answers for degraded results. Implementations bound their size and must be thread-safe.
 */
public interface ResponseCacheStore {

  /** Returns the entry for {@code key}: fresh, or stale only when {@code allowStale}. */
  Optional<CachedResponse> get(String key, boolean allowStale);

  /** Stores {@code response} under {@code key}. */
  void put(String key, MessageResponse response, Duration ttl, Duration staleFor);

  /** Removes the entry for {@code key}. */
  void invalidate(String key);
}
