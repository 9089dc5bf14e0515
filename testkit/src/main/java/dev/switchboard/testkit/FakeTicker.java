package dev.switchboard.testkit;

import dev.switchboard.spi.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} (and matching wall clock) that moves only when a test says so. Thread-safe.
 *
 * <pre>{@code
 * FakeTicker ticker = new FakeTicker();
 * Switchboard router = Switchboard.builder().ticker(ticker)...build();
 * ticker.advance(Duration.ofSeconds(1));   // one second of refill, no sleeping
 * }</pre>
 */
public final class FakeTicker implements Ticker {
  private final AtomicLong nanos;
  private final Instant epoch;

  /** Returns a ticker at an arbitrary non-zero reading whose wall clock starts at 2026-01-01T00:00:00Z. */
  public FakeTicker() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** Returns a ticker whose wall clock starts at {@code epoch}. */
  public FakeTicker(Instant epoch) {
    this.epoch = Objects.requireNonNull(epoch, "epoch");
    this.nanos = new AtomicLong(1_000_000_000L);
  }

  @Override
  public long read() {
    return nanos.get();
  }

  /** Moves time forward by {@code duration}. */
  public FakeTicker advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("time only moves forward, but duration was " + duration);
    }
    nanos.addAndGet(duration.toNanos());
    return this;
  }

  /** Moves time forward by {@code millis} milliseconds. */
  public FakeTicker advanceMillis(long millis) {
    return advance(Duration.ofMillis(millis));
  }

  /** Returns the wall-clock time matching the current reading. */
  public Instant now() {
    return epoch.plusNanos(nanos.get() - 1_000_000_000L);
  }

  /** Returns a wall clock that follows this ticker. */
  public InstantSource clock() {
    return this::now;
  }
}
