package dev.switchboard.route;

import dev.switchboard.spi.Candidate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * Rotates through the candidates with one shared counter, so consecutive calls start at
 * consecutive positions and, over many calls, each position is chosen equally often.
 */
final class RoundRobinStrategy extends BuiltInStrategy {
  private final AtomicInteger next = new AtomicInteger();

  RoundRobinStrategy(RandomGenerator random) {
    super(random);
  }

  @Override
  int pick(List<? extends Candidate> candidates, int n) {
    return Math.floorMod(next.getAndIncrement(), n);
  }
}
