package dev.switchboard.examples.customstrategy;

import dev.switchboard.spi.Candidate;
import dev.switchboard.spi.RoutingStrategy;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.random.RandomGenerator;

/**
 * Sticks to one route per model and moves only when it must: the route it last chose is chosen
 * again while it is eligible and its pool has at least {@link #HEADROOM_FLOOR} of its tightest
 * budget left; otherwise (its pool ran low, its budget did not grant, an attempt on it failed) a new
 * route is drawn at random in proportion to the keys' weights, among the routes above the floor
 * (or among all when none is).
 *
 * <p>Thread-safe: the sticky route of each model is one entry of a concurrent map; two calls
 * racing to replace it both get a valid route and one of their choices stays. Never throws: a
 * candidate view that fails makes the choice fall back to the first candidate.
 */
final class StickyWeightedStrategy implements RoutingStrategy {
  /** A sticky route is kept while its pool has at least this share of its tightest budget. */
  static final double HEADROOM_FLOOR = 0.25;

  private final RandomGenerator random;
  /** The route (key alias) each model sticks to now. */
  private final ConcurrentMap<String, String> stickyByModel = new ConcurrentHashMap<>();

  StickyWeightedStrategy(RandomGenerator random) {
    this.random = random;
  }

  @Override
  public int choose(List<? extends Candidate> candidates) {
    try {
      String model = candidates.get(0).model();
      String current = stickyByModel.get(model);
      if (current != null) {
        for (int i = 0; i < candidates.size(); i++) {
          Candidate c = candidates.get(i);
          if (c.keyAlias().equals(current) && c.headroom() >= HEADROOM_FLOOR) {
            return i;
          }
        }
      }
      int chosen = drawByWeight(candidates);
      String alias = candidates.get(chosen).keyAlias();
      if (current == null) {
        stickyByModel.putIfAbsent(model, alias);
      } else {
        stickyByModel.replace(model, current, alias);
      }
      return chosen;
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** Forgets the sticky route of the candidate's model when an attempt on it failed. */
  @Override
  public void onResult(Candidate candidate, boolean success, long latencyNanos) {
    if (!success) {
      try {
        stickyByModel.remove(candidate.model(), candidate.keyAlias());
      } catch (RuntimeException e) {
        // a failing view: keep the route; the next choice checks its headroom anyway
      }
    }
  }

  /** Returns the route each model sticks to now, for the example's output. */
  String stickyRoute(String model) {
    return stickyByModel.get(model);
  }

  private int drawByWeight(List<? extends Candidate> candidates) {
    int n = candidates.size();
    if (n == 1) {
      return 0;
    }
    long total = 0;
    for (Candidate c : candidates) {
      if (c.headroom() >= HEADROOM_FLOOR) {
        total += Math.max(1, c.weight());
      }
    }
    boolean anyAboveFloor = total > 0;
    if (!anyAboveFloor) {
      for (Candidate c : candidates) {
        total += Math.max(1, c.weight());
      }
    }
    long ticket = random.nextLong(total);
    for (int i = 0; i < n; i++) {
      Candidate c = candidates.get(i);
      if (anyAboveFloor && c.headroom() < HEADROOM_FLOOR) {
        continue;
      }
      ticket -= Math.max(1, c.weight());
      if (ticket < 0) {
        return i;
      }
    }
    return n - 1; // a view changed between the two passes
  }
}
