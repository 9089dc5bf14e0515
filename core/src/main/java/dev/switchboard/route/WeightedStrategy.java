package dev.switchboard.route;

import dev.switchboard.spi.Candidate;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Weighted random choice: each candidate is chosen with probability {@code weight / total}. Unlike
 * smooth weighted round robin it needs no per-candidate state, so it stays correct while the
 * candidate list changes from call to call (cooldowns, budgets) and allocates nothing. Weights
 * below 1 count as 1.
 */
final class WeightedStrategy extends BuiltInStrategy {

  WeightedStrategy(RandomGenerator random) {
    super(random);
  }

  @Override
  int pick(List<? extends Candidate> candidates, int n) {
    long total = 0;
    for (int i = 0; i < n; i++) {
      total += weight(candidates.get(i));
    }
    long ticket = random.nextLong(total);
    for (int i = 0; i < n; i++) {
      ticket -= weight(candidates.get(i));
      if (ticket < 0) {
        return i;
      }
    }
    return n - 1; // weights changed between the two passes
  }

  private static int weight(Candidate c) {
    return Math.max(1, c.weight());
  }
}
