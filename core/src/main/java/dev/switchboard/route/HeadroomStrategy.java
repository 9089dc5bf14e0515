package dev.switchboard.route;

import dev.switchboard.spi.Candidate;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The power of two random choices: picks two distinct candidates at random and keeps the one with
 * more budget {@link Candidate#headroom() headroom}. Fuller pools are preferred without herding
 * every router onto the single fullest one, and each choice costs two reads.
 */
final class HeadroomStrategy extends BuiltInStrategy {

  HeadroomStrategy(RandomGenerator random) {
    super(random);
  }

  @Override
  int pick(List<? extends Candidate> candidates, int n) {
    int a = random.nextInt(n);
    int b = random.nextInt(n - 1);
    if (b >= a) {
      b++;
    }
    double ha = candidates.get(a).headroom();
    double hb = candidates.get(b).headroom();
    if (Double.isNaN(ha)) {
      return b;
    }
    return hb > ha ? b : a;
  }
}
