package dev.switchboard.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fault script of a running {@link Simulator}: the {@link Fault}s currently injected, matched
 * against every {@code POST /v1/messages} call in the order they were added.
 *
 * <p>Obtain it with {@link Simulator#faults()}. All methods are thread-safe and take effect for the
 * next request; a fault limited with {@link Fault#times(int)} is used up atomically, so under
 * concurrency exactly {@code n} requests get it.
 */
public final class Faults {

  /** One registration: the fault, how often it may still apply, how often it did. */
  static final class Entry {
    final Fault fault;
    final AtomicInteger remaining;
    final AtomicInteger hits = new AtomicInteger();

    Entry(Fault fault) {
      this.fault = fault;
      this.remaining = new AtomicInteger(fault.times);
    }

    /** Takes one application; false once a limited fault is used up. */
    boolean claim() {
      if (fault.times < 0) {
        hits.incrementAndGet();
        return true;
      }
      while (true) {
        int r = remaining.get();
        if (r <= 0) {
          return false;
        }
        if (remaining.compareAndSet(r, r - 1)) {
          hits.incrementAndGet();
          return true;
        }
      }
    }

    boolean exhausted() {
      return fault.times > 0 && remaining.get() <= 0;
    }
  }

  /** The faults one request drew: additive ones, at most one response fault, one stream fault. */
  record Selection(List<Fault> latencies, List<Fault> headers, Fault response, Fault stream) {

    /** Returns this selection with its stream fault set. */
    Selection withStream(Fault streamFault) {
      return new Selection(latencies, headers, response, streamFault);
    }

    static final Selection NONE = new Selection(List.of(), List.of(), null, null);

    boolean isEmpty() {
      return latencies.isEmpty() && headers.isEmpty() && response == null && stream == null;
    }

    /** Returns the labels of the faults applied, for the request log, or null. */
    String label() {
      List<String> parts = new ArrayList<>();
      if (response != null) {
        parts.add(response.label());
      }
      if (stream != null) {
        parts.add(stream.label());
      }
      for (Fault f : latencies) {
        parts.add(f.label());
      }
      for (Fault f : headers) {
        parts.add(f.label());
      }
      return parts.isEmpty() ? null : String.join(", ", parts);
    }
  }

  private final CopyOnWriteArrayList<Entry> entries = new CopyOnWriteArrayList<>();
  /** Used-up limited faults, kept so that {@link #hits(Fault)} still answers. */
  private final CopyOnWriteArrayList<Entry> spent = new CopyOnWriteArrayList<>();

  Faults() {}

  /**
   * Adds {@code fault} at the end of the script; it applies from the next request on.
   *
   * @return this, for chaining
   */
  public Faults add(Fault fault) {
    entries.add(new Entry(Objects.requireNonNull(fault, "fault")));
    return this;
  }

  /** Removes every registration of this fault instance; returns whether there was one. */
  public boolean remove(Fault fault) {
    return entries.removeIf(e -> e.fault == fault);
  }

  /** Removes every fault: the simulator behaves normally again. */
  public void clear() {
    entries.clear();
  }

  /** Returns how many requests this fault instance has been applied to so far (0 if unknown). */
  public int hits(Fault fault) {
    int n = 0;
    for (Entry e : entries) {
      if (e.fault == fault) {
        n += e.hits.get();
      }
    }
    for (Entry e : spent) {
      if (e.fault == fault) {
        n += e.hits.get();
      }
    }
    return n;
  }

  /** Returns the faults that may still apply, in script order. */
  public List<Fault> active() {
    List<Fault> out = new ArrayList<>();
    for (Entry e : entries) {
      if (!e.exhausted()) {
        out.add(e.fault);
      }
    }
    return List.copyOf(out);
  }

  /**
   * Draws the latency, header and response faults for one request, consuming one application of
   * each fault drawn. Stream faults are drawn later, by {@link #selectStream}, once the stream is
   * admitted, so a rejected request never uses one up.
   */
  Selection select(String model, String keyLabel, String organization, boolean stream) {
    if (entries.isEmpty()) {
      return Selection.NONE;
    }
    List<Fault> latencies = new ArrayList<>();
    List<Fault> headers = new ArrayList<>();
    Fault response = null;
    for (Entry e : entries) {
      Fault f = e.fault;
      if (!f.matches(model, keyLabel, organization, stream)) {
        continue;
      }
      Fault.Kind k = f.kind;
      if (k.isStream() || (k.replacesResponse() && response != null)) {
        continue;
      }
      if (!e.claim()) {
        continue;
      }
      if (k == Fault.Kind.LATENCY) {
        latencies.add(f);
      } else if (k == Fault.Kind.HEADER) {
        headers.add(f);
      } else {
        response = f;
      }
      if (e.exhausted() && entries.remove(e)) {
        spent.add(e);
      }
    }
    return new Selection(List.copyOf(latencies), List.copyOf(headers), response, null);
  }

  /** Draws the first matching stream fault for an admitted streaming request, or null. */
  Fault selectStream(String model, String keyLabel, String organization) {
    for (Entry e : entries) {
      Fault f = e.fault;
      if (f.kind.isStream() && f.matches(model, keyLabel, organization, true) && e.claim()) {
        if (e.exhausted() && entries.remove(e)) {
          spent.add(e);
        }
        return f;
      }
    }
    return null;
  }
}
