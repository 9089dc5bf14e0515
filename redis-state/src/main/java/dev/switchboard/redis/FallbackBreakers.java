package dev.switchboard.redis;

import dev.switchboard.spi.BreakerConfig;
import dev.switchboard.spi.BreakerPermit;
import dev.switchboard.spi.BreakerState;
import dev.switchboard.spi.BreakerStore;
import dev.switchboard.spi.Ticker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Circuit breakers kept in memory while Redis is unreachable, with the semantics of
 * {@code breaker.lua} (count or time window, minimum calls, failure rate, open period doubling up
 * to the cap, half-open probes), timed by the store's ticker. At most {@code maximumBreakers} are
 * kept, least recently used first out. One monitor guards them all (only used during outages).
 */
final class FallbackBreakers implements BreakerStore {
  private final Ticker ticker;
  private final long maximumBreakers;
  private final LinkedHashMap<String, Breaker> breakers = new LinkedHashMap<>(16, 0.75f, true);

  FallbackBreakers(Ticker ticker, long maximumBreakers) {
    this.ticker = ticker;
    this.maximumBreakers = maximumBreakers;
  }

  @Override
  public synchronized BreakerPermit tryAcquire(String name, BreakerConfig config) {
    Breaker b = breaker(name, config);
    long now = ticker.read();
    if (b.state == BreakerState.CLOSED) {
      return new BreakerPermit(true, false, BreakerState.CLOSED, BreakerState.CLOSED, Duration.ZERO);
    }
    if (b.state == BreakerState.OPEN) {
      if (b.openUntil - now > 0) {
        return new BreakerPermit(false, false, BreakerState.OPEN, BreakerState.OPEN,
            Duration.ofNanos(b.openUntil - now));
      }
      b.state = BreakerState.HALF_OPEN;
      b.issued = 1;
      b.succeeded = 0;
      return new BreakerPermit(true, true, BreakerState.HALF_OPEN, BreakerState.OPEN, Duration.ZERO);
    }
    if (b.issued < config.halfOpenProbes()) {
      b.issued++;
      return new BreakerPermit(true, true, BreakerState.HALF_OPEN, BreakerState.HALF_OPEN, Duration.ZERO);
    }
    return new BreakerPermit(false, false, BreakerState.HALF_OPEN, BreakerState.HALF_OPEN,
        config.openDuration());
  }

  @Override
  public synchronized BreakerState record(String name, BreakerConfig config, BreakerPermit permit, boolean failure) {
    Breaker existing = breakers.get(name);
    if (existing == null && permit.probe()) {
      return BreakerState.CLOSED;
    }
    Breaker b = breaker(name, config);
    long now = ticker.read();
    if (permit.probe()) {
      if (b.state != BreakerState.HALF_OPEN) {
        return b.state;
      }
      if (failure) {
        b.trip(config, now);
      } else if (++b.succeeded >= config.halfOpenProbes()) {
        b.state = BreakerState.CLOSED;
        b.trips = 0;
        b.resetWindow();
      }
      return b.state;
    }
    if (b.state != BreakerState.CLOSED) {
      return b.state;
    }
    b.add(config, failure, now);
    int needed = config.windowType() == BreakerConfig.WindowType.COUNT
        ? Math.min(config.minimumCalls(), config.windowSize()) : config.minimumCalls();
    if (b.calls >= needed && b.calls > 0 && (double) b.failures / b.calls >= config.failureRateThreshold()) {
      b.trip(config, now);
    }
    return b.state;
  }

  @Override
  public synchronized void release(String name, BreakerConfig config, BreakerPermit permit) {
    Breaker b = breakers.get(name);
    if (b != null && permit.probe() && b.state == BreakerState.HALF_OPEN && b.issued > b.succeeded) {
      b.issued--;
    }
  }

  @Override
  public synchronized BreakerState state(String name, BreakerConfig config) {
    Breaker b = breakers.get(name);
    return b == null ? BreakerState.CLOSED : b.effective(ticker.read());
  }

