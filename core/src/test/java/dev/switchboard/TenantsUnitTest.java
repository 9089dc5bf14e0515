package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.Fixtures.Events;
import dev.switchboard.cache.CachePolicy;
import dev.switchboard.schedule.FakeScheduler;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.RouterEvent;
import dev.switchboard.spi.Usage;
import dev.switchboard.testkit.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Prices, tenant bindings, cache events and option validation over a fake transport. */
class TenantsUnitTest {
  private static final String OPUS = "claude-opus-4-6";

  private final FakeTicker ticker = new FakeTicker();
  private final FakeScheduler scheduler = new FakeScheduler(ticker);
  private final FakeTransport transport = new FakeTransport();
  private final Events events = new Events();

  private Switchboard.Builder builder() {
    return Fixtures.builder(ticker, scheduler, transport, events)
        .key("a1", "sk-a1", "org-1").key("b1", "sk-b1", "org-2").key("c1", "sk-c1", "org-3")
        .model(OPUS);
  }

  @Test
  void builtInPrices_matchTheListPrices() {
    assertThat(ModelPrice.builtIn("claude-opus-4-6")).isEqualTo(ModelPrice.of(5, 25));
    assertThat(ModelPrice.builtIn("claude-opus-4-1-20250805")).isEqualTo(ModelPrice.of(15, 75));
    assertThat(ModelPrice.builtIn("claude-sonnet-4-5-20250929")).isEqualTo(ModelPrice.of(3, 15));
    assertThat(ModelPrice.builtIn("claude-haiku-4-5")).isEqualTo(ModelPrice.of(1, 5));
    assertThat(ModelPrice.builtIn("some-local-model")).isEqualTo(ModelPrice.FREE);
    ModelPrice opus = ModelPrice.of(5, 25);
    assertThat(opus.cacheWrite5mPerMTok()).isEqualTo(6.25);
    assertThat(opus.cacheWrite1hPerMTok()).isEqualTo(10);
    assertThat(opus.cacheReadPerMTok()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void cost_pricesEveryKindOfToken() {
    Usage u = new Usage(1_000_000, 1_000_000, 3_000_000, 1_000_000, 1_000_000, 1_000_000, null);
    // input 5 + output 25 + 5m writes (1M split + 1M unsplit) 2 x 6.25 + 1h write 10 + read 0.5
    assertThat(ModelPrice.of(5, 25).cost(u)).isCloseTo(53.0, within(1e-9));
  }

  @Test
  void negativePrice_isRejectedNamingTheField() {
    assertThatThrownBy(() -> ModelPrice.of(-1, 2))
        .hasMessageContaining("inputPerMTok").hasMessageContaining("-1");
  }

  @Test
  void configuredPrice_givesCostPerResultAndPerTenantSums() {
    Switchboard router = builder().price(OPUS, ModelPrice.of(10, 100)).build();
    transport.then(FakeTransport.ok(1_000, 100));

    RoutedResponse r = router.send(Fixtures.request(100), CallOptions.forUser("u").tenant("acme"));

    assertThat(r.cost()).isCloseTo(0.02, within(1e-12));
    assertThat(router.snapshot().costs().tenant("acme")).isCloseTo(0.02, within(1e-12));
    assertThat(router.snapshot().costs().byKey()).containsOnlyKeys("a1");
    assertThat(router.snapshot().costs().byModel()).containsOnlyKeys(OPUS);
  }

  @Test
  void tenantKeysAndPools_restrictWhoServesWhom() {
    Switchboard router = builder().tenantKeys("acme", "a1").sharedPool("gold", "b1")
        .tenantPools("vip", "gold").build();

    assertThat(router.send(Fixtures.request(10), CallOptions.DEFAULT.tenant("acme")).keyAlias())
        .isEqualTo("a1");
    assertThat(router.send(Fixtures.request(10), CallOptions.DEFAULT.tenant("vip")).keyAlias())
        .isEqualTo("b1");
    assertThat(router.send(Fixtures.request(10), CallOptions.DEFAULT.tenant("other")).keyAlias())
        .isEqualTo("b1");
    assertThat(router.send(Fixtures.request(10), CallOptions.forUser("someone")).keyAlias())
        .isNotEqualTo("a1");
  }

  @Test
  void tenantBindings_validateNamingTheValue() {
    assertThatThrownBy(() -> builder().tenantKeys("acme", "zz"))
        .hasMessageContaining("'zz'");
    assertThatThrownBy(() -> builder().tenantKeys("acme", "a1").tenantKeys("globex", "a1"))
        .hasMessageContaining("'acme'");
    assertThatThrownBy(() -> builder().tenantKeys("acme", "a1").sharedPool("p", "a1"))
        .hasMessageContaining("'a1'");
    assertThatThrownBy(() -> builder().tenantPools("acme", "nope"))
        .hasMessageContaining("'nope'");
    assertThatThrownBy(() -> builder().admission(0, 1)).hasMessageContaining("maxInFlight");
    assertThatThrownBy(() -> CallOptions.DEFAULT.tenant(" ")).hasMessageContaining("tenant");
    assertThatThrownBy(() -> CallOptions.DEFAULT.sessionKey("")).hasMessageContaining("sessionKey");
  }

  @Test
  void cacheHit_isMarkedCachedInResultAndEvent_andCostsNothing() {
    Switchboard router = builder().responseCache(CachePolicy.DEFAULT).build();
    MessageRequest q = MessageRequest.builder().model(OPUS).maxTokens(10).temperature(0.0)
        .addUserMessage("2+2?").build();

    RoutedResponse first = router.send(q, CallOptions.forUser("t"));
    RoutedResponse second = router.send(q, CallOptions.forUser("t"));

    assertThat(first.cached()).isFalse();
    assertThat(second.cached()).isTrue();
    assertThat(second.cost()).isZero();
    assertThat(second.keyAlias()).isEqualTo(Front.CACHE_ALIAS);
    assertThat(transport.sent()).hasSize(1);
    assertThat(events.of(RouterEvent.CallFinished.class)).extracting(RouterEvent.CallFinished::cached)
        .containsExactly(false, true);
    assertThat(router.snapshot().sla()).isNotNull();
  }

  @Test
  void affinity_pinsTheConversationsOrganization_andRepinsAfterItFails() {
    Switchboard router = builder().strategy("round-robin").build();
    CallOptions session = CallOptions.forUser("t").sessionKey("conv-1");

    String first = router.send(Fixtures.request(10), session).keyAlias();
    String[] next = new String[4];
    for (int i = 0; i < 4; i++) {
      next[i] = router.send(Fixtures.request(10), session).keyAlias();
    }
    transport.then(FakeTransport.error(529, "overloaded_error", "Overloaded"));
    java.util.concurrent.CompletableFuture<RoutedResponse> failing =
        router.sendAsync(Fixtures.request(10), session);
    scheduler.runAll();
    RoutedResponse repinned = failing.join();
    String after = router.send(Fixtures.request(10), session).keyAlias();
    ticker.advance(Duration.ofMinutes(6));
    String expired = router.send(Fixtures.request(10), CallOptions.forUser("t")).keyAlias();

    assertThat(next).containsOnly(first);
    assertThat(repinned.attempts()).hasSize(2);
    assertThat(after).isEqualTo(repinned.keyAlias());
    assertThat(expired).isNotNull();
  }
}
