package dev.switchboard.examples.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Switchboard;
import dev.switchboard.examples.tenants.TenantsExample.BreakerScene;
import dev.switchboard.testkit.RecordedCall;
import dev.switchboard.testkit.Simulator;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TenantsExampleTest {
  private final Simulator sim = TenantsExample.simulator();
  private final Switchboard router = TenantsExample.router(sim.baseUrl(), TenantsExample.simulatedKeys());

  @AfterEach
  void close() {
    router.close();
    sim.close();
  }

  /**
   * Four rejections open mallory's breaker: the fifth and sixth calls fail fast and never reach
   * the API; alice, of the same tenant, is served.
   */
  @Test
  @Timeout(30)
  void userBreaker_opensForTheMisbehavingUserOnly() {
    BreakerScene scene = TenantsExample.userBreaker(router);

    assertThat(scene.mallory()).containsExactly("RequestRejectedException", "RequestRejectedException",
        "RequestRejectedException", "RequestRejectedException", "UserCircuitOpenException",
        "UserCircuitOpenException");
    assertThat(scene.alice()).isEqualTo("answered");
    assertThat(sim.calls()).hasSize(5);
    assertThat(sim.calls().subList(0, 4)).extracting(RecordedCall::status).containsOnly(400);
    assertThat(sim.calls().get(4).status()).isEqualTo(200);
  }

  /**
   * Behind one held slot, acme (weight 3) queues 45 calls, globex (weight 1) 15, initech (weight 1)
   * 5, and globex one interactive call last. The interactive call is served first; while all three
   * wait, admissions go 3:1:1, so initech's five calls are all served among the first 30 (in
   * arrival order they would be 61st to 65th) and acme gets about three fifths of the first 25.
   */
  @Test
  @Timeout(60)
  void fairShare_followsPriorityThenTheTenantsWeights() {
    List<String> order = TenantsExample.fairShare(router, sim, 45, 15, 5);

    assertThat(order).hasSize(66);
    assertThat(order.get(0)).isEqualTo("globex!");
    List<String> first30 = order.subList(1, 31);
    assertThat(Collections.frequency(first30, "initech")).isEqualTo(5);
    List<String> first25 = order.subList(1, 26);
    assertThat(Collections.frequency(first25, "acme")).isBetween(13, 17);
    assertThat(Collections.frequency(first25, "globex")).isBetween(3, 7);
    assertThat(sim.calls()).extracting(RecordedCall::status).containsOnly(200);
  }

  /**
   * The temperature-0 question is answered once per tenant (the second acme call is a cache hit,
   * globex is not served acme's answer); the opted-in question is cached for acme too.
   */
  @Test
  @Timeout(30)
  void responseCache_servesRepeatsWithinATenantOnly() {
    List<Boolean> cached = TenantsExample.responseCache(router);

    assertThat(cached).containsExactly(false, true, false, false, true);
    assertThat(sim.calls()).hasSize(3);
    assertThat(router.snapshot().costs().tenant("acme")).isPositive();
    assertThat(router.snapshot().costs().tenant("globex")).isPositive();
  }

  @Test
  void dollars_formatsSortedAmounts() {
    assertThat(TenantsExample.dollars(java.util.Map.of("globex", 0.00271, "acme", 0.0071)))
        .isEqualTo("{acme=$0.0071, globex=$0.0027}");
  }

  @Test
  @Timeout(60)
  void main_runsAgainstTheEmbeddedSimulatorWithoutAnApiKey() {
    if (System.getenv("ANTHROPIC_API_KEY") != null) {
      return; // main would call the real API; the scenes are covered above
    }
    TenantsExample.main(new String[0]);
  }
}