  @Override
  public synchronized Map<String, BreakerState> notClosed() {
    long now = ticker.read();
    Map<String, BreakerState> out = new TreeMap<>();
    for (Map.Entry<String, Breaker> e : breakers.entrySet()) {
      BreakerState s = e.getValue().effective(now);
      if (s != BreakerState.CLOSED) {
        out.put(e.getKey(), s);
      }
    }
    return out;
  }

  private Breaker breaker(String name, BreakerConfig config) {
    Breaker b = breakers.get(name);
    if (b == null) {
      b = new Breaker();
      breakers.put(name, b);
      var it = breakers.entrySet().iterator();
      while (breakers.size() > maximumBreakers && it.hasNext()) {
        it.next();
        it.remove();
      }
    }
    if (b.windowType != config.windowType() || b.windowSize != config.windowSize()) {
      b.windowType = config.windowType();
      b.windowSize = config.windowSize();
      b.resetWindow();
    }
    return b;
  }

  /** Returns how long the {@code trips}-th consecutive open period lasts: doubling, capped. */
  static long openNanos(BreakerConfig config, int trips) {
    long d = Durations.nanos(config.openDuration());
    long max = Durations.nanos(config.maxOpenDuration());
    for (int i = 2; i <= trips; i++) {
      if (d >= max / 2) {
        return max;
      }
      d *= 2;
    }
    return Math.min(d, max);
  }

  /** One breaker's state; guarded by the store's monitor. */
  private static final class Breaker {
    BreakerState state = BreakerState.CLOSED;
    BreakerConfig.WindowType windowType;
    int windowSize;
    int trips;
    int issued;
    int succeeded;
    long openUntil;
    int calls;
    int failures;
    /** COUNT: one outcome per slot; TIME: calls and failures per second (slot = second mod size). */
    boolean[] outcomes;
    int position;
    int[] secondCalls;
    int[] secondFailures;
    long headSecond = Long.MIN_VALUE;

    void trip(BreakerConfig config, long now) {
      trips = trips == Integer.MAX_VALUE ? trips : trips + 1;
      long open = openNanos(config, trips);
      openUntil = now + open < now ? Long.MAX_VALUE : now + open;
      state = BreakerState.OPEN;
      issued = 0;
      succeeded = 0;
      resetWindow();
    }

    void resetWindow() {
      calls = 0;
      failures = 0;
      outcomes = null;
      position = 0;
      secondCalls = null;
      secondFailures = null;
      headSecond = Long.MIN_VALUE;
    }

    BreakerState effective(long now) {
      return state == BreakerState.OPEN && openUntil - now <= 0 ? BreakerState.HALF_OPEN : state;
    }

    void add(BreakerConfig config, boolean failure, long now) {
      int size = config.windowSize();
      if (config.windowType() == BreakerConfig.WindowType.COUNT) {
        if (outcomes == null) {
          outcomes = new boolean[size];
        }
        if (calls == size) {
          if (outcomes[position]) {
            failures--;
          }
        } else {
          calls++;
        }
        outcomes[position] = failure;
        if (failure) {
          failures++;
        }
        position = (position + 1) % size;
        return;
      }
      long second = Math.floorDiv(now, 1_000_000_000L);
      if (secondCalls == null) {
        secondCalls = new int[size];
        secondFailures = new int[size];
        headSecond = second;
      }
      long gap = second - headSecond;
      if (gap >= size) {
        java.util.Arrays.fill(secondCalls, 0);
        java.util.Arrays.fill(secondFailures, 0);
        calls = 0;
        failures = 0;
      } else {
        for (long s = headSecond + 1; s <= second; s++) {
          int i = (int) Math.floorMod(s, (long) size);
          calls -= secondCalls[i];
          failures -= secondFailures[i];
          secondCalls[i] = 0;
          secondFailures[i] = 0;
        }
      }
      if (second > headSecond) {
        headSecond = second;
      }
      int i = (int) Math.floorMod(headSecond, (long) size);
      secondCalls[i]++;
      calls++;
      if (failure) {
        secondFailures[i]++;
        failures++;
      }
    }
  }
}
