package dev.switchboard.stats;

import dev.switchboard.spi.Outcome;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.HdrHistogram.Histogram;

/**
 * The statistics of one scope (overall, a model, or a route): lifetime counters and a ring of
 * {@link Slot}s, one per sub-window.
 *
 * <p>Time is cut into epochs of {@code slotNanos} counted from the stats' origin; epoch {@code e}
 * lives in ring index {@code e mod n}. A writer whose slot holds an older epoch replaces it with a
 * fresh slot by compare-and-set (rotation needs no lock and no background thread); a writer whose
 * slot already holds a newer epoch is late by a whole window, so its sample counts only in the
 * lifetime totals. A reader sums the slots of the last {@code n} epochs. Counting is lock-free;
 * a latency sample briefly holds one stripe monitor of its slot (see {@link Slot}).
 */
final class ScopeRecorder {
  private final int subWindows;
  private final Counters lifetime = new Counters();
  private final AtomicReferenceArray<Slot> ring;

  ScopeRecorder(int subWindows) {
    this.subWindows = subWindows;
    this.ring = new AtomicReferenceArray<>(subWindows);
  }

  void recordCall(long epoch, boolean success, boolean cached, boolean degraded, boolean fellBack,
      long latencyNanos, boolean withLatency) {
    lifetime.recordCall(success, cached, degraded, fellBack);
    Slot slot = slot(epoch);
    if (slot != null) {
      slot.counters.recordCall(success, cached, degraded, fellBack);
      if (withLatency) {
        slot.recordLatency(latencyNanos);
      }
    }
  }

  void recordAttempt(long epoch, Outcome outcome, int status, long latencyNanos,
      boolean withLatency) {
    lifetime.recordAttempt(outcome, status);
    Slot slot = slot(epoch);
    if (slot != null) {
      slot.counters.recordAttempt(outcome, status);
      if (withLatency) {
        slot.recordLatency(latencyNanos);
      }
    }
  }

  /** Returns the slot of {@code epoch}, rotating it in if needed, or null if it is past. */
  private Slot slot(long epoch) {
    int index = (int) Math.floorMod(epoch, (long) subWindows);
    while (true) {
      Slot current = ring.get(index);
      if (current != null && current.epoch >= epoch) {
        return current.epoch == epoch ? current : null;
      }
      Slot fresh = new Slot(epoch);
      if (ring.compareAndSet(index, current, fresh)) {
        return fresh;
      }
    }
  }

  /** Returns this scope's figures for the window ending in epoch {@code now}. */
  SlaSnapshot.Scope snapshot(long now) {
    long[] window = new long[Counters.WIDTH];
    long[] total = new long[Counters.WIDTH];
    Histogram latency = Slot.newHistogram();
    long max = 0;
    for (int i = 0; i < subWindows; i++) {
      Slot slot = ring.get(i);
      if (slot != null && slot.epoch > now - subWindows) {
        slot.counters.sumInto(window);
        max = Math.max(max, slot.mergeInto(latency));
      }
    }
    lifetime.sumInto(total);
    return new SlaSnapshot.Scope(Counters.toCounts(window), Counters.toCounts(total),
        latencyOf(latency, max));
  }

  private static SlaSnapshot.Latency latencyOf(Histogram h, long maxNanos) {
    long count = h.getTotalCount();
    if (count == 0) {
      return SlaSnapshot.Latency.EMPTY;
    }
    return new SlaSnapshot.Latency(count, percentileNanos(h, 50.0, maxNanos),
        percentileNanos(h, 95.0, maxNanos), percentileNanos(h, 99.0, maxNanos), maxNanos);
  }

  /** The histogram reports the top of a bucket; never report more than the exact maximum. */
  private static long percentileNanos(Histogram h, double percentile, long maxNanos) {
    return Math.min(h.getValueAtPercentile(percentile) * 1_000L, maxNanos);
  }
}
