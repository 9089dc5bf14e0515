package dev.switchboard.examples.customstrategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.Candidate;
import dev.switchboard.spi.StrategyContext;
import dev.switchboard.testkit.FakeTicker;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StickyWeightedStrategyTest {
  private static final String MODEL = "claude-haiku-4-5";

  private final StickyWeightedStrategy strategy = (StickyWeightedStrategy)
      new StickyWeightedStrategyProvider().create(new StrategyContext(new FakeTicker(),
          new SplittableRandom(7)));

  @Test
  void choose_keepsTheStickyRouteWhileItsPoolIsAboveTheFloor() {
    List<Route> routes = List.of(route("a", 1, 1.0), route("b", 1, 1.0), route("c", 1, 1.0));
    int first = strategy.choose(routes);

    for (int i = 0; i < 50; i++) {
      assertThat(strategy.choose(routes)).isEqualTo(first);
    }
    assertThat(strategy.stickyRoute(MODEL)).isEqualTo(routes.get(first).keyAlias());
  }

  @Test
  void choose_followsTheStickyRouteToItsNewIndex() {
    strategy.choose(List.of(route("a", 1, 1.0)));

    assertThat(strategy.choose(List.of(route("b", 5, 1.0), route("c", 5, 1.0), route("a", 1, 1.0))))
        .isEqualTo(2);
  }

  @Test
  void choose_movesWhenTheStickyPoolFallsBelowTheFloor() {
    strategy.choose(List.of(route("a", 1, 1.0)));

    int i = strategy.choose(List.of(route("a", 1, 0.24), route("b", 1, 0.9)));

    assertThat(i).isEqualTo(1);
    assertThat(strategy.stickyRoute(MODEL)).isEqualTo("b");
  }

  @Test
  void choose_drawsOnlyAmongRoutesAboveTheFloorWhenThereAreSome() {
    for (int n = 0; n < 200; n++) {
      int i = strategy.choose(List.of(route("low", 100, 0.1), route("ok", 1, 0.5)));
      assertThat(i).isEqualTo(1);
      strategy.onResult(route("ok", 1, 0.5), false, 0);
    }
  }

  @Test
  void choose_drawsAmongAllRoutesWhenEveryPoolIsLow() {
    int[] counts = new int[2];
    for (int n = 0; n < 400; n++) {
      List<Route> routes = List.of(route("a", 1, 0.1), route("b", 1, 0.0));
      int i = strategy.choose(routes);
      counts[i]++;
      strategy.onResult(routes.get(i), false, 0);
    }
    assertThat(counts[0]).isPositive();
    assertThat(counts[1]).isPositive();
  }

  /** With weights 1 and 3, a new sticky route is the heavy one about three times out of four. */
  @Test
  void onResult_failureUnsticks_andNewRoutesAreDrawnByWeight() {
    int heavy = 0;
    int draws = 4_000;
    for (int n = 0; n < draws; n++) {
      List<Route> routes = List.of(route("light", 1, 1.0), route("heavy", 3, 1.0));
      int i = strategy.choose(routes);
      if (i == 1) {
        heavy++;
      }
      strategy.onResult(routes.get(i), false, 0);
      assertThat(strategy.stickyRoute(MODEL)).isNull();
    }
    assertThat(heavy / (double) draws).isBetween(0.72, 0.78);
  }

  @Test
  void onResult_successKeepsTheRoute() {
    Route a = route("a", 1, 1.0);
    strategy.choose(List.of(a));

    strategy.onResult(a, true, 1_000_000);

    assertThat(strategy.stickyRoute(MODEL)).isEqualTo("a");
  }

  @Test
  void onResult_failureOfAnotherRouteKeepsTheStickyOne() {
    strategy.choose(List.of(route("a", 1, 1.0)));

    strategy.onResult(route("b", 1, 1.0), false, 0);

    assertThat(strategy.stickyRoute(MODEL)).isEqualTo("a");
  }

  @Test
  void choose_keepsOneStickyRoutePerModel() {
    strategy.choose(List.of(route("a", 1, 1.0)));
    strategy.choose(List.of(new Route("b", "other-model", 1, 1.0)));

    assertThat(strategy.stickyRoute(MODEL)).isEqualTo("a");
    assertThat(strategy.stickyRoute("other-model")).isEqualTo("b");
  }

  @Test
  void choose_withAFailingViewReturnsTheFirstIndexInsteadOfThrowing() {
    Candidate broken = new Route("x", MODEL, 1, 1.0) {
      @Override
      public double headroom() {
        throw new IllegalStateException("view failed");
      }
    };

    assertThat(strategy.choose(List.of(broken, route("y", 1, 1.0)))).isZero();
  }

  private static Route route(String alias, int weight, double headroom) {
    return new Route(alias, MODEL, weight, headroom);
  }

  /** A fixed candidate. */
  static class Route implements Candidate {
    private final String alias;
    private final String model;
    private final int weight;
    private final double headroom;

    Route(String alias, String model, int weight, double headroom) {
      this.alias = alias;
      this.model = model;
      this.weight = weight;
      this.headroom = headroom;
    }

    @Override
    public String keyAlias() {
      return alias;
    }

    @Override
    public String organization() {
      return "org-" + alias;
    }

    @Override
    public String model() {
      return model;
    }

    @Override
    public int weight() {
      return weight;
    }

    @Override
    public int inFlight() {
      return 0;
    }

    @Override
    public double headroom() {
      return headroom;
    }

    @Override
    public long latencyEwmaNanos() {
      return -1;
    }
  }
}
