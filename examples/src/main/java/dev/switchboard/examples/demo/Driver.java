package dev.switchboard.examples.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Replays a workload against a client in real time (open loop: a call starts at its arrival time
 * whether or not earlier ones finished, as real traffic does) and counts each call's end in a
 * {@link Tally}. Calls not finished by the cap are cancelled and counted as failed.
 */
final class Driver {
  private Driver() {}

  /** Sends calls and reports how each ended. */
  interface Client {
    /** Starts a call; the future completes with how it ended and never exceptionally. */
    CompletableFuture<Ending> call(Workload.CallSpec spec);
  }

  /**
   * How a call ended.
   *
   * @param failure null for a success, else a short name of the reason
   * @param cached true when a cache answered
   * @param noHealthyRoute true when the failure was that no route at all could serve
   * @param costUsd what the answer cost, in US dollars at list prices
   * @param stream what the caller saw of a streamed call; null for a call that was not streamed
   */
  record Ending(String failure, boolean cached, boolean noHealthyRoute, double costUsd,
      Streamed stream) {
    /** Returns the ending of a call that was not streamed. */
    Ending(String failure, boolean cached, boolean noHealthyRoute, double costUsd) {
      this(failure, cached, noHealthyRoute, costUsd, null);
    }

    static Ending ok(boolean cached, double costUsd) {
      return new Ending(null, cached, false, costUsd);
    }

    static Ending failed(String failure) {
      return new Ending(null == failure ? "unknown" : failure, false, false, 0.0);
    }

    /** Returns this ending with what the caller saw of its stream. */
    Ending streamed(Streamed streamed) {
      return new Ending(failure, cached, noHealthyRoute, costUsd, streamed);
    }
  }

  /**
   * What the caller of a streamed call saw.
   *
   * @param timeToFirstTokenNanos from the call's start to the first content event the caller
   *     received, or {@link #NO_TOKEN} when none arrived
   * @param events the events the caller's handler received
   * @param interrupted true when an answer broke after content had reached the caller and was not
   *     repaired (the router ended it with a {@code StreamInterruptedException}; the naive loop
   *     restarted it from scratch or gave up)
   * @param continued true when the router finished a broken answer on another route
   */
  record Streamed(long timeToFirstTokenNanos, long events, boolean interrupted, boolean continued) {
    /** The time to first token of a stream that delivered no content. */
    static final long NO_TOKEN = -1;
  }

  /**
   * Runs {@code calls} from now; returns once every call ended or {@code cap} after the start,
   * whichever comes first.
   */
  static void run(List<Workload.CallSpec> calls, Client client, Tally tally, Duration cap)
      throws InterruptedException {
    long start = System.nanoTime();
    CountDownLatch done = new CountDownLatch(calls.size());
    List<Pending> pending = new ArrayList<>(calls.size());
    for (Workload.CallSpec spec : calls) {
      long wait;
      while ((wait = start + spec.arrivalNanos() - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
        if (Thread.interrupted()) {
          throw new InterruptedException("the demo was interrupted");
        }
      }
      Pending p = new Pending(spec, System.nanoTime());
      pending.add(p);
      tally.requests.increment();
      if (spec.stream()) {
        tally.streamed.increment();
      }
      CompletableFuture<Ending> f;
      try {
        f = client.call(spec);
      } catch (RuntimeException ex) {
        f = CompletableFuture.completedFuture(Ending.failed(ex.getClass().getSimpleName()));
      }
      p.future = f;
      f.whenComplete((ending, ex) -> {
        Ending e = ex != null ? Ending.failed(ex.getClass().getSimpleName()) : ending;
        if (p.counted.compareAndSet(false, true)) {
          if (e.noHealthyRoute()) {
            tally.noHealthyRoute.increment();
          }
          tally.cost.add(e.costUsd());
          if (e.stream() != null) {
            tally.streamEnded(e.stream());
          }
          tally.callEnded(System.nanoTime() - p.started, spec.deadline().toNanos(), e.failure(),
              e.cached());
          done.countDown();
        }
      });
    }
    long left = start + cap.toNanos() - System.nanoTime();
    if (!done.await(Math.max(0, left), TimeUnit.NANOSECONDS)) {
      for (Pending p : pending) {
        if (p.counted.compareAndSet(false, true)) {
          tally.callEnded(System.nanoTime() - p.started, p.spec.deadline().toNanos(),
              "unfinished at the cap", false);
          p.future.cancel(true);
        }
      }
    }
  }

  private static final class Pending {
    final Workload.CallSpec spec;
    final long started;
    final AtomicBoolean counted = new AtomicBoolean();
    volatile CompletableFuture<Ending> future;

    Pending(Workload.CallSpec spec, long started) {
      this.spec = spec;
      this.started = started;
    }
  }
}
