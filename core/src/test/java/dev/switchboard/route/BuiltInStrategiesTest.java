package dev.switchboard.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.spi.RoutingStrategy;
import dev.switchboard.spi.RoutingStrategyProvider;
import dev.switchboard.spi.StrategyContext;
import dev.switchboard.testkit.FakeTicker;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** How each built-in strategy prefers candidates. */
class BuiltInStrategiesTest {

  static RoutingStrategy create(RoutingStrategyProvider provider) {
    return provider.create(new StrategyContext(new FakeTicker(), new Random(2026)));
  }

  static int[] counts(RoutingStrategy strategy, List<TestCandidate> candidates, int calls) {
    int[] counts = new int[candidates.size()];
    for (int i = 0; i < calls; i++) {
      counts[strategy.choose(candidates)]++;
    }
    return counts;
  }

  static List<TestCandidate> named(int n) {
    List<TestCandidate> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(TestCandidate.named("k" + i));
    }
    return list;
  }

  @Test
  void roundRobin_rotatesInOrder() {
    RoutingStrategy strategy = create(new RoundRobinStrategyProvider());
    List<TestCandidate> three = named(3);

    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      order.add(strategy.choose(three));
    }

    assertThat(order).containsExactly(0, 1, 2, 0, 1, 2, 0);
  }

  @Test
  void roundRobin_isExactlyEven() {
    RoutingStrategy strategy = create(new RoundRobinStrategyProvider());

    assertThat(counts(strategy, named(4), 4_000)).containsOnly(1_000);
  }

  @Test
  void weighted_choosesInProportionToWeight() {
    RoutingStrategy strategy = create(new WeightedStrategyProvider());
    List<TestCandidate> candidates = List.of(TestCandidate.named("a").withWeight(1),
        TestCandidate.named("b").withWeight(2), TestCandidate.named("c").withWeight(7));

    int[] counts = counts(strategy, candidates, 100_000);

    assertThat(counts[0] / 100_000.0).isCloseTo(0.1, within(0.01));
    assertThat(counts[1] / 100_000.0).isCloseTo(0.2, within(0.01));
    assertThat(counts[2] / 100_000.0).isCloseTo(0.7, within(0.01));
  }

  @Test
  void weighted_treatsWeightBelowOneAsOne() {
    RoutingStrategy strategy = create(new WeightedStrategyProvider());
    List<TestCandidate> candidates = List.of(TestCandidate.named("a").withWeight(0),
        TestCandidate.named("b").withWeight(1));

    int[] counts = counts(strategy, candidates, 10_000);

    assertThat(counts[0] / 10_000.0).isCloseTo(0.5, within(0.03));
  }

  @Test
  void leastInFlight_choosesTheMinimum() {
    RoutingStrategy strategy = create(new LeastInFlightStrategyProvider());
    List<TestCandidate> candidates = List.of(TestCandidate.named("a").withInFlight(5),
        TestCandidate.named("b").withInFlight(2), TestCandidate.named("c").withInFlight(9));

    assertThat(counts(strategy, candidates, 1_000)).containsExactly(0, 1_000, 0);
  }

  @Test
  void leastInFlight_breaksTiesAtRandom() {
    RoutingStrategy strategy = create(new LeastInFlightStrategyProvider());
    List<TestCandidate> candidates = List.of(TestCandidate.named("a").withInFlight(1),
        TestCandidate.named("b").withInFlight(3), TestCandidate.named("c").withInFlight(1),
        TestCandidate.named("d").withInFlight(1));

    int[] counts = counts(strategy, candidates, 30_000);

    assertThat(counts[1]).isZero();
    for (int i : new int[] {0, 2, 3}) {
      assertThat(counts[i] / 30_000.0).isCloseTo(1.0 / 3, within(0.02));
    }
  }

  @Test
  void headroom_ofTwoAlwaysPrefersTheFuller() {
    RoutingStrategy strategy = create(new HeadroomStrategyProvider());
    List<TestCandidate> candidates = List.of(TestCandidate.named("a").withHeadroom(0.2),
        TestCandidate.named("b").withHeadroom(0.8));

    assertThat(counts(strategy, candidates, 1_000)).containsExactly(0, 1_000);
  }

  @Test
  void headroom_prefersFullerPoolsStatistically() {
    RoutingStrategy strategy = create(new HeadroomStrategyProvider());
    List<TestCandidate> candidates = List.of(TestCandidate.named("low").withHeadroom(0.1),
        TestCandidate.named("mid").withHeadroom(0.5), TestCandidate.named("high").withHeadroom(0.9));

    int[] counts = counts(strategy, candidates, 30_000);

    assertThat(counts[0]).isZero(); // it loses every pair it is drawn into
    assertThat(counts[1] / 30_000.0).isCloseTo(1.0 / 3, within(0.02)); // wins only against "low"
    assertThat(counts[2] / 30_000.0).isCloseTo(2.0 / 3, within(0.02)); // wins every pair it is in
  }

  @Test
  void lowestLatency_prefersTheFastestButExplores() {
    RoutingStrategy strategy = create(new LowestLatencyStrategyProvider());
    List<TestCandidate> candidates = List.of(TestCandidate.named("slow").withLatency(900_000_000),
        TestCandidate.named("fast").withLatency(100_000_000),
        TestCandidate.named("medium").withLatency(400_000_000));

    int[] counts = counts(strategy, candidates, 30_000);

    double exploreShare = LowestLatencyStrategy.EXPLORATION / 3;
    assertThat(counts[1] / 30_000.0).isCloseTo(1 - 2 * exploreShare, within(0.01));
    assertThat(counts[0] / 30_000.0).isCloseTo(exploreShare, within(0.005));
    assertThat(counts[2] / 30_000.0).isCloseTo(exploreShare, within(0.005));
  }

  @Test
  void lowestLatency_treatsUnmeasuredRoutesAsFastest() {
    RoutingStrategy strategy = create(new LowestLatencyStrategyProvider());
    List<TestCandidate> candidates = List.of(TestCandidate.named("fast").withLatency(1_000_000),
        TestCandidate.named("new").withLatency(-1));

    int[] counts = counts(strategy, candidates, 10_000);

    assertThat(counts[1] / 10_000.0).isGreaterThan(0.95);
  }
}
