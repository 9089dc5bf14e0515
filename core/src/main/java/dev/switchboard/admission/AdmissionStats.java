package dev.switchboard.admission;

import dev.switchboard.admission.AdmissionRejectedException.Reason;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of an {@link AdmissionController}, taken atomically by
 * {@link AdmissionController#stats()}.
 *
 * @param inFlight calls admitted and not yet released
 * @param queued calls waiting now
 * @param waits per priority class: how many calls were admitted and how long they waited (calls
 *     admitted at once count with a wait of 0)
 * @param rejections per reason: how many calls were rejected since the controller was built
 * @param cancelled how many waiting calls were cancelled by their callers
 */
public record AdmissionStats(int inFlight, int queued, Map<Priority, WaitStats> waits,
    Map<AdmissionRejectedException.Reason, Long> rejections, long cancelled) {

  /** Copies the maps. */
  public AdmissionStats {
    waits = Map.copyOf(waits);
    rejections = Map.copyOf(rejections);
  }

  /** Returns the wait statistics of one class. */
  public WaitStats waits(Priority priority) {
    return waits.get(Objects.requireNonNull(priority, "priority"));
  }

  /** Returns how many calls were rejected for {@code reason}. */
  public long rejections(Reason reason) {
    return rejections.getOrDefault(Objects.requireNonNull(reason, "reason"), 0L);
  }

  /**
   * Queue waits of the calls admitted in one priority class.
   *
   * @param admitted calls admitted
   * @param totalWaitNanos sum of their waits
   * @param maxWaitNanos the longest wait
   */
  public record WaitStats(long admitted, long totalWaitNanos, long maxWaitNanos) {
    /** No call admitted. */
    public static final WaitStats EMPTY = new WaitStats(0, 0, 0);

    /** Returns the mean wait in nanoseconds, 0 when no call was admitted. */
    public double meanWaitNanos() {
      return admitted == 0 ? 0.0 : (double) totalWaitNanos / admitted;
    }
  }
}
