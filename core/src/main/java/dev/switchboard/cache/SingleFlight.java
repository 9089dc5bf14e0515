package dev.switchboard.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Collapses concurrent identical calls into one: while a call for a key is in flight, every other
 * caller with that key waits for its result instead of starting its own.
 *
 * <ul>
 *   <li>The first caller's supplier runs (on its thread); later callers do not run theirs.
 *   <li>The result — a value or a failure — is delivered to every caller of the flight.
 *   <li>The flight is forgotten as soon as it completes, before results are delivered: nothing is
 *       remembered, so a failure is never replayed (the next call starts afresh) and a caller's
 *       callback that calls again starts a new flight.
 *   <li>Each caller gets its own future. Cancelling it withdraws only that caller; when every
 *       caller of a flight has cancelled, the flight's own future is cancelled too (stopping, for
 *       example, the HTTP call behind it) and the key is free at once.
 * </ul>
 *
 * <p>Use cache keys from {@link CacheKeys} as keys so that only identical requests of one scope
 * share a flight. Thread-safe.
 *
 * @param <K> the key type; needs {@code equals} and {@code hashCode}
 * @param <V> the result type
 */
public final class SingleFlight<K, V> {
  private final ConcurrentHashMap<K, Flight> flights = new ConcurrentHashMap<>();

  /** Returns an empty single-flight group. */
  public SingleFlight() {}

  /**
   * Returns the result of the flight for {@code key}, starting it with {@code supplier} when none is
   * in flight. A supplier that throws, or returns null, fails the flight with that exception (or a
   * {@link NullPointerException}).
   *
   * @throws NullPointerException if {@code key} or {@code supplier} is null
   */
  public CompletableFuture<V> execute(K key,
      Supplier<? extends CompletionStage<? extends V>> supplier) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(supplier, "supplier");
    while (true) {
      Flight flight = flights.get(key);
      boolean leader = false;
      if (flight == null) {
        Flight mine = new Flight(key);
        flight = flights.putIfAbsent(key, mine);
        if (flight == null) {
          flight = mine;
          leader = true;
        }
      }
      CompletableFuture<V> waiter = flight.join();
      if (waiter == null) {
        continue; // that flight ended between lookup and join; it is gone from the map
      }
      if (leader) {
        flight.start(supplier);
      }
      return waiter;
    }
  }

  /** Returns how many flights are in the air now. */
  public int inFlight() {
    return flights.size();
  }

  /** Returns true when a flight for {@code key} is in the air. */
  public boolean isInFlight(K key) {
    return flights.containsKey(Objects.requireNonNull(key, "key"));
  }

  @Override
  public String toString() {
    return "SingleFlight[inFlight=" + flights.size() + "]";
  }

  /** One call in flight and the callers waiting for it. */
  private final class Flight {
    private final K key;
    private final List<CompletableFuture<V>> waiters = new ArrayList<>();
    // guarded by this
    private int active;
    private boolean done;
    private CompletableFuture<? extends V> source;
    private boolean cancelWhenStarted;

    Flight(K key) {
      this.key = key;
    }

    /** Adds a caller; returns null when the flight already ended. */
    CompletableFuture<V> join() {
      CompletableFuture<V> waiter = new CompletableFuture<>();
      synchronized (this) {
        if (done) {
          return null;
        }
        waiters.add(waiter);
        active++;
      }
      waiter.whenComplete((v, e) -> {
        if (waiter.isCancelled()) {
          withdraw();
        }
      });
      return waiter;
    }

    void start(Supplier<? extends CompletionStage<? extends V>> supplier) {
      CompletableFuture<? extends V> f;
      try {
        CompletionStage<? extends V> stage = supplier.get();
        f = Objects.requireNonNull(stage, "supplier returned null").toCompletableFuture();
      } catch (RuntimeException | Error e) {
        f = CompletableFuture.failedFuture(e);
      }
      boolean cancelNow;
      synchronized (this) {
        source = f;
        cancelNow = cancelWhenStarted;
      }
      if (cancelNow) {
        f.cancel(true);
      }
      f.whenComplete(this::finish);
    }

    private void withdraw() {
      CompletableFuture<? extends V> toCancel = null;
      synchronized (this) {
        active--;
        if (active > 0 || done) {
          return;
        }
        done = true;
        flights.remove(key, this);
        if (source == null) {
          cancelWhenStarted = true;
        } else {
          toCancel = source;
        }
      }
      if (toCancel != null) {
        toCancel.cancel(true);
      }
    }

    private void finish(V value, Throwable failure) {
      List<CompletableFuture<V>> toComplete;
      synchronized (this) {
        flights.remove(key, this);
        done = true;
        toComplete = List.copyOf(waiters);
        waiters.clear();
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      for (CompletableFuture<V> w : toComplete) {
        if (cause == null) {
          w.complete(value);
        } else if (cause instanceof CancellationException) {
          w.cancel(false);
        } else {
          w.completeExceptionally(cause);
        }
      }
    }
  }
}
