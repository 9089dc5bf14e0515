package dev.switchboard;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Probation of a key, or of a budget pool whose limits are unknown. A key is unproven until one of
 * its attempts gets an HTTP answer that is not a key or organization fault; a pool until one of
 * its attempts gets any HTTP answer (which carries the limits to learn). While unproven it carries
 * at most one attempt at a time, so a key revoked before the router started is used exactly once,
 * and a pool of unknown limits is not flooded before its first response teaches them, however
 * many calls run at once. Lock-free.
 */
final class KeyHealth {
  final AtomicInteger inFlight = new AtomicInteger();
  volatile boolean proven;

  /** Takes an attempt slot: always when proven, only the single probe slot when not. */
  boolean tryEnter() {
    if (proven) {
      inFlight.incrementAndGet();
      return true;
    }
    return inFlight.compareAndSet(0, 1);
  }

  void exit() {
    inFlight.decrementAndGet();
  }
}
