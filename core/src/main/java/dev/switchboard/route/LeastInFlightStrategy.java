package dev.switchboard.route;

import dev.switchboard.spi.Candidate;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Chooses the candidate with the fewest attempts in flight; among equals, each is equally likely
 * (reservoir sampling over the ties, one pass, no allocation).
 */
final class LeastInFlightStrategy extends BuiltInStrategy {

  LeastInFlightStrategy(RandomGenerator random) {
    super(random);
  }

  @Override
  int pick(List<? extends Candidate> candidates, int n) {
    int best = 0;
    int min = Integer.MAX_VALUE;
    int ties = 0;
    for (int i = 0; i < n; i++) {
      int load = candidates.get(i).inFlight();
      if (load < min) {
        min = load;
        best = i;
        ties = 1;
      } else if (load == min && random.nextInt(++ties) == 0) {
        best = i;
      }
    }
    return best;
  }
}
