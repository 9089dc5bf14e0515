package dev.switchboard.examples.demo;

import dev.switchboard.spi.BreakerState;
import dev.switchboard.spi.Outcome;
import dev.switchboard.spi.RouterEvent;
import dev.switchboard.spi.RouterListener;
import java.util.List;
import java.util.function.Consumer;

/**
 * Counts a router's decisions into a {@link Tally} (per key × model: attempts, 429s, cooldowns,
 * breaker trips, fallbacks, cache hits, latency) and tells the live log about the loud ones (a key
 * disabled, a breaker opening or closing), then passes every event on to {@code next} listeners
 * (e.g. {@link dev.switchboard.stats.SlaStats}). Thread-safe and non-blocking, as a listener must
 * be.
 */
final class TallyListener implements RouterListener {
  private final Tally tally;
  private final Consumer<String> log;
  private final String routerName;
  private final List<RouterListener> next;

  TallyListener(Tally tally, Consumer<String> log, String routerName, List<RouterListener> next) {
    this.tally = tally;
    this.log = log;
    this.routerName = routerName;
    this.next = List.copyOf(next);
  }

  @Override
  public void onEvent(RouterEvent event) {
    RouterListener.super.onEvent(event);
    for (RouterListener l : next) {
      try {
        l.onEvent(event);
      } catch (RuntimeException ex) {
        log.accept("listener " + l.getClass().getSimpleName() + " threw "
            + ex.getClass().getSimpleName());
      }
    }
  }

  @Override
  public void attemptFinished(RouterEvent.AttemptFinished e) {
    tally.attempts.increment();
    boolean limited = e.outcome() == Outcome.RATE_LIMITED;
    if (limited) {
      tally.rateLimitedAttempts.increment();
    }
    tally.row(e.keyAlias(), e.model()).attempt(e.outcome() == Outcome.SUCCESS, limited,
        e.latencyNanos());
  }

  @Override
  public void cooledDown(RouterEvent.CooledDown e) {
    tally.cooldowns.increment();
    tally.row(e.keyAlias() == null ? "*" : e.keyAlias(), e.model() == null ? "*" : e.model())
        .cooldowns.increment();
  }

  @Override
  public void keyDisabled(RouterEvent.KeyDisabled e) {
    tally.keysDisabled.add(e.keyAlias());
    log.accept(routerName + "KEY DISABLED " + e.keyAlias() + " (" + e.organization() + "): "
        + e.outcome() + ", " + e.reason() + "  <- page someone");
  }

  @Override
  public void breakerStateChanged(RouterEvent.BreakerStateChanged e) {
    if (e.to() == BreakerState.OPEN) {
      tally.breakerTrips.increment();
      String name = e.breaker();
      if (name.startsWith("model:")) {
        tally.row("* all keys", name.substring("model:".length())).breakerTrips.increment();
      } else if (name.startsWith("route:")) {
        String route = name.substring("route:".length());
        int slash = route.indexOf('/');
        if (slash > 0) {
          tally.row(route.substring(0, slash), route.substring(slash + 1)).breakerTrips.increment();
        }
      }
    }
    boolean settled = e.to() == BreakerState.OPEN || e.to() == BreakerState.CLOSED;
    if (e.breaker().startsWith("model:") && settled) {
      log.accept(routerName + "breaker " + e.breaker() + " " + e.from() + " -> " + e.to());
    }
  }

  @Override
  public void callFinished(RouterEvent.CallFinished e) {
    if (e.fallback()) {
      tally.fallbacks.increment();
      if (e.keyAlias() != null && e.model() != null) {
        tally.row(e.keyAlias(), e.model()).fallbacks.increment();
      }
    }
    if (e.cached() && e.model() != null) {
      tally.row(e.keyAlias() == null ? "(cache)" : e.keyAlias(), e.model()).cacheHits.increment();
    }
  }
}
