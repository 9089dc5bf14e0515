package dev.switchboard.stream;

import dev.switchboard.testkit.FakeTicker;
import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A {@link StreamScheduler} that runs nothing by itself: {@link #advance} moves the fake ticker to
 * each due task in turn and runs it, so watchdogs are tested with no sleeping.
 */
final class FakeStreamScheduler implements StreamScheduler {
  private final FakeTicker ticker;
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  private long sequence;

  FakeStreamScheduler(FakeTicker ticker) {
    this.ticker = ticker;
  }

  @Override
  public synchronized Cancellable schedule(Runnable task, long delayNanos) {
    Task t = new Task(ticker.read() + Math.max(0, delayNanos), sequence++, task);
    tasks.add(t);
    return () -> {
      synchronized (FakeStreamScheduler.this) {
        tasks.remove(t);
      }
    };
  }

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
        if (next == null || next.due > end) {
          break;
        }
        tasks.poll();
      }
      if (next.due > ticker.read()) {
        ticker.advance(Duration.ofNanos(next.due - ticker.read()));
      }
      next.task.run();
    }
    if (end > ticker.read()) {
      ticker.advance(Duration.ofNanos(end - ticker.read()));
    }
  }

  private record Task(long due, long seq, Runnable task) implements Comparable<Task> {
    @Override
    public int compareTo(Task o) {
      int c = Long.compare(due, o.due);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
