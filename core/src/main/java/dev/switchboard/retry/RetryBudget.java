package dev.switchboard.retry;

import dev.switchboard.spi.Ticker;
import java.time.Duration;
import java.util.Objects;

/**
 * A router-wide budget of retries, as in Finagle and Envoy: every call deposits {@code ratio}
 * tokens, every retry withdraws one, and a reserve of {@code minRetriesPerSecond × window}
 * retries is always allowed; deposits and withdrawals older than {@code window} (by the ticker)
 * are forgotten. So with the defaults (0.2, 10/s, 10 s) retries stay below 20% of calls plus 10 a
 * second, however many keys and models fail at once.
 *
 * <p>Thread-safe: a short critical section over ten time slots; no allocation per call.
 */
public final class RetryBudget {
  private static final int SLOTS = 10;

  private final Ticker ticker;
  private final double ratio;
  private final double reserve;
  private final long slotNanos;
  private final long[] slotStart = new long[SLOTS];
  private final long[] deposits = new long[SLOTS];
  private final long[] withdrawals = new long[SLOTS];

  /**
   * Returns a budget.
   *
   * @param ratio tokens deposited per call, in [0, 1000]
   * @param minRetriesPerSecond the reserve rate, at least 0
   * @param window the sliding window, at least 10 ms
   * @throws IllegalArgumentException naming the field and value
   */
  public RetryBudget(Ticker ticker, double ratio, int minRetriesPerSecond, Duration window) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(window, "window");
    check(ratio, minRetriesPerSecond, window);
    this.ratio = ratio;
    this.reserve = minRetriesPerSecond * (window.toNanos() / 1e9);
    this.slotNanos = window.toNanos() / SLOTS;
    long now = ticker.read();
    for (int i = 0; i < SLOTS; i++) {
      slotStart[i] = Long.MIN_VALUE;
    }
    slotStart[slot(now)] = now - Math.floorMod(now, slotNanos);
  }

  /**
   * Validates retry-budget settings.
   *
   * @throws IllegalArgumentException naming the field and value
   */
  public static void check(double ratio, int minRetriesPerSecond, Duration window) {
    if (!(ratio >= 0.0 && ratio <= 1000.0)) {
      throw new IllegalArgumentException("retryBudget ratio must be in [0, 1000] but was " + ratio);
    }
    if (minRetriesPerSecond < 0) {
      throw new IllegalArgumentException(
          "retryBudget minRetriesPerSecond must be >= 0 but was " + minRetriesPerSecond);
    }
    if (window.compareTo(Duration.ofMillis(10)) < 0) {
      throw new IllegalArgumentException("retryBudget window must be >= PT0.01S but was " + window);
    }
  }

  /** Records a call (a deposit of {@code ratio}). */
  public synchronized void deposit() {
    deposits[current()]++;
  }

  /** Takes one retry if the budget allows it; returns false (and takes nothing) otherwise. */
  public synchronized boolean tryWithdraw() {
    int c = current();
    if (balanceLocked() < 1.0) {
      return false;
    }
    withdrawals[c]++;
    return true;
  }

  /** Returns how many retries the budget allows now. */
  public synchronized double balance() {
    current();
    return balanceLocked();
  }

  private double balanceLocked() {
    long d = 0;
    long w = 0;
    for (int i = 0; i < SLOTS; i++) {
      d += deposits[i];
      w += withdrawals[i];
    }
    return reserve + ratio * d - w;
  }

  /** Rolls the ring forward to now and returns the current slot. */
  private int current() {
    long now = ticker.read();
    long start = now - Math.floorMod(now, slotNanos);
    int s = slot(now);
    if (slotStart[s] != start) {
      slotStart[s] = start;
      deposits[s] = 0;
      withdrawals[s] = 0;
    }
    long oldest = start - (SLOTS - 1) * slotNanos;
    for (int i = 0; i < SLOTS; i++) {
      if (slotStart[i] < oldest) {
        deposits[i] = 0;
        withdrawals[i] = 0;
      }
    }
    return s;
  }

  private int slot(long now) {
    return (int) Math.floorMod(Math.floorDiv(now, slotNanos), (long) SLOTS);
  }
}
