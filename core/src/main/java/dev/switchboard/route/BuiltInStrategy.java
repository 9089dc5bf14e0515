package dev.switchboard.route;

import dev.switchboard.spi.Candidate;
import dev.switchboard.spi.RoutingStrategy;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What the built-in strategies share: a single candidate is chosen without asking the strategy,
 * and a candidate view that throws (views may be user code) never escapes the router's hot path —
 * the choice then falls back to a uniformly random index. Subclasses see only lists of two or
 * more and must not allocate per call.
 */
abstract class BuiltInStrategy implements RoutingStrategy {
  final RandomGenerator random;

  BuiltInStrategy(RandomGenerator random) {
    this.random = random;
  }

  @Override
  public final int choose(List<? extends Candidate> candidates) {
    int n = candidates == null ? 0 : candidates.size();
    if (n <= 1) {
      return 0; // the only valid index (an empty list breaks the caller's contract)
    }
    try {
      int index = pick(candidates, n);
      return index >= 0 && index < n ? index : Math.floorMod(index, n);
    } catch (RuntimeException e) {
      return randomIndex(n);
    }
  }

  /** Returns the chosen index for {@code n >= 2} candidates. */
  abstract int pick(List<? extends Candidate> candidates, int n);

  /** Returns a uniformly random index below {@code n}, or 0 if the random source fails. */
  final int randomIndex(int n) {
    try {
      return random.nextInt(n);
    } catch (RuntimeException e) {
      return 0;
    }
  }
}
