/**
 * The response cache's building blocks: which calls may be cached, under which key, and how
 * concurrent identical calls share one provider call.
 *
 * <p>Start with {@link dev.switchboard.cache.CachePolicy} (is this request cacheable, is this
 * response storable, in which scope), then {@link dev.switchboard.cache.CacheKeys} (the canonical,
 * tenant-scoped SHA-256 key of a request, handed to a
 * {@link dev.switchboard.spi.ResponseCacheStore}), then {@link dev.switchboard.cache.SingleFlight}
 * (concurrent misses for one key make one call). A cache must never serve one tenant's answer to
 * another: keys are tenant-scoped unless a shared scope is configured on purpose.
 */
package dev.switchboard.cache;
