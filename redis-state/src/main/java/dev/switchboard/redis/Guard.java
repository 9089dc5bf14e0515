package dev.switchboard.redis;

import dev.switchboard.spi.Ticker;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Decides, per operation, between Redis and the local fallback, so that Redis trouble never fails
 * a call.
 *
 * <p>While healthy, every operation goes to Redis. An operation that throws (connection refused,
 * socket timeout, pool exhausted, an unexpected reply) is answered by the fallback instead, and the
 * store turns <em>degraded</em>: further operations use the fallback without touching Redis,
 * except one probe every {@code probeIntervalNanos}. An operation that answers but takes longer
 * than {@code slowNanos} keeps its answer and also turns the store degraded. A probe first runs
 * the recovery action (which writes local state back to Redis), then its own operation, while the
 * store is still degraded: no other operation reaches Redis before Redis holds that state again
 * (after a restart it may be empty). The first probe whose recovery action and operation both
 * succeed, in time, turns the store healthy again. Each transition is reported once to the
 * listener (a message without secrets). Thread-safe and lock-free.
 */
final class Guard {
  private final Ticker ticker;
  private final long slowNanos;
  private final long probeIntervalNanos;
  private final Consumer<String> listener;
  private final AtomicBoolean degraded = new AtomicBoolean();
  private final AtomicLong nextProbe = new AtomicLong();
  private volatile Runnable onRecovery = () -> {};

  Guard(Ticker ticker, long slowNanos, long probeIntervalNanos, Consumer<String> listener) {
    this.ticker = ticker;
    this.slowNanos = slowNanos;
    this.probeIntervalNanos = probeIntervalNanos;
    this.listener = listener;
  }

  /**
   * Sets what a probe runs on Redis before its own operation, while the store is still degraded;
   * when it throws, the probe has failed and the store stays degraded.
   */
  void onRecovery(Runnable action) {
    this.onRecovery = action;
  }

  boolean degraded() {
    return degraded.get();
  }

  /** Returns Redis's answer, or the fallback's when Redis is degraded or fails now. */
  <T> T call(Supplier<T> redis, Supplier<T> local) {
    if (!useRedis()) {
      return local.get();
    }
    boolean probe = degraded.get();
    long start;
    T answer;
    try {
      if (probe) {
        onRecovery.run();
      }
      start = ticker.read();
      answer = redis.get();
    } catch (RuntimeException e) {
      failed(describe(e));
      return local.get();
    }
    long took = ticker.read() - start;
    if (took > slowNanos) {
      failed("Redis answered in " + took / 1_000_000 + " ms, over the "
          + slowNanos / 1_000_000 + " ms timeout");
    } else if (probe) {
      recovered();
    }
    return answer;
  }

  /** Runs a write on Redis, or on the fallback when Redis is degraded or fails now. */
  void run(Runnable redis, Runnable local) {
    call(() -> {
      redis.run();
      return null;
    }, () -> {
      local.run();
      return null;
    });
  }

  private boolean useRedis() {
    if (!degraded.get()) {
      return true;
    }
    long now = ticker.read();
    long next = nextProbe.get();
    return now - next >= 0 && nextProbe.compareAndSet(next, now + probeIntervalNanos);
  }

  private void failed(String why) {
    nextProbe.set(ticker.read() + probeIntervalNanos);
    if (degraded.compareAndSet(false, true)) {
      emit("redis-state degraded: " + why + "; serving from local fallback state, probing Redis every "
          + probeIntervalNanos / 1_000_000 + " ms");
    }
  }

  /** Turns the store healthy after a probe wrote local state back and answered in time. */
  private void recovered() {
    if (degraded.get() && degraded.compareAndSet(true, false)) {
      emit("redis-state recovered: Redis answers again; back to shared state");
    }
  }

  /** Tells the listener {@code message} (no secrets); a listener that throws is ignored. */
  void tell(String message) {
    emit(message);
  }

  private void emit(String message) {
    try {
      listener.accept(message);
    } catch (RuntimeException ignored) {
      // a listener must never fail a call
    }
  }

  static String describe(Throwable e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
