package dev.switchboard.testkit;

import dev.switchboard.spi.Ticker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per (organization × model pool): requests, input tokens and output tokens, each of
 * capacity {@code L} refilled continuously at {@code L/60} per second from the ticker; plus one
 * request bucket per organization for count_tokens. Admission takes all three dimensions
 * atomically. Thread-safe: each pool locks itself.
 */
final class RateLimiter {

  /** Per-minute limits of one pool. */
  record Limits(long rpm, long itpm, long otpm) {}

  /** One continuous token bucket. Guarded by its pool's lock. */
  static final class Bucket {
    long capacity;
    double level;
    long last;

    Bucket(long capacity, long now) {
      this.capacity = capacity;
      this.level = capacity;
      this.last = now;
    }

    void refill(long now) {
      long elapsed = now - last;
      if (elapsed > 0) {
        level = Math.min(capacity, level + elapsed * (capacity / 60e9));
        last = now;
      }
    }

    /** Seconds until {@code need} fits, rounded up, at least 1. */
    long secondsUntil(double need) {
      double deficit = need - level;
      return Math.max(1, (long) Math.ceil(deficit * 60.0 / capacity - 1e-9));
    }

    /** Nanoseconds until the bucket is full again. */
    long nanosToFull() {
      return level >= capacity ? 0 : (long) Math.ceil((capacity - level) * 60e9 / capacity);
    }

    void resize(long newCapacity) {
      capacity = newCapacity;
      level = Math.min(level, newCapacity);
    }
  }

  /** The state of one dimension, for the response headers. */
  record Dimension(long limit, double level, long nanosToFull) {}

  /** The state of a pool: requests, input and output tokens. */
  record Snapshot(Dimension requests, Dimension input, Dimension output) {}

  /** The answer of an admission: ok, or which limiter refused and for how long. */
  record Admission(boolean admitted, String limiter, long limit, long retryAfterSeconds) {
    static final Admission OK = new Admission(true, null, 0, 0);
  }

  /** The three buckets of one organization × pool. */
  static final class Pool {
    final Bucket requests;
    final Bucket input;
    final Bucket output;

    Pool(Limits l, long now) {
      requests = new Bucket(l.rpm(), now);
      input = new Bucket(l.itpm(), now);
      output = new Bucket(l.otpm(), now);
    }

    private void refill(long now) {
      requests.refill(now);
      input.refill(now);
      output.refill(now);
    }

    /** Takes 1 request, {@code inputTokens} and {@code outputNeed} at once, or nothing. */
    synchronized Admission tryAdmit(long now, long inputTokens, long outputNeed, boolean reserve) {
      refill(now);
      String limiter = null;
      long limit = 0;
      long wait = 0;
      if (requests.level < 1) {
        limiter = "requests";
        limit = requests.capacity;
        wait = requests.secondsUntil(1);
      }
      if (input.level < inputTokens) {
        if (limiter == null) {
          limiter = "input tokens";
          limit = input.capacity;
        }
        wait = Math.max(wait, input.secondsUntil(inputTokens));
      }
      if (output.level < outputNeed) {
        if (limiter == null) {
          limiter = "output tokens";
          limit = output.capacity;
        }
        wait = Math.max(wait, output.secondsUntil(outputNeed));
      }
      if (limiter != null) {
        return new Admission(false, limiter, limit, wait);
      }
      requests.level -= 1;
      input.level -= inputTokens;
      if (reserve) {
        output.level -= outputNeed;
      }
      return Admission.OK;
    }

    /** Gives back output tokens (reserve mode: the unused part of max_tokens). */
    synchronized void refundOutput(long now, long tokens) {
      refill(now);
      output.level = Math.min(output.capacity, output.level + tokens);
    }

    /** Takes output tokens as they are produced (actual mode); may go negative. */
    synchronized void debitOutput(long now, long tokens) {
      refill(now);
      output.level -= tokens;
    }

    synchronized Snapshot snapshot(long now) {
      refill(now);
      return new Snapshot(dimension(requests), dimension(input), dimension(output));
    }

    synchronized void resize(long now, Limits l) {
      refill(now);
      requests.resize(l.rpm());
      input.resize(l.itpm());
      output.resize(l.otpm());
    }

    private static Dimension dimension(Bucket b) {
      return new Dimension(b.capacity, b.level, b.nanosToFull());
    }
  }

  private final Ticker ticker;
  private final Map<String, Limits> configured;
  private final Limits defaults;
  private final long countTokensRpm;
  private final ConcurrentHashMap<String, Pool> pools = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Pool> countPools = new ConcurrentHashMap<>();

  RateLimiter(Ticker ticker, Map<String, Limits> configured, Limits defaults, long countTokensRpm) {
    this.ticker = ticker;
    this.configured = new ConcurrentHashMap<>(configured);
    this.defaults = defaults;
    this.countTokensRpm = countTokensRpm;
  }

  static String key(String organization, String pool) {
    return organization + '\u0000' + pool;
  }

  long now() {
    return ticker.read();
  }

  /** Returns the buckets of {@code organization × pool}, created full on first use. */
  Pool pool(String organization, String pool) {
    String k = key(organization, pool);
    return pools.computeIfAbsent(k, x -> new Pool(limitsOf(organization, pool), now()));
  }

  /** Returns the count_tokens request bucket of an organization (token dimensions unlimited). */
  Pool countTokensPool(String organization) {
    return countPools.computeIfAbsent(organization,
        x -> new Pool(new Limits(countTokensRpm, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4), now()));
  }

  Limits limitsOf(String organization, String pool) {
    return configured.getOrDefault(key(organization, pool), defaults);
  }

  /** Changes the limits of a pool at run time; the current levels are kept (capped). */
  void setLimits(String organization, String pool, Limits limits) {
    configured.put(key(organization, pool), limits);
    Pool p = pools.get(key(organization, pool));
    if (p != null) {
      p.resize(now(), limits);
    }
  }
}
