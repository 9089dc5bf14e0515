package dev.switchboard.examples.shared;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.examples.shared.SharedStateExample.FleetRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two routers against one simulated API, offered twice what it allows (24 calls each, two live
 * organizations of 12 RPM), after router A met the revoked third key. Real Redis, real HTTP.
 */
class SharedStateExampleTest {
  private static final long RPM = SharedStateExample.RPM;
  private static LocalRedis redis;

  @BeforeAll
  static void startRedis() {
    redis = LocalRedis.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  /**
   * Sharing Redis, the fleet sends no more per organization than one bucket allows (its capacity
   * plus its refill over the run, plus one step), the API answers no 429, and the key A disabled
   * was disabled for B before B made a call: B never sent it a request.
   */
  @Test
  @Timeout(60)
  void run_sharingRedis_theFleetKeepsToOneBudget_andADisabledKeyIsDisabledForBoth() {
    FleetRun shared = SharedStateExample.run(redis, (int) (2 * RPM));

    double bound = RPM + RPM / 60.0 * shared.elapsedSeconds() + 1;
    assertThat(shared.sentPerOrg().get("org-1")).isLessThanOrEqualTo((long) bound);
    assertThat(shared.sentPerOrg().get("org-2")).isLessThanOrEqualTo((long) bound);
    assertThat(shared.rateLimited()).isZero();
    assertThat(shared.succeeded()).as("the live pools were used up").isGreaterThanOrEqualTo((int) RPM);
    assertThat(shared.revokedKeyCalls()).isEqualTo(1);
    assertThat(shared.bKnewOfTheRevokedKey()).isTrue();
  }

  /** The contrast: with state of their own, the two routers together over-spend and both meet the revoked key. */
  @Test
  @Timeout(60)
  void run_withSeparateState_theRoutersOverSpend_andEachMeetsTheRevokedKey() {
    FleetRun separate = SharedStateExample.run(null, (int) (2 * RPM));

    assertThat(separate.sentPerOrg().get("org-1") + separate.sentPerOrg().get("org-2"))
        .isGreaterThan(2 * RPM);
    assertThat(separate.rateLimited()).isPositive();
    assertThat(separate.revokedKeyCalls()).isEqualTo(2);
    assertThat(separate.bKnewOfTheRevokedKey()).isFalse();
  }

  @Test
  void fleetRun_toStringSaysWhatHappened() {
    FleetRun r = new FleetRun("shared Redis state", 48, 20, java.util.Map.of("org-1", 12L), 0, 1,
        true, 1.25);

    assertThat(r.toString()).startsWith("shared Redis state").contains("offered 48, succeeded 20")
        .contains("429s 0").contains("calls with the revoked key 1").contains("(1.3 s)");
  }

  @Test
  @Timeout(120)
  void main_runsAgainstTheEmbeddedSimulatorWithoutAnApiKey() {
    if (System.getenv("ANTHROPIC_API_KEY") != null) {
      return; // main would call the real API; run() is covered above
    }
    SharedStateExample.main(new String[0]);
  }
}
