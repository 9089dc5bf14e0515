package dev.switchboard.route;

import dev.switchboard.spi.Candidate;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Chooses the candidate with the lowest mean latency. A candidate with no latency yet (-1) counts
 * as the fastest so that new routes get measured, ties are broken at random, and with probability
 * {@link #EXPLORATION} a uniformly random candidate is chosen instead so that a route that was slow
 * once gets the chance to show it recovered.
 */
final class LowestLatencyStrategy extends BuiltInStrategy {
  /** The share of choices made at random to keep measuring every route. */
  static final double EXPLORATION = 0.05;

  LowestLatencyStrategy(RandomGenerator random) {
    super(random);
  }

  @Override
  int pick(List<? extends Candidate> candidates, int n) {
    if (random.nextDouble() < EXPLORATION) {
      return random.nextInt(n);
    }
    int best = 0;
    long min = Long.MAX_VALUE;
    int ties = 0;
    for (int i = 0; i < n; i++) {
      long latency = candidates.get(i).latencyEwmaNanos();
      long score = latency < 0 ? -1 : latency;
      if (score < min) {
        min = score;
        best = i;
        ties = 1;
      } else if (score == min && random.nextInt(++ties) == 0) {
        best = i;
      }
    }
    return best;
  }
}
