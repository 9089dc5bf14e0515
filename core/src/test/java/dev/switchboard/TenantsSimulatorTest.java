package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.cache.CachePolicy;
import dev.switchboard.spi.ContentBlock;
import dev.switchboard.spi.Message;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.Usage;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.RecordedCall;
import dev.switchboard.testkit.Simulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The tenants issue over real HTTP against the simulator: response cache (tenant isolation,
 * single-flight, no errors cached, degraded answers), prompt-cache affinity, tenant-bound keys and
 * cost.
 */
@Timeout(60)
class TenantsSimulatorTest {
  private static final String OPUS = "claude-opus-4-6";
  private static final String[][] KEYS = {
      {"k1", "sk-ant-tn-k1-secret", "org-1"}, {"k2", "sk-ant-tn-k2-secret", "org-2"}};

  private static Simulator start() {
    Simulator.Builder b = Simulator.builder().model(OPUS, "opus-4", 200_000)
        .defaultLimits(10_000, 100_000_000, 100_000_000);
    for (String[] k : KEYS) {
      b.key(k[0], k[1], k[2]);
    }
    return b.start();
  }

  private static Switchboard.Builder router(Simulator sim) {
    Switchboard.Builder b = Switchboard.builder();
    for (String[] k : KEYS) {
      b.key(k[0], k[1], k[2]);
    }
    return b.model(OPUS).baseUrl(sim.baseUrl().toString());
  }

  private static MessageRequest question(String text) {
    return MessageRequest.builder().model(OPUS).maxTokens(64).temperature(0.0)
        .addUserMessage(text).build();
  }

  private static long messageCalls(Simulator sim) {
    return sim.count(c -> c.path().equals("/v1/messages"));
  }

  @Test
  void cache_isScopedToTheTenant() {
    try (Simulator sim = start();
        Switchboard router = router(sim).responseCache(CachePolicy.DEFAULT).build()) {
      RoutedResponse a1 = router.send(question("What is 2+2?"), CallOptions.forUser("tenant-a"));
      RoutedResponse a2 = router.send(question("What is 2+2?"), CallOptions.forUser("tenant-a"));
      RoutedResponse b1 = router.send(question("What is 2+2?"), CallOptions.forUser("tenant-b"));

      assertThat(a1.cached()).isFalse();
      assertThat(a2.cached()).isTrue();
      assertThat(a2.response()).isEqualTo(a1.response());
      assertThat(a2.cost()).isZero();
      assertThat(b1.cached()).isFalse();
      assertThat(messageCalls(sim)).isEqualTo(2);
    }
  }

  @Test
  void cache_notUsedAboveTemperatureZeroUnlessOptedIn() {
    MessageRequest warm = MessageRequest.builder().model(OPUS).maxTokens(64).temperature(1.0)
        .addUserMessage("Tell me a joke").build();
    try (Simulator sim = start();
        Switchboard router = router(sim).responseCache(CachePolicy.DEFAULT).build()) {
      router.send(warm, CallOptions.forUser("t"));
      assertThat(router.send(warm, CallOptions.forUser("t")).cached()).isFalse();
      router.send(warm, CallOptions.forUser("t").cacheable(true));
      assertThat(router.send(warm, CallOptions.forUser("t").cacheable(true)).cached()).isTrue();
      assertThat(messageCalls(sim)).isEqualTo(3);
    }
  }

