package dev.switchboard;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Live facts of one route (key × model): attempts in flight and the latency EWMA. Lock-free. */
final class RouteStats {
  private static final double ALPHA = 0.2;

  final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong ewmaNanos = new AtomicLong(-1);

  long latencyEwmaNanos() {
    return ewmaNanos.get();
  }

  void recordLatency(long nanos) {
    ewmaNanos.getAndUpdate(old -> old < 0 ? nanos : (long) (old + ALPHA * (nanos - old)));
  }
}
