package dev.switchboard.state;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.switchboard.spi.CachedResponse;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.ResponseCacheStore;
import dev.switchboard.spi.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * In-process response cache on Caffeine, bounded by
 * {@link dev.switchboard.spi.StateStoreConfig#maximumCachedResponses()}. Each entry expires from
 * the cache {@code ttl + staleFor} after it was written (by the store's ticker); in between, it is
 * served only to callers that allow stale answers.
 */
final class LocalResponseCacheStore implements ResponseCacheStore {
  private final Ticker ticker;
  private final Cache<String, Entry> entries;

  LocalResponseCacheStore(Ticker ticker, long maximumSize) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.entries = Caffeine.newBuilder()
        .maximumSize(maximumSize)
        .expireAfter(new Expiry<String, Entry>() {
          @Override
          public long expireAfterCreate(String key, Entry entry, long currentTime) {
            return Math.max(0, entry.staleUntil - currentTime);
          }

          @Override
          public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
            return Math.max(0, entry.staleUntil - currentTime);
          }

          @Override
          public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
            return currentDuration;
          }
        })
        .ticker(ticker::read)
        .executor(Runnable::run)
        .build();
  }

  @Override
  public Optional<CachedResponse> get(String key, boolean allowStale) {
    Objects.requireNonNull(key, "key");
    Entry e = entries.getIfPresent(key);
    if (e == null) {
      return Optional.empty();
    }
    long now = ticker.read();
    Duration age = Duration.ofNanos(Math.max(0, now - e.storedAt));
    if (now - e.freshUntil < 0) {
      return Optional.of(new CachedResponse(e.response, age, true));
    }
    if (allowStale && now - e.staleUntil < 0) {
      return Optional.of(new CachedResponse(e.response, age, false));
    }
    return Optional.empty();
  }

  @Override
  public void put(String key, MessageResponse response, Duration ttl, Duration staleFor) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(response, "response");
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(staleFor, "staleFor");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must be >= 0 but was " + ttl);
    }
    if (staleFor.isNegative()) {
      throw new IllegalArgumentException("staleFor must be >= 0 but was " + staleFor);
    }
    long now = ticker.read();
    long freshUntil = LocalHealthStore.saturatedAdd(now, LocalHealthStore.saturatedNanos(ttl));
    long staleUntil = LocalHealthStore.saturatedAdd(freshUntil,
        LocalHealthStore.saturatedNanos(staleFor));
    if (staleUntil == now) {
      entries.invalidate(key);
      return;
    }
    entries.put(key, new Entry(response, now, freshUntil, staleUntil));
  }

  @Override
  public void invalidate(String key) {
    Objects.requireNonNull(key, "key");
    entries.invalidate(key);
  }

  /** Returns the number of entries held now, after pending maintenance; for tests. */
  long size() {
    entries.cleanUp();
    return entries.estimatedSize();
  }

  void clear() {
    entries.invalidateAll();
    entries.cleanUp();
  }

  private record Entry(MessageResponse response, long storedAt, long freshUntil, long staleUntil) {}
}
