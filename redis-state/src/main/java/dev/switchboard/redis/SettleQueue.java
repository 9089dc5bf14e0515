package dev.switchboard.redis;

import dev.switchboard.spi.BreakerTransition;
import dev.switchboard.spi.RouteSettlement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Settlements waiting for the store's one flusher thread, which sends them in batches of up to
 * {@code batchSize} (one round trip per batch) as fast as Redis answers: it takes whatever queued
 * while the previous batch was in flight, so a burst of N costs about N / batchSize round trips
 * and a lone settlement is sent at once. The caller never blocks: {@link #submit} only enqueues
 * (bounded); when the queue is full the settlement goes to {@code overflow} on the caller's
 * thread, which must not do I/O. The thread starts with the first settlement; {@link #close}
 * lets it send what is queued, waits a bounded time, hands anything still queued to
 * {@code overflow}, and after it a settlement is sent on the caller's thread. Every pending stage
 * is completed exactly once, normally. Thread-safe.
 */
final class SettleQueue {
  /** One settlement and the stage its caller holds. */
  record Pending(RouteSettlement settlement, CompletableFuture<List<BreakerTransition>> done) {}

  private static final Pending STOP = new Pending(null, null);

  private final ArrayBlockingQueue<Pending> queue;
  private final int batchSize;
  private final Consumer<List<Pending>> sender;
  private final Consumer<Pending> overflow;
  private final String threadName;
  private final Object startLock = new Object();
  private volatile Thread thread;
  private volatile boolean closed;

  /**
   * @param sender sends a batch and completes every stage of it; runs on the flusher thread
   * @param overflow settles one without I/O and completes its stage; runs on the caller's thread
   */
  SettleQueue(int capacity, int batchSize, Consumer<List<Pending>> sender, Consumer<Pending> overflow,
      String threadName) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.batchSize = batchSize;
    this.sender = sender;
    this.overflow = overflow;
    this.threadName = threadName;
  }

  /** Queues a settlement; returns its stage, completed by the flusher (or at once on overflow). */
  CompletionStage<List<BreakerTransition>> submit(RouteSettlement settlement) {
    Pending p = new Pending(settlement, new CompletableFuture<>());
    if (closed) {
      sendSafely(List.of(p));
      return p.done;
    }
    start();
    if (!queue.offer(p)) {
      overflow.accept(p);
    } else if (closed && queue.remove(p)) {
      sendSafely(List.of(p)); // closed meanwhile: the flusher may be gone
    }
    return p.done;
  }

  /** Returns the number of settlements waiting. */
  int size() {
    return queue.size();
  }

  /** Returns true when the flusher thread runs; for tests. */
  boolean running() {
    Thread t = thread;
    return t != null && t.isAlive();
  }

  private void start() {
    if (thread != null) {
      return;
    }
    synchronized (startLock) {
      if (thread == null && !closed) {
        Thread t = new Thread(this::run, threadName);
        t.setDaemon(true);
        t.start();
        thread = t;
      }
    }
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(batchSize);
    while (true) {
      Pending first;
      try {
        first = closed ? queue.poll() : queue.take();
      } catch (InterruptedException e) {
        if (!closed) {
          continue;
        }
        first = queue.poll();
      }
      if (first == null) {
        return; // closed and drained
      }
      if (first != STOP) {
        batch.add(first);
      }
      queue.drainTo(batch, batchSize - batch.size());
      batch.removeIf(p -> p == STOP);
      if (!batch.isEmpty()) {
        sendSafely(batch);
        batch.clear();
      }
    }
  }

  private void sendSafely(List<Pending> batch) {
    try {
      sender.accept(batch);
    } catch (Throwable e) {
      for (Pending p : batch) {
        p.done.complete(List.of()); // never leaves a caller waiting; the sender reports its own trouble
      }
    }
  }

  /**
   * Stops taking settlements into the queue, lets the flusher send what is queued for at most
   * {@code waitNanos}, then hands what is still queued to {@code overflow}.
   */
  void close(long waitNanos) {
    closed = true;
    Thread t;
    synchronized (startLock) {
      t = thread;
    }
    if (t != null) {
      queue.offer(STOP);
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<Pending> left = new ArrayList<>();
    queue.drainTo(left);
    for (Pending p : left) {
      if (p != STOP) {
        overflow.accept(p);
      }
    }
  }
}
