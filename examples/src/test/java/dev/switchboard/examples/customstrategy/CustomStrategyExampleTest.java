package dev.switchboard.examples.customstrategy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Switchboard;
import dev.switchboard.examples.customstrategy.CustomStrategyExample.RouteKey;
import dev.switchboard.spi.Providers;
import dev.switchboard.spi.RoutingStrategyProvider;
import dev.switchboard.testkit.RecordedCall;
import dev.switchboard.testkit.Simulator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The custom strategy through the SPI: found by ServiceLoader, selected by name, followed by the router. */
class CustomStrategyExampleTest {

  @Test
  void strategyNames_findTheExampleNextToTheFiveBuiltIns() {
    assertThat(CustomStrategyExample.strategyNames()).containsExactlyInAnyOrder(
        "round-robin", "weighted", "least-in-flight", "headroom", "lowest-latency", "sticky-weighted");
    assertThat(Providers.find(RoutingStrategyProvider.class, "sticky-weighted",
        getClass().getClassLoader())).isInstanceOf(StickyWeightedStrategyProvider.class);
  }

  /**
   * Both organizations have 8 requests per minute. The router sticks to the key it drew while its
   * pool has at least 2 of 8 requests left (a quarter), so 7 calls go to one organization, then
   * the next 7 to the other: drain, then spill. Round robin would alternate; no 429 is needed to
   * move.
   */
  @Test
  @Timeout(30)
  void send_sticksToOneOrganizationThenSpillsWhenItsPoolRunsLow() {
    try (Simulator sim = CustomStrategyExample.simulator(8);
        Switchboard router = CustomStrategyExample.router(sim.baseUrl(),
            CustomStrategyExample.simulatedKeys(), CustomStrategyExample.limits(8))) {
      List<String> servedBy = CustomStrategyExample.send(router, 14);

      String first = servedBy.get(0);
      String second = first.equals("team-a") ? "team-c" : "team-a";
      assertThat(servedBy.subList(0, 7)).containsOnly(first);
      assertThat(servedBy.subList(7, 14)).containsOnly(second);
      assertThat(sim.calls()).extracting(RecordedCall::status).containsOnly(200);
    }
  }

  /** A failed attempt unsticks the route: after the sticky key is revoked, calls stick to the other. */
  @Test
  @Timeout(30)
  void send_movesToTheOtherKeyWhenTheStickyOneIsRevoked() {
    try (Simulator sim = CustomStrategyExample.simulator(1_000);
        Switchboard router = CustomStrategyExample.router(sim.baseUrl(),
            CustomStrategyExample.simulatedKeys(), CustomStrategyExample.limits(1_000))) {
      List<String> before = CustomStrategyExample.send(router, 4);
      String sticky = before.get(0);
      assertThat(before).containsOnly(sticky);

      sim.setKeyState(sticky, Simulator.KeyState.REVOKED);
      List<String> after = CustomStrategyExample.send(router, 4);

      String other = sticky.equals("team-a") ? "team-c" : "team-a";
      assertThat(after).containsOnly(other);
      assertThat(sim.callsFor(sticky)).extracting(RecordedCall::status)
          .containsExactly(200, 200, 200, 200, 401);
      assertThat(router.snapshot().disabled()).containsKey("key:" + sticky);
    }
  }

  @Test
  void routeKey_toStringHidesTheSecret() {
    assertThat(new RouteKey("team-a", "sk-ant-secret-value", "org-1", 2).toString())
        .doesNotContain("sk-ant-secret-value").contains("team-a");
  }

  @Test
  @Timeout(60)
  void main_runsAgainstTheEmbeddedSimulatorWithoutAnApiKey() {
    if (System.getenv("ANTHROPIC_API_KEY") != null) {
      return; // main would call the real API; the router is covered above
    }
    CustomStrategyExample.main(new String[0]);
  }
}
