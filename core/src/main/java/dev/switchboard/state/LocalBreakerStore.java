package dev.switchboard.state;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.switchboard.spi.BreakerConfig;
import dev.switchboard.spi.BreakerPermit;
import dev.switchboard.spi.BreakerState;
import dev.switchboard.spi.BreakerStore;
import dev.switchboard.spi.BreakerTransition;
import dev.switchboard.spi.Ticker;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-process circuit breakers in a Caffeine cache, bounded by
 * {@link dev.switchboard.spi.StateStoreConfig#maximumBreakers()} and forgotten after
 * {@link #IDLE_EXPIRY} without use, both measured by the store's ticker.
 *
 * <p>Only CLOSED breakers count against the size bound (a weigher gives non-CLOSED ones weight 0,
 * re-weighed on every transition), so a burst of new per-user breakers never evicts an OPEN model
 * or route breaker early. The trade-off: non-CLOSED breakers are bounded only by the idle expiry,
 * so a flood of distinct failing users can hold more than {@code maximumBreakers} entries for up
 * to ten minutes (about 250 bytes each). An OPEN breaker idle for ten minutes is forgotten and
 * starts CLOSED again, which is harmless once its open period (normally far shorter) has passed.
 *
 * <p>Each breaker is guarded by its own monitor; different breakers never contend.
 */
final class LocalBreakerStore implements BreakerStore {
  /** How long an unused breaker is kept. */
  static final Duration IDLE_EXPIRY = Duration.ofMinutes(10);

  /** The permit of every call a CLOSED breaker lets through (immutable, shared). */
  static final BreakerPermit CLOSED_PERMIT =
      new BreakerPermit(true, false, BreakerState.CLOSED, BreakerState.CLOSED, Duration.ZERO);
  private static final BreakerPermit PROBE =
      new BreakerPermit(true, true, BreakerState.HALF_OPEN, BreakerState.HALF_OPEN, Duration.ZERO);
  private static final BreakerPermit FIRST_PROBE =
      new BreakerPermit(true, true, BreakerState.HALF_OPEN, BreakerState.OPEN, Duration.ZERO);

  private static final BreakerState[] STATES = BreakerState.values();

  private final Ticker ticker;
  private final Cache<String, Breaker> breakers;
  /** The breakers that were not CLOSED at their last transition (filtered again when read). */
  private final ConcurrentHashMap<String, Breaker> notClosed = new ConcurrentHashMap<>();

  LocalBreakerStore(Ticker ticker, long maximumBreakers) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.breakers = Caffeine.newBuilder()
        .maximumWeight(maximumBreakers)
        .weigher((String name, Breaker b) -> b.state == BreakerState.CLOSED ? 1 : 0)
        .expireAfterAccess(IDLE_EXPIRY)
        .ticker(ticker::read)
        .executor(Runnable::run)
        .evictionListener((String name, Breaker b, RemovalCause cause) -> {
          if (name != null && b != null) {
            notClosed.remove(name, b);
          }
        })
        .build();
  }

  @Override
  public BreakerPermit tryAcquire(String name, BreakerConfig config) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(config, "config");
    Breaker b = breakers.getIfPresent(name);
    if (b == null) {
      b = breakers.get(name, k -> new Breaker(config));
    }
    BreakerPermit permit;
    synchronized (b) {
      permit = b.acquire(config, ticker.read());
      if (permit.changed()) {
        track(name, b);
      }
    }
    if (permit.changed()) {
      reweigh(name, b);
    }
    return permit;
  }

  @Override
  public BreakerState record(String name, BreakerConfig config, BreakerPermit permit, boolean failure) {
    int change = recordOutcome(name, config, permit, failure);
    return change < 0 ? BreakerState.CLOSED : STATES[change % 3];
  }

  /**
   * Records the outcome of a permitted call like {@link #record}, and returns the transition it
   * caused (the states before and after, read under the breaker's monitor), or null when the
   * state did not change.
   */
  BreakerTransition recordTransition(String name, BreakerConfig config, BreakerPermit permit, boolean failure) {
    int change = recordOutcome(name, config, permit, failure);
    if (change < 0 || change / 3 == change % 3) {
      return null;
    }
    return new BreakerTransition(name, STATES[change / 3], STATES[change % 3]);
  }

  /**
   * Records an outcome; returns {@code before.ordinal() * 3 + after.ordinal()}, or -1 when the
   * breaker of a probe was forgotten meanwhile (a fresh one starts CLOSED). Allocates nothing.
   */
  private int recordOutcome(String name, BreakerConfig config, BreakerPermit permit, boolean failure) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(permit, "permit");
    Breaker b = breakers.getIfPresent(name);
    if (b == null) {
      if (permit.probe()) {
        return -1;
      }
      b = breakers.get(name, k -> new Breaker(config));
    }
    BreakerState before;
    BreakerState after;
    synchronized (b) {
      before = b.state;
      after = b.record(config, permit, failure, ticker.read());
      if (after != before) {
        track(name, b);
      }
    }
    if (after != before) {
      reweigh(name, b);
    }
    return before.ordinal() * 3 + after.ordinal();
  }

  @Override
  public void release(String name, BreakerConfig config, BreakerPermit permit) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(permit, "permit");
    if (!permit.probe()) {
      return;
    }
    Breaker b = breakers.getIfPresent(name);
    if (b != null) {
      synchronized (b) {
        b.releaseProbe();
      }
    }
  }

  @Override
  public BreakerState state(String name, BreakerConfig config) {
    Objects.requireNonNull(name, "name");
    Breaker b = breakers.policy().getIfPresentQuietly(name);
    if (b == null) {
      return BreakerState.CLOSED;
    }
    synchronized (b) {
      return b.effectiveState(ticker.read());
    }
  }

  @Override
  public Map<String, BreakerState> notClosed() {
    long now = ticker.read();
    Map<String, BreakerState> out = new TreeMap<>();
    for (Map.Entry<String, Breaker> e : notClosed.entrySet()) {
      Breaker b = e.getValue();
      BreakerState s;
      synchronized (b) {
        s = b.effectiveState(now);
      }
      if (s == BreakerState.CLOSED) {
        notClosed.remove(e.getKey(), b);
      } else {
        out.put(e.getKey(), s);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** Returns the number of breakers held now, after pending maintenance; for tests. */
  long size() {
    breakers.cleanUp();
    return breakers.estimatedSize();
  }

  /** Keeps the side index of non-CLOSED breakers; called under the breaker's monitor. */
  private void track(String name, Breaker b) {
    if (b.state == BreakerState.CLOSED) {
      notClosed.remove(name, b);
    } else {
      notClosed.put(name, b);
    }
  }

  /** Makes Caffeine re-read the weight (0 when not CLOSED) after a transition. */
  private void reweigh(String name, Breaker b) {
    breakers.asMap().replace(name, b, b);
  }

  static long openNanos(BreakerConfig config, int trips) {
    long base = LocalHealthStore.saturatedNanos(config.openDuration());
    long max = LocalHealthStore.saturatedNanos(config.maxOpenDuration());
    int shift = Math.max(0, trips - 1);
    if (shift >= 62 || base > (max >> shift)) {
      return max;
    }
    return Math.min(base << shift, max);
  }

  /**
   * One breaker: about 64 bytes plus its window ({@code long[]}, one bit per call for a count
   * window, one packed calls/failures pair per second for a time window), allocated on the first
   * recorded outcome. Guarded by its own monitor; {@link #state} is volatile so the weigher may
   * read it without the lock.
   */
  static final class Breaker {
    volatile BreakerState state = BreakerState.CLOSED;
    private BreakerConfig config;
    /** Consecutive trips without a return to CLOSED. */
    private int trips;
    /** Probes handed out in the current HALF_OPEN period (released ones are given back). */
    private int probesIssued;
    private int probesSucceeded;
    private long openUntil;
    /** COUNT: one failure bit per slot; TIME: per second, calls in the high and failures in the low half. */
    private long[] slots;
    private int position;
    private int calls;
    private int failures;
    /** TIME: the second of the newest bucket. */
    private long headSecond;

    Breaker(BreakerConfig config) {
      this.config = config;
    }

    BreakerPermit acquire(BreakerConfig current, long now) {
      reconfigure(current);
      BreakerState s = state;
      if (s == BreakerState.CLOSED) {
        return CLOSED_PERMIT;
      }
      if (s == BreakerState.OPEN) {
        long left = openUntil - now;
        if (left > 0) {
          return new BreakerPermit(false, false, BreakerState.OPEN, BreakerState.OPEN,
              Duration.ofNanos(left));
        }
        state = BreakerState.HALF_OPEN;
        probesIssued = 1;
        probesSucceeded = 0;
        return FIRST_PROBE;
      }
      if (probesIssued < current.halfOpenProbes()) {
        probesIssued++;
        return PROBE;
      }
      // Every probe is out; no verdict is due at a known time, so hint the base open period.
      return new BreakerPermit(false, false, BreakerState.HALF_OPEN, BreakerState.HALF_OPEN,
          current.openDuration());
    }

    BreakerState record(BreakerConfig current, BreakerPermit permit, boolean failure, long now) {
      reconfigure(current);
      if (permit.probe()) {
        if (state != BreakerState.HALF_OPEN) {
          return state; // a late probe of an earlier period: its verdict is already taken
        }
        if (failure) {
          trip(now);
        } else if (++probesSucceeded >= current.halfOpenProbes()) {
          state = BreakerState.CLOSED;
          trips = 0;
          resetWindow();
        }
        return state;
      }
      if (state != BreakerState.CLOSED) {
        return state; // permitted while CLOSED, finished after the trip: ignored
      }
      add(failure, now);
      int minimum = current.windowType() == BreakerConfig.WindowType.COUNT
          ? Math.min(current.minimumCalls(), current.windowSize())
          : current.minimumCalls();
      if (calls >= minimum && calls > 0
          && (double) failures / calls >= current.failureRateThreshold()) {
        trip(now);
      }
      return state;
    }

    void releaseProbe() {
      if (state == BreakerState.HALF_OPEN && probesIssued > probesSucceeded) {
        probesIssued--;
      }
    }

    BreakerState effectiveState(long now) {
      BreakerState s = state;
      if (s == BreakerState.OPEN && openUntil - now <= 0) {
        return BreakerState.HALF_OPEN;
      }
      return s;
    }

    private void trip(long now) {
      trips = trips == Integer.MAX_VALUE ? trips : trips + 1;
      long open = openNanos(config, trips);
      openUntil = LocalHealthStore.saturatedAdd(now, open);
      state = BreakerState.OPEN;
      probesIssued = 0;
      probesSucceeded = 0;
      resetWindow();
    }

    private void reconfigure(BreakerConfig current) {
      if (current == config) {
        return;
      }
      if (current.windowType() != config.windowType() || current.windowSize() != config.windowSize()) {
        resetWindow();
      }
      config = current;
    }

    private void resetWindow() {
      slots = null;
      position = 0;
      calls = 0;
      failures = 0;
      headSecond = 0;
    }

    private void add(boolean failure, long now) {
      int size = config.windowSize();
      if (config.windowType() == BreakerConfig.WindowType.COUNT) {
        if (slots == null) {
          slots = new long[(size + 63) >>> 6];
        }
        int word = position >>> 6;
        long bit = 1L << (position & 63);
        if (calls == size) {
          if ((slots[word] & bit) != 0) {
            failures--;
          }
        } else {
          calls++;
        }
        if (failure) {
          slots[word] |= bit;
          failures++;
        } else {
          slots[word] &= ~bit;
        }
        position = position + 1 == size ? 0 : position + 1;
        return;
      }
      long second = Math.floorDiv(now, 1_000_000_000L);
      if (slots == null) {
        slots = new long[size];
        headSecond = second;
      } else {
        advanceTo(second, size);
      }
      int index = (int) Math.floorMod(headSecond, (long) size);
      slots[index] += (1L << 32) + (failure ? 1 : 0);
      calls++;
      if (failure) {
        failures++;
      }
    }

    /** Drops the per-second buckets that fell out of the time window. */
    private void advanceTo(long second, int size) {
      long gap = second - headSecond;
      if (gap <= 0) {
        return;
      }
      if (gap >= size) {
        Arrays.fill(slots, 0L);
        calls = 0;
        failures = 0;
      } else {
        for (long s = headSecond + 1; s <= second; s++) {
          int index = (int) Math.floorMod(s, (long) size);
          long bucket = slots[index];
          calls -= (int) (bucket >>> 32);
          failures -= (int) (bucket & 0xFFFF_FFFFL);
          slots[index] = 0;
        }
      }
      headSecond = second;
    }
  }
}
