package dev.switchboard.schedule;

import dev.switchboard.testkit.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} for tests that runs nothing by itself: {@link #advance} moves the fake ticker
 * to each due task in turn and runs it (in due order, then scheduling order), so waits are tested
 * with no sleeping and no polling. Thread-safe; tasks run on the thread that advances.
 */
public final class FakeScheduler implements Scheduler {
  private final FakeTicker ticker;
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  private final List<Long> delays = new ArrayList<>();
  private long sequence;

  /** Returns a scheduler whose time is {@code ticker}'s. */
  public FakeScheduler(FakeTicker ticker) {
    this.ticker = ticker;
  }

  @Override
  public synchronized Cancellable schedule(Runnable task, long delayNanos) {
    delays.add(delayNanos);
    Task t = new Task(ticker.read() + Math.max(0, delayNanos), sequence++, task);
    tasks.add(t);
    return () -> {
      synchronized (FakeScheduler.this) {
        tasks.remove(t);
      }
    };
  }

  /** Returns every delay ever scheduled, in order. */
  public synchronized List<Long> delays() {
    return List.copyOf(delays);
  }

  /** Returns how many tasks are pending. */
  public synchronized int pending() {
    return tasks.size();
  }

  /** Returns the delay until the next pending task, or null when none is pending. */
  public synchronized Duration nextDelay() {
    Task t = tasks.peek();
    return t == null ? null : Duration.ofNanos(t.due - ticker.read());
  }

  /** Moves time forward by {@code d}, running every task that falls due on the way, in order. */
  public void advance(Duration d) {
    long end = ticker.read() + d.toNanos();
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.due - end > 0) {
          break;
        }
        tasks.poll();
      }
      if (next.due - ticker.read() > 0) {
        ticker.advance(Duration.ofNanos(next.due - ticker.read()));
      }
      next.task.run();
    }
    if (end - ticker.read() > 0) {
      ticker.advance(Duration.ofNanos(end - ticker.read()));
    }
  }

  /** Runs pending tasks until none is left, moving time as far as needed. */
  public void runAll() {
    for (int i = 0; i < 1_000_000; i++) {
      Duration next = nextDelay();
      if (next == null) {
        return;
      }
      advance(next.isNegative() ? Duration.ZERO : next);
    }
    throw new AssertionError("scheduler did not drain");
  }

  private record Task(long due, long seq, Runnable task) implements Comparable<Task> {
    @Override
    public int compareTo(Task o) {
      int c = Long.compare(due, o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