  @Test
  void singleFlight_concurrentIdenticalCalls_makeOneUpstreamRequest() throws Exception {
    int n = 16;
    try (Simulator sim = start();
        Switchboard router = router(sim).responseCache(CachePolicy.DEFAULT).build()) {
      sim.faults().add(Fault.latency(Duration.ofMillis(300)));
      List<CompletableFuture<RoutedResponse>> calls = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        calls.add(router.sendAsync(question("Same question"), CallOptions.forUser("t")));
      }
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

      assertThat(messageCalls(sim)).isEqualTo(1);
      long fresh = calls.stream().filter(c -> !c.join().cached()).count();
      assertThat(fresh).isEqualTo(1);
      assertThat(calls).allSatisfy(c -> assertThat(c.join().response().text()).isNotEmpty());
      assertThat(router.snapshot().costs().total()).isEqualTo(calls.stream()
          .mapToDouble(c -> c.join().cost()).sum());
    }
  }

  @Test
  void errors_areNeverCached() {
    try (Simulator sim = start();
        Switchboard router = router(sim).responseCache(CachePolicy.DEFAULT).maxAttempts(1)
            .build()) {
      sim.faults().add(Fault.overloaded().times(2));
      assertThatThrownBy(() -> router.send(question("Q"), CallOptions.forUser("t")))
          .isInstanceOf(SwitchboardException.class);

      RoutedResponse r = router.send(question("Q"), CallOptions.forUser("t").maxAttempts(3));

      assertThat(r.cached()).isFalse();
      assertThat(router.send(question("Q"), CallOptions.forUser("t")).cached()).isTrue();
    }
  }

  @Test
  void degraded_staleAnswerWhenEveryRouteIsDown_markedDegraded() {
    FakeTickerHolder t = new FakeTickerHolder();
    CachePolicy policy = CachePolicy.builder().ttl(Duration.ofMinutes(1))
        .staleFor(Duration.ofHours(1)).build();
    try (Simulator sim = start();
        Switchboard router = router(sim).ticker(t.ticker).responseCache(policy).maxAttempts(2)
            .backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build()) {
      RoutedResponse fresh = router.send(question("Q"), CallOptions.forUser("t"));
      t.ticker.advance(Duration.ofMinutes(5));
      sim.setKeyState("k1", Simulator.KeyState.REVOKED);
      sim.setKeyState("k2", Simulator.KeyState.REVOKED);

      assertThatThrownBy(() -> router.send(question("Q"), CallOptions.forUser("t")))
          .isInstanceOf(SwitchboardException.class);
      RoutedResponse stale = router.send(question("Q"), CallOptions.forUser("t").allowDegraded(true));

      assertThat(stale.degraded()).isTrue();
      assertThat(stale.cached()).isTrue();
      assertThat(stale.response()).isEqualTo(fresh.response());
      assertThatThrownBy(() -> router.send(question("Q"),
          CallOptions.forUser("other").allowDegraded(true)))
          .isInstanceOf(SwitchboardException.class);
    }
  }

  @Test
  void degraded_fallbackFunctionWhenEveryRouteIsDown() {
    MessageResponse template = new MessageResponse("tpl", OPUS, "assistant",
        List.of(ContentBlock.text("We are busy; try again soon.")), "end_turn", null, Usage.ZERO,
        Map.of());
    try (Simulator sim = start(); Switchboard router = router(sim).build()) {
      sim.setKeyState("k1", Simulator.KeyState.REVOKED);
      sim.setKeyState("k2", Simulator.KeyState.REVOKED);

      RoutedResponse r = router.send(question("Q"), CallOptions.forUser("t").fallback(req -> template));

      assertThat(r.degraded()).isTrue();
      assertThat(r.cached()).isFalse();
      assertThat(r.keyAlias()).isEqualTo(Front.FALLBACK_ALIAS);
      assertThat(r.response().text()).isEqualTo("We are busy; try again soon.");
      assertThat(r.attempts()).isNotEmpty();
    }
  }

  /**
   * A 20-turn conversation with breakpoints on the system prompt and on the two latest user
   * messages; returns {share of turns after the first with cache reads, share of their input
   * tokens read from the cache}.
   */
  private static double[] cacheReads(boolean affinity) {
    try (Simulator sim = start();
        Switchboard router = router(sim).strategy("round-robin").promptCacheAffinity(affinity)
            .build()) {
      List<String> questions = new ArrayList<>();
      List<Message> answers = new ArrayList<>();
      String system = "You are a careful assistant. ".repeat(40);
      int turns = 20;
      int turnsWithReads = 0;
      long read = 0;
      long input = 0;
      for (int turn = 0; turn < turns; turn++) {
        questions.add("Question number " + turn + ": what comes next? " + "context ".repeat(30));
        List<Message> history = new ArrayList<>();
        for (int i = 0; i <= turn; i++) {
          Map<String, Object> fields = i >= turn - 1
              ? Map.of("type", "text", "text", questions.get(i), "cache_control",
                  Map.of("type", "ephemeral"))
              : Map.of("type", "text", "text", questions.get(i));
          history.add(new Message("user", List.of(new ContentBlock("text", fields))));
          if (i < turn) {
            history.add(answers.get(i));
          }
        }
        MessageRequest req = MessageRequest.builder().model(OPUS).maxTokens(32)
            .systemBlocks(List.of(new ContentBlock("text", Map.of("type", "text", "text", system,
                "cache_control", Map.of("type", "ephemeral")))))
            .messages(history).build();
        RoutedResponse r = router.send(req, CallOptions.forUser("tenant-a"));
        Usage u = r.response().usage();
        if (turn > 0) {
          turnsWithReads += u.cacheReadInputTokens() > 0 ? 1 : 0;
          read += u.cacheReadInputTokens();
          input += u.totalInputTokens();
        }
        answers.add(new Message("assistant", r.response().content()));
      }
      return new double[] {turnsWithReads / (double) (turns - 1), read / (double) input};
    }
  }

  @Test
  void affinity_keepsAConversationOnOneOrganization_cacheReadsOnAlmostEveryTurn() {
    double[] with = cacheReads(true);
    double[] without = cacheReads(false);
    System.out.printf("turns after the first with prompt-cache reads: with affinity %.0f%%, without "
        + "%.0f%%; input tokens read from the cache: with %.0f%%, without %.0f%%%n",
        with[0] * 100, without[0] * 100, with[1] * 100, without[1] * 100);

    assertThat(with[0]).isGreaterThanOrEqualTo(0.9);
    assertThat(with[1]).isGreaterThan(without[1]);
  }

  @Test
  void tenantBoundKeys_areNeverSpentOnAnotherTenant() {
    try (Simulator sim = start();
        Switchboard router = router(sim).strategy("round-robin").tenantKeys("acme", "k1")
            .build()) {
      for (int i = 0; i < 10; i++) {
        router.send(question("q" + i), CallOptions.forUser("u" + i).tenant("globex"));
        router.send(question("q" + i), CallOptions.forUser("v" + i).tenant("acme"));
      }
      sim.setKeyState("k2", Simulator.KeyState.REVOKED);
      assertThatThrownBy(() -> router.send(question("x"), CallOptions.DEFAULT.tenant("globex")))
          .isInstanceOf(SwitchboardException.class);

      assertThat(sim.callsFor("k1")).hasSize(10);
      assertThat(sim.callsFor("k2")).hasSize(11);
      assertThat(router.snapshot().costs().byKey()).containsOnlyKeys("k1", "k2");
    }
  }

  @Test
  void cost_perResult_andSummedPerTenantKeyAndModel() {
    try (Simulator sim = start(); Switchboard router = router(sim).build()) {
      RoutedResponse a = router.send(question("one"), CallOptions.forUser("a"));
      RoutedResponse b = router.send(question("two"), CallOptions.forUser("b"));

      Usage u = a.response().usage();
      double expected = (u.inputTokens() * 5.0 + u.outputTokens() * 25.0) / 1_000_000;
      assertThat(a.cost()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
      assertThat(a.cost()).isPositive();
      RouterSnapshot.Costs costs = router.snapshot().costs();
      assertThat(costs.tenant("a")).isEqualTo(a.cost());
      assertThat(costs.tenant("b")).isEqualTo(b.cost());
      assertThat(costs.byModel().get(OPUS)).isCloseTo(a.cost() + b.cost(),
          org.assertj.core.data.Offset.offset(1e-12));
      assertThat(costs.byKey().values().stream().mapToDouble(Double::doubleValue).sum())
          .isCloseTo(costs.total(), org.assertj.core.data.Offset.offset(1e-12));
      assertThat(sim.calls().stream().filter(RecordedCall::isSuccess).count()).isEqualTo(2);
    }
  }

  /** A fake ticker for the router only (the simulator keeps real time). */
  private static final class FakeTickerHolder {
    final dev.switchboard.testkit.FakeTicker ticker = new dev.switchboard.testkit.FakeTicker();
  }
}
