package dev.switchboard.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The request log: a bounded list of {@link Entry}s that the connection threads update while they
 * answer, read as immutable {@link RecordedCall} snapshots. Every method locks the log, and every
 * change wakes the threads waiting in {@link #await}.
 */
final class CallLog {

  /** One call being answered; fields are changed only under the log's lock via {@link #update}. */
  static final class Entry {
    long sequence;
    Instant time;
    String method;
    String path;
    String keyLabel;
    String organization;
    String model;
    boolean stream;
    int status;
    String errorType;
    String requestId;
    long inputTokens;
    long outputTokens;
    long cacheCreation;
    long cacheRead;
    boolean completed;
    boolean clientDisconnected;
    String fault;
    Map<String, String> headers;
    String body;

    RecordedCall snapshot() {
      return new RecordedCall(sequence, time, method, path, keyLabel, organization, model, stream,
          status, errorType, requestId, inputTokens, outputTokens, cacheCreation, cacheRead,
          completed, clientDisconnected, fault, headers, body);
    }
  }

  private final int capacity;
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private long sequence;

  CallLog(int capacity) {
    this.capacity = capacity;
  }

  /** Adds a call, evicting the oldest beyond the capacity. */
  synchronized Entry add(Instant time, String method, String path, Map<String, String> headers,
      String body) {
    Entry e = new Entry();
    e.sequence = ++sequence;
    e.time = time;
    e.method = method;
    e.path = path;
    e.headers = Map.copyOf(headers);
    e.body = body;
    entries.addLast(e);
    while (entries.size() > capacity) {
      entries.removeFirst();
    }
    notifyAll();
    return e;
  }

  /** Applies a change to an entry under the lock and wakes waiters. */
  synchronized void update(Entry e, java.util.function.Consumer<Entry> change) {
    change.accept(e);
    notifyAll();
  }

  synchronized List<RecordedCall> snapshot() {
    List<RecordedCall> out = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      out.add(e.snapshot());
    }
    return List.copyOf(out);
  }

  synchronized void clear() {
    entries.clear();
    notifyAll();
  }

  /** Waits (real time) until a call matches, returning its snapshot, or empty on timeout. */
  synchronized Optional<RecordedCall> await(Predicate<RecordedCall> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (Entry e : entries) {
        RecordedCall c = e.snapshot();
        if (condition.test(c)) {
          return Optional.of(c);
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }
}
