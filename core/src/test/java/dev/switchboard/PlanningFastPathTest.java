package dev.switchboard;

import static dev.switchboard.FakeTransport.error;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Fixtures.Events;
import dev.switchboard.schedule.FakeScheduler;
import dev.switchboard.spi.Candidate;
import dev.switchboard.spi.RoutingStrategy;
import dev.switchboard.testkit.FakeTicker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Planning asks the strategy to choose among the tier's routes for the call's tenant before it
 * reads any other route's health; only when that choice cannot serve now does it collect the
 * eligible routes and ask again among those.
 */
class PlanningFastPathTest {
  private static final String OPUS = "claude-opus-4-6";

  private final FakeTicker ticker = new FakeTicker();
  private final FakeScheduler scheduler = new FakeScheduler(ticker);
  private final FakeTransport transport = new FakeTransport();
  private final Events events = new Events();
  /** The aliases of every list the strategy was shown, in order. */
  private final List<List<String>> shown = new CopyOnWriteArrayList<>();
  private final RoutingStrategy last = new RoutingStrategy() {
    @Override
    public int choose(List<? extends Candidate> candidates) {
      shown.add(candidates.stream().map(Candidate::keyAlias).toList());
      return candidates.size() - 1;
    }
  };

  private Switchboard router() {
    return Fixtures.builder(ticker, scheduler, transport, events).strategy(last)
        .key("a1", "sk-a1", "org-1").key("b1", "sk-b1", "org-2").key("c1", "sk-c1", "org-3")
        .model(OPUS).build();
  }

  @Test
  void allRoutesHealthy_strategyChoosesOnceAmongTheWholeTier() {
    RoutedResponse r = router().send(Fixtures.request(100));

    assertThat(r.keyAlias()).isEqualTo("c1");
    assertThat(shown).containsExactly(List.of("a1", "b1", "c1"));
  }

  @Test
  void choiceCooling_strategyChoosesAgainAmongTheRoutesThatCanServe() {
    Switchboard router = router();
    transport.then(error(429, "rate_limit_error", "over", null, Map.of("retry-after", "30")));
    router.send(Fixtures.request(100)); // c1 answers 429: org-3 cools down, b1 serves
    shown.clear();

    RoutedResponse r = router.send(Fixtures.request(100));

    assertThat(r.keyAlias()).isEqualTo("b1");
    assertThat(shown).containsExactly(List.of("a1", "b1", "c1"), List.of("a1", "b1"));
  }

  @Test
  void tenantBinding_strategySeesOnlyTheTenantsKeys() {
    Switchboard router = Fixtures.builder(ticker, scheduler, transport, events).strategy(last)
        .key("a1", "sk-a1", "org-1").key("b1", "sk-b1", "org-2").key("c1", "sk-c1", "org-3")
        .model(OPUS).tenantKeys("acme", "a1", "b1").build();

    RoutedResponse r = router.send(Fixtures.request(100), CallOptions.DEFAULT.tenant("acme"));

    assertThat(r.keyAlias()).isEqualTo("b1");
    assertThat(shown).containsExactly(List.of("a1", "b1"));
    shown.clear();
    RoutedResponse other = router.send(Fixtures.request(100), CallOptions.DEFAULT.tenant("other"));
    assertThat(other.keyAlias()).isEqualTo("c1");
    assertThat(shown).isEmpty(); // one route: chosen without asking the strategy
  }
}
