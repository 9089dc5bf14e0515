package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.spi.BucketLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Configuration errors fail early with messages naming the field and the value. */
class SwitchboardBuilderTest {
  private final FakeTransport transport = new FakeTransport();

  private Switchboard.Builder valid() {
    return Switchboard.builder().transport(transport).strategy(Fixtures.FIRST)
        .key("a1", "sk-a1", "org-1").model("claude-opus-4-6");
  }

  @Test
  void build_withoutKeys_fails() {
    assertThatThrownBy(() -> Switchboard.builder().model("m").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("at least one key is required: call key(alias, secret, organization)");
  }

  @Test
  void build_withoutModel_fails() {
    assertThatThrownBy(() -> Switchboard.builder().key("a", "s", "o").build())
        .isInstanceOf(IllegalStateException.class).hasMessage("a model is required: call model(id)");
  }

  @Test
  void key_blankOrganization_fails() {
    assertThatThrownBy(() -> Switchboard.builder().key("a", "s", " "))
        .hasMessage("organization of key 'a' must not be blank");
  }

  @Test
  void key_weightBelowOne_fails() {
    assertThatThrownBy(() -> Switchboard.builder().key("a", "s", "o", 0))
        .hasMessage("weight of key 'a' must be >= 1 but was 0");
  }

  @Test
  void key_duplicateAlias_fails() {
    assertThatThrownBy(() -> Switchboard.builder().key("a", "s1", "o").key("a", "s2", "o"))
        .hasMessage("key alias 'a' is already registered");
  }

  @Test
  void key_duplicateSecret_failsWithoutShowingIt() {
    assertThatThrownBy(() -> Switchboard.builder().key("a", "sk-same", "o").key("b", "sk-same", "o"))
        .hasMessage("keys 'a' and 'b' have the same secret");
  }

  @Test
  void key_blankSecret_fails() {
    assertThatThrownBy(() -> Switchboard.builder().key("a", " ", "o"))
        .hasMessage("secret of key 'a' must not be blank");
  }

  @Test
  void model_twice_fails() {
    assertThatThrownBy(() -> Switchboard.builder().model("m1").model("m2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the primary model is already 'm1'; add more tiers with fallbackTo(\"m2\")");
  }

  @Test
  void fallbackTo_beforeModel_fails() {
    assertThatThrownBy(() -> Switchboard.builder().fallbackTo("m2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("fallbackTo(\"m2\") needs a primary model(...) first");
  }

  @Test
  void fallbackTo_duplicateTier_fails() {
    assertThatThrownBy(() -> Switchboard.builder().model("m1").fallbackTo("m1"))
        .hasMessage("model 'm1' is already a tier");
  }

  @Test
  void contextWindow_unknownModelOrBadSize_fails() {
    assertThatThrownBy(() -> Switchboard.builder().model("m1").contextWindow("m2", 10))
        .hasMessage("contextWindow: model 'm2' is not a tier; add it with model(...) or fallbackTo(...) first");
    assertThatThrownBy(() -> Switchboard.builder().model("m1").contextWindow("m1", 0))
        .hasMessage("contextWindow of model 'm1' must be >= 1 but was 0");
  }

  @Test
  void limits_negative_fails() {
    assertThatThrownBy(() -> Switchboard.limits(-1, 0, 0))
        .hasMessage("requestsPerMinute must be >= 0 (0 = unknown) but was -1");
  }

  @Test
  void limits_conflictingForOnePool_failAtBuild() {
    assertThatThrownBy(() -> valid().model("claude-opus-4-6", Switchboard.limits(1, 1, 1)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Switchboard.builder().transport(transport).strategy(Fixtures.FIRST)
        .key("a1", "sk-a1", "org-1")
        .model("claude-opus-4-6", Switchboard.limits(10, 10, 10))
        .fallbackTo("claude-opus-4-5", Switchboard.limits(20, 20, 20)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("models 'claude-opus-4-6' and 'claude-opus-4-5' share the rate-limit pool 'opus-4'"
            + " but have different limits: BucketLimits[requestsPerMinute=10, inputTokensPerMinute=10,"
            + " outputTokensPerMinute=10] and BucketLimits[requestsPerMinute=20,"
            + " inputTokensPerMinute=20, outputTokensPerMinute=20]");
  }

  @Test
  void allowModels_unknownKeyOrNoTierAllowed_fails() {
    assertThatThrownBy(() -> valid().allowModels("zz", "m"))
        .hasMessage("allowModels: no key with alias 'zz'; add it with key(...) first");
    assertThatThrownBy(() -> valid().allowModels("a1", "claude-haiku-4-5").build())
        .hasMessage("key 'a1' is allowed only [claude-haiku-4-5], none of which is a tier [claude-opus-4-6]");
  }

  @Test
  void durationsAndCounts_outOfRange_fail() {
    assertThatThrownBy(() -> valid().deadline(Duration.ZERO))
        .hasMessage("deadline must be positive but was PT0S");
    assertThatThrownBy(() -> valid().attemptTimeout(Duration.ofSeconds(-1)))
        .hasMessage("attemptTimeout must be positive but was PT-1S");
    assertThatThrownBy(() -> valid().maxAttempts(0)).hasMessage("maxAttempts must be >= 1 but was 0");
    assertThatThrownBy(() -> valid().outputEstimate(0)).hasMessage("outputEstimate must be >= 1 but was 0");
    assertThatThrownBy(() -> valid().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessage("backoff cap must be >= base (PT2S) but was PT1S");
    assertThatThrownBy(() -> valid().retryBudget(-0.5, 10, Duration.ofSeconds(10)))
        .hasMessage("retryBudget ratio must be in [0, 1000] but was -0.5");
    assertThatThrownBy(() -> valid().retryBudget(0.2, -1, Duration.ofSeconds(10)))
        .hasMessage("retryBudget minRetriesPerSecond must be >= 0 but was -1");
    assertThatThrownBy(() -> valid().maxCooldown(Duration.ZERO))
        .hasMessage("maxCooldown must be positive but was PT0S");
    assertThatThrownBy(() -> valid().baseUrl("ftp://x"))
        .hasMessage("baseUrl must be an http or https URL but was ftp://x");
  }

  @Test
  void callOptions_outOfRange_fail() {
    assertThatThrownBy(() -> CallOptions.DEFAULT.maxAttempts(0))
        .hasMessage("maxAttempts must be >= 1 but was 0");
    assertThatThrownBy(() -> CallOptions.forUser(" ")).hasMessage("userId must not be blank but was ' '");
    assertThatThrownBy(() -> CallOptions.DEFAULT.deadline(Duration.ofMillis(-5)))
        .hasMessage("deadline must be positive but was PT-0.005S");
  }

  @Test
  void strategy_unknownName_failsNamingWhatWasFound() {
    assertThatThrownBy(() -> Switchboard.builder().transport(transport).key("a1", "sk-a1", "org-1")
        .model("claude-opus-4-6").strategy("no-such-strategy").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("no RoutingStrategyProvider named 'no-such-strategy'; found [");
  }

  @Test
  void stateStore_unknownName_failsNamingWhatWasFound() {
    assertThatThrownBy(() -> valid().stateStore("nowhere").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no StateStoreProvider named 'nowhere'; found [local] (listed in "
            + "META-INF/services/dev.switchboard.spi.StateStoreProvider)");
  }

  @Test
  void build_doesNotCloseAGivenTransport_butClosesWhatItCreated() {
    Switchboard router = valid().build();
    router.close();
    assertThat(transport.closed).isFalse();
  }

  @Test
  void build_defaultsToTheBuiltInStateAndStrategyProviders() {
    try (Switchboard router = Switchboard.builder().transport(transport).key("a1", "sk-a1", "org-1")
        .model("claude-opus-4-6", Switchboard.limits(10, 10_000, 10_000)).build()) {
      assertThat(router.send(Fixtures.request(10)).keyAlias()).isEqualTo("a1");
      assertThat(router.toString()).isEqualTo("Switchboard[keys=[a1], models=[claude-opus-4-6]]");
    }
  }

  @Test
  void build_isRepeatableAndDoesNotChangeTheBuilder() {
    Switchboard.Builder b = valid();
    try (Switchboard r1 = b.build(); Switchboard r2 = b.build()) {
      assertThat(r1.snapshot().pools()).isEqualTo(r2.snapshot().pools());
      assertThat(r1.snapshot().pools().get("org-1/opus-4").levels().limits())
          .isEqualTo(BucketLimits.UNKNOWN);
    }
  }

  @Test
  void enableKey_unknownAlias_fails() {
    try (Switchboard router = valid().build()) {
      assertThatThrownBy(() -> router.enableKey("zz"))
          .hasMessage("no key with alias 'zz'; known: [a1]");
      assertThat(router.enableKey("a1")).isFalse();
    }
  }

  @Test
  void sendAsync_afterClose_fails() {
    Switchboard router = valid().build();
    router.close();
    assertThatThrownBy(() -> router.sendAsync(Fixtures.request(10), CallOptions.DEFAULT))
        .isInstanceOf(IllegalStateException.class).hasMessage("this Switchboard is closed");
  }
}
