package dev.switchboard.admission;

import dev.switchboard.testkit.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} that runs nothing by itself: {@link #advance} moves the fake ticker to each
 * due task in turn and runs it on the calling thread, so timed waits are tested without sleeping.
 */
final class FakeScheduler implements Scheduler {
  private final FakeTicker ticker;
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  private final List<Long> delays = new ArrayList<>();
  private long sequence;

  FakeScheduler(FakeTicker ticker) {
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
  synchronized List<Long> delays() {
    return List.copyOf(delays);
  }

  /** Returns how many tasks are pending. */
  synchronized int pending() {
    return tasks.size();
  }

  /** Moves time forward by {@code d}, running every task that falls due on the way, in order. */
  void advance(Duration d) {
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

  /** Runs pending tasks, moving time as far as needed, until none is left. */
  void runAll() {
    for (int i = 0; i < 1_000_000; i++) {
      Long due;
      synchronized (this) {
        Task t = tasks.peek();
        due = t == null ? null : t.due;
      }
      if (due == null) {
        return;
      }
      advance(Duration.ofNanos(Math.max(0, due - ticker.read())));
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
