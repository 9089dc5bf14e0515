package dev.switchboard.spi;

/**
 * A monotonic source of nanoseconds: the one clock every time-dependent rule in Switchboard reads
 * (token-bucket refill, cooldowns, breaker windows, backoff, deadlines, latency).
 *
 * <p>The value has no relation to wall time; only differences between two reads mean anything.
 * Production code uses {@link #system()}; tests inject a fake that they advance by hand so that
 * no test ever sleeps to let time pass. Implementations must be safe for concurrent use.
 */
@FunctionalInterface
public interface Ticker {

  /** Returns the current reading in nanoseconds. */
  long read();

  /** Returns the ticker backed by {@link System#nanoTime()}. */
  static Ticker system() {
    return SystemTicker.INSTANCE;
  }
}

enum SystemTicker implements Ticker {
  INSTANCE;

  @Override
  public long read() {
    return System.nanoTime();
  }
}
