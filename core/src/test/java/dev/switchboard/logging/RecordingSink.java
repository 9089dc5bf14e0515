package dev.switchboard.logging;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.event.Level;

/** A {@link Sink} that keeps every line at or above a threshold, for exact assertions. */
final class RecordingSink implements Sink {
  record Entry(Level level, String line) {}

  private final Level threshold;
  final List<Entry> entries = new CopyOnWriteArrayList<>();
  int enabledChecks;

  RecordingSink(Level threshold) {
    this.threshold = threshold;
  }

  @Override
  public boolean isEnabled(Level level) {
    enabledChecks++;
    return level.toInt() >= threshold.toInt();
  }

  @Override
  public void write(Level level, String line) {
    entries.add(new Entry(level, line));
  }

  Entry only() {
    if (entries.size() != 1) {
      throw new AssertionError("expected exactly one line but got " + entries);
    }
    return entries.get(0);
  }
}
