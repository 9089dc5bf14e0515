package dev.switchboard.admission;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An admitted call's slot and budget charge. Release it exactly once when the call ends — with
 * the real usage through {@link #release(long, double)}, with the estimates through
 * {@link #close()} (so {@code try}-with-resources never leaks a slot), or refunding everything
 * through {@link #releaseUnused()} when the call never ran. The first release wins; later ones
 * do nothing, so a slot or a charge is never returned twice.
 *
 * <p>Thread-safe. Releasing hands the slot straight to the next eligible waiter.
 */
public final class Permit implements AutoCloseable {
  private final AdmissionController controller;
  private final AdmissionController.Tenant tenant;
  private final AdmissionRequest request;
  private final long spendWindowStart;
  private final long waitedNanos;
  private final AtomicBoolean released = new AtomicBoolean();

  Permit(AdmissionController controller, AdmissionController.Tenant tenant, AdmissionRequest request,
      long spendWindowStart, long waitedNanos) {
    this.controller = controller;
    this.tenant = tenant;
    this.request = request;
    this.spendWindowStart = spendWindowStart;
    this.waitedNanos = waitedNanos;
  }

  /** Returns the request this permit admitted. */
  public AdmissionRequest request() {
    return request;
  }

  /** Returns how long the call waited in the queue, in ticker nanoseconds (0 when admitted at once). */
  public long waitedNanos() {
    return waitedNanos;
  }

  /** Returns true once the permit was released by any of the release methods. */
  public boolean isReleased() {
    return released.get();
  }

  /**
   * Releases the slot and settles the tenant's budgets with the real usage: the difference to the
   * estimates is refunded or charged. Does nothing when already released.
   *
   * @throws IllegalArgumentException if a value is negative or not finite; the permit then stays
   *     held, so a later {@code close()} still releases it
   */
  public void release(long actualTokens, double actualCost) {
    if (actualTokens < 0) {
      throw new IllegalArgumentException("actualTokens must be >= 0 but was " + actualTokens);
    }
    if (!(actualCost >= 0.0) || Double.isInfinite(actualCost)) {
      throw new IllegalArgumentException("actualCost must be finite and >= 0 but was " + actualCost);
    }
    if (released.compareAndSet(false, true)) {
      controller.release(this, actualTokens, actualCost);
    }
  }

  /**
   * Releases the slot and refunds the whole estimate (the call never reached the provider, e.g. a
   * cache hit after admission). Does nothing when already released.
   */
  public void releaseUnused() {
    if (released.compareAndSet(false, true)) {
      controller.release(this, 0, 0.0);
    }
  }

  /**
   * Releases the slot, keeping the estimates as the charge (use {@link #release(long, double)}
   * when the real usage is known). Does nothing when already released.
   */
  @Override
  public void close() {
    if (released.compareAndSet(false, true)) {
      controller.release(this, request.estimatedTokens(), request.estimatedCost());
    }
  }

  AdmissionController.Tenant tenant() {
    return tenant;
  }

  long spendWindowStart() {
    return spendWindowStart;
  }

  @Override
  public String toString() {
    return "Permit[tenant=" + request.tenant() + ", " + request.priority()
        + (released.get() ? ", released" : "") + "]";
  }
}
