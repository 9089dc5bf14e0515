package dev.switchboard.budget;

import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.BudgetGrant;
import dev.switchboard.spi.BudgetStore;
import dev.switchboard.spi.Demand;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A lease on budget taken from one pool: acquired with an estimate, then ended exactly once, by
 * {@link #settle} (the real usage is known), {@link #refund} (the request was never admitted or
 * was cancelled) or {@link #keep} (the request may have run and billed, but its usage is unknown).
 * Later calls do nothing, so no path can settle twice or leak. Thread-safe.
 */
public final class Reservation {
  private final BudgetStore store;
  private final String pool;
  private final PoolLimits limits;
  private Demand reserved;
  private final AtomicBoolean ended = new AtomicBoolean();

  private Reservation(BudgetStore store, String pool, PoolLimits limits, Demand reserved) {
    this.store = store;
    this.pool = pool;
    this.limits = limits;
    this.reserved = reserved;
  }

  /**
   * Tries to take {@code demand} from {@code pool}.
   *
   * @return the grant, and the reservation when granted (else null)
   */
  public static Attempt tryAcquire(BudgetStore store, String pool, PoolLimits limits, Demand demand) {
    BucketLimits l = limits.of(pool);
    BudgetGrant grant = store.tryAcquire(pool, l, demand);
    return new Attempt(grant, grant.granted() ? new Reservation(store, pool, limits, demand) : null);
  }

  /**
   * The answer of {@link #tryAcquire}.
   *
   * @param grant what the store said
   * @param reservation the lease when granted, else null
   */
  public record Attempt(BudgetGrant grant, Reservation reservation) {}

  /** Returns the pool id. */
  public String pool() {
    return pool;
  }

  /** Returns what is reserved now (the estimate, or what {@link #adjust} made of it). */
  public synchronized Demand reserved() {
    return reserved;
  }

  /**
   * Corrects what the lease holds to {@code now} while it stays open: a stream that learns its
   * real input tokens at {@code message_start} gives back the over-estimate at once, and one whose
   * output outgrows the reservation takes the excess as it goes. Does nothing once ended.
   *
   * @return false if already ended
   */
  public synchronized boolean adjust(Demand now) {
    if (ended.get()) {
      return false;
    }
    if (!now.equals(reserved)) {
      store.settle(pool, limits.of(pool), reserved, now);
      reserved = now;
    }
    return true;
  }

  /** Corrects the reservation to {@code actual} (refund or debt); returns false if already ended. */
  public synchronized boolean settle(Demand actual) {
    if (!ended.compareAndSet(false, true)) {
      return false;
    }
    store.settle(pool, limits.of(pool), reserved, actual);
    return true;
  }

  /** Gives the whole reservation back; returns false if already ended. */
  public boolean refund() {
    return settle(Demand.NONE);
  }

  /** Ends the lease keeping the whole reservation as spent; returns false if already ended. */
  public synchronized boolean keep() {
    return ended.compareAndSet(false, true);
  }

  /** Returns true once the lease has ended. */
  public boolean isEnded() {
    return ended.get();
  }
}
