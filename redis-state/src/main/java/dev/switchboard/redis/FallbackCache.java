package dev.switchboard.redis;

import dev.switchboard.spi.CachedResponse;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.ResponseCacheStore;
import dev.switchboard.spi.Ticker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * Responses cached in memory while Redis is unreachable: least recently used first out beyond
 * {@code maximumSize}, fresh for the ttl and then stale for {@code staleFor}, by the store's ticker.
 * Guarded by its own monitor (only used during outages).
 */
final class FallbackCache implements ResponseCacheStore {
  private final Ticker ticker;
  private final long maximumSize;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

  FallbackCache(Ticker ticker, long maximumSize) {
    this.ticker = ticker;
    this.maximumSize = maximumSize;
  }

  @Override
  public synchronized Optional<CachedResponse> get(String key, boolean allowStale) {
    Entry e = entries.get(key);
    if (e == null) {
      return Optional.empty();
    }
    long now = ticker.read();
    if (now - e.staleUntil >= 0) {
      entries.remove(key);
      return Optional.empty();
    }
    boolean fresh = now - e.freshUntil < 0;
    if (!fresh && !allowStale) {
      return Optional.empty();
    }
    return Optional.of(new CachedResponse(e.response, Duration.ofNanos(Math.max(0, now - e.storedAt)), fresh));
  }

  @Override
  public void put(String key, MessageResponse response, Duration ttl, Duration staleFor) {
    put(key, response, Durations.nanos(ttl), Durations.nanos(staleFor));
  }

  synchronized void put(String key, MessageResponse response, long ttlNanos, long staleNanos) {
    if (maximumSize == 0 || ttlNanos + staleNanos <= 0) {
      entries.remove(key);
      return;
    }
    long now = ticker.read();
    entries.put(key, new Entry(response, now, now + ttlNanos, now + ttlNanos + staleNanos));
    var it = entries.entrySet().iterator();
    while (entries.size() > maximumSize && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  @Override
  public synchronized void invalidate(String key) {
    entries.remove(key);
  }

  synchronized void clear() {
    entries.clear();
  }

  synchronized int size() {
    return entries.size();
  }

  private record Entry(MessageResponse response, long storedAt, long freshUntil, long staleUntil) {}

  @Override
  public String toString() {
    synchronized (this) {
      return "FallbackCache[" + entries.size() + " of " + maximumSize + "]";
    }
  }
}
