package dev.switchboard.stats;

import java.util.concurrent.atomic.LongAccumulator;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;

/**
 * One sub-window of one scope: counters plus latency for the ticks of one epoch.
 *
 * <p>Counters are {@code LongAdder}s and the exact maximum is a {@link LongAccumulator}, all
 * lock-free. Latency goes into small striped HdrHistograms: a writer picks a stripe by its thread
 * and holds that stripe's monitor only for one {@code recordValue} (tens of nanoseconds); a reader
 * holds it while adding that stripe into its merge target. The histograms are plain, auto-sizing
 * {@link PackedHistogram}s (memory follows the number of distinct values seen, not the range),
 * recording microseconds clamped to [0, 10 min] with 3 significant digits.
 *
 * <p>HdrHistogram's own {@code Recorder} is deliberately not used: its packed variant livelocks
 * under concurrent auto-resizing (seen with 8 writers on 2 cores, HdrHistogram 2.2.2), and its
 * unpacked variant costs about 340 KB per recorder for this range, which is too much per
 * sub-window per route.
 */
final class Slot {
  static final long MAX_NANOS = 600_000_000_000L;
  private static final int DIGITS = 3;
  private static final int STRIPES =
      Integer.highestOneBit(Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors())));

  final long epoch;
  final Counters counters = new Counters();
  private final Histogram[] stripes = new Histogram[STRIPES];
  private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0L);

  Slot(long epoch) {
    this.epoch = epoch;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = newHistogram();
    }
  }

  void recordLatency(long nanos) {
    long clamped = Math.max(0L, Math.min(nanos, MAX_NANOS));
    long micros = (clamped + 500L) / 1_000L;
    Histogram stripe = stripes[(int) Thread.currentThread().getId() & (STRIPES - 1)];
    synchronized (stripe) {
      stripe.recordValue(micros);
    }
    maxNanos.accumulate(clamped);
  }

  /** Adds every latency recorded so far into {@code into} and returns the exact maximum. */
  long mergeInto(Histogram into) {
    for (Histogram stripe : stripes) {
      synchronized (stripe) {
        into.add(stripe);
      }
    }
    return maxNanos.get();
  }

  static Histogram newHistogram() {
    return new PackedHistogram(DIGITS);
  }
}
