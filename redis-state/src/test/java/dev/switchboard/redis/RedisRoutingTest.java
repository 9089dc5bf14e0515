package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.BreakerConfig;
import dev.switchboard.spi.BreakerPermit;
import dev.switchboard.spi.BreakerState;
import dev.switchboard.spi.BreakerTransition;
import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.Demand;
import dev.switchboard.spi.RateLimitInfo;
import dev.switchboard.spi.RouteClaim;
import dev.switchboard.spi.RouteGrant;
import dev.switchboard.spi.RouteSettlement;
import dev.switchboard.spi.RouteSettlement.Verdict;
import dev.switchboard.spi.RoutingView;
import dev.switchboard.spi.Ticker;
import dev.switchboard.testkit.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The routed-call path of the Redis store on a real server: one command per claim, settlements
 * off the caller's thread in batches, the view refreshed in one command, every routing key in one
 * slot, {@code NOSCRIPT}, and an outage.
 */
@ExtendWith(RedisExtension.class)
@Timeout(120)
class RedisRoutingTest {
  /** Count window of 4 judged from 2 calls at 50%, open 60 s, 1 probe. */
  static final BreakerConfig CONFIG = new BreakerConfig(BreakerConfig.WindowType.COUNT, 4, 2, 0.5,
      Duration.ofSeconds(60), Duration.ofSeconds(120), 1);
  static final BucketLimits LIMITS = new BucketLimits(10_000, 1_000_000, 100_000);
  static final Demand DEMAND = new Demand(1, 100, 10);
  static final BreakerPermit CLOSED = new BreakerPermit(true, false, BreakerState.CLOSED, BreakerState.CLOSED,
      Duration.ZERO);

  private RedisServer server;
  private UnifiedJedis jedis;
  private String prefix;
  private RedisStateStore store;
  private final List<AutoCloseable> closing = new ArrayList<>();
  /** The scripts' clock, so that levels are exact: no refill between two calls. */
  private final FakeTicker scriptTime = new FakeTicker();

  @BeforeEach
  void setUp(RedisServer server) {
    this.server = server;
    jedis = server.client();
    prefix = TestSupport.uniquePrefix();
    store = track(builder(jedis).viewRefresh(Duration.ofMinutes(10)).build());
  }

  /** Returns a builder for this test's prefix, scripts timed by {@link #scriptTime}, never degrading. */
  private RedisStateStore.Builder builder(UnifiedJedis client) {
    return RedisStateStore.builder(client).keyPrefix(prefix).scriptTicker(scriptTime).ticker(Ticker.system())
        .timeout(Duration.ofSeconds(30)).listener(TestSupport.FAIL_ON_DEGRADE);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private <T extends AutoCloseable> T track(T closeable) {
    closing.add(0, closeable);
    return closeable;
  }

  static RouteClaim claim(String pool) {
    return new RouteClaim(pool, LIMITS, DEMAND, List.of("key:a", "keymodel:a/m"), "pool:" + pool,
        List.of("model:m", "route:a/m"), CONFIG);
  }

  static RouteSettlement refund(RouteClaim claim, RouteGrant grant) {
    return new RouteSettlement(claim, grant, Demand.NONE, List.of(Verdict.SUCCESS, Verdict.SUCCESS),
        RateLimitInfo.NONE, null);
  }

  private static <T> T join(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void claimRoute_isExactlyOneCommandGrantedOrRefused() throws Exception {
    store.claimRoute(claim("org/opus")); // loads the script

    try (RoundTripsPerRoutedCallTest.Census census = RoundTripsPerRoutedCallTest.Census.start(server, prefix)) {
      assertThat(store.claimRoute(claim("org/opus")).granted()).isTrue();
      assertThat(census.finish()).containsExactly(Map.entry("evalsha route-claim.lua", 1L));
    }
    store.health().disable("keymodel:a/m", "404");
    try (RoundTripsPerRoutedCallTest.Census census = RoundTripsPerRoutedCallTest.Census.start(server, prefix)) {
      assertThat(store.claimRoute(claim("org/opus")).status()).isEqualTo(RouteGrant.Status.DISABLED);
      assertThat(census.finish()).containsExactly(Map.entry("evalsha route-claim.lua", 1L));
    }
  }

  @Test
  void keys_ofTheClaimSettleAndViewScriptsShareOneSlot() {
    RedisRouting routing = store.routing();
    RouteClaim a = claim("org-a/opus-4");
    RouteClaim b = new RouteClaim("org-b/sonnet-4", LIMITS, DEMAND, List.of("key:b"), null,
        List.of("model:claude-sonnet-4-5", "route:b/claude-sonnet-4-5"), CONFIG);
    RouteGrant grant = RouteGrant.granted(List.of(CLOSED, CLOSED), List.of());

    List<String> keys = new ArrayList<>(routing.claimKeys(a));
    keys.addAll(routing.claimKeys(b));
    keys.addAll(routing.settleKeys(List.of(refund(a, grant), refund(b, grant))));
    keys.addAll(routing.viewKeys());

    Set<Integer> slots = new HashSet<>();
    for (String key : keys) {
      assertThat(key).startsWith(prefix + "{r}:");
      slots.add(JedisClusterCRC16.getSlot(key));
    }
    assertThat(keys).hasSize(5 + 5 + 7 + 3);
    assertThat(slots).hasSize(1);
  }

  @Test
  void claimRoute_afterScriptFlushSendsEvalOnce() throws Exception {
    RouteGrant first = store.claimRoute(claim("p"));
    join(store.settle(refund(claim("p"), first)));
    jedis.scriptFlush();
    TestSupport.resetStats(server);

    RouteGrant second = store.claimRoute(claim("p"));
    RouteGrant third = store.claimRoute(claim("p"));
    join(store.settle(refund(claim("p"), second)));
    join(store.settle(refund(claim("p"), third)));

    assertThat(second.granted()).isTrue();
    assertThat(third.granted()).isTrue();
    assertThat(TestSupport.commandCalls(jedis, "eval")).as("one EVAL per script: claim and settle").isEqualTo(2);
    assertThat(TestSupport.scriptLoaded(jedis, Scripts.ROUTE_CLAIM.sha1())).isTrue();
    assertThat(TestSupport.scriptLoaded(jedis, Scripts.ROUTE_SETTLE.sha1())).isTrue();
    assertThat(store.budgets().levels("p", LIMITS).requests()).isEqualTo(10_000.0);
  }

  @Test
  void settle_runsOnTheFlusherThreadWhileTheCallerMovesOn() throws Exception {
    HookedJedis hooked = track(new HookedJedis(server, Scripts.ROUTE_SETTLE));
    RedisStateStore s = track(builder(hooked).build());
    RouteClaim claim = claim("p");
    RouteGrant grant = s.claimRoute(claim);
    hooked.holdNext();

    CompletableFuture<List<BreakerTransition>> done = s.settle(refund(claim, grant)).toCompletableFuture();
    hooked.awaitHeld(); // the settlement is on its way to Redis; the caller already holds its stage

    assertThat(done).isNotDone();
    hooked.letGo();
    assertThat(done.get(30, TimeUnit.SECONDS)).isEmpty();
    assertThat(hooked.threads).containsExactly("switchboard-redis-settle")
        .doesNotContain(Thread.currentThread().getName());
    assertThat(s.budgets().levels("p", LIMITS).requests()).isEqualTo(10_000.0);
  }

  @Test
  void settle_burstIsSentInBatches() throws Exception {
    HookedJedis hooked = track(new HookedJedis(server, Scripts.ROUTE_SETTLE));
    RedisStateStore s = track(builder(hooked).build());
    RouteClaim claim = claim("p");
    int burst = 150;
    List<RouteGrant> grants = new ArrayList<>();
    for (int i = 0; i < burst + 1; i++) {
      grants.add(s.claimRoute(claim));
    }
    hooked.holdNext();
    CompletableFuture<?> first = s.settle(refund(claim, grants.get(0))).toCompletableFuture();
    hooked.awaitHeld();
    int before = hooked.calls.get();

    List<CompletableFuture<List<BreakerTransition>>> stages = new ArrayList<>();
    for (int i = 1; i <= burst; i++) {
      stages.add(s.settle(refund(claim, grants.get(i))).toCompletableFuture());
    }
    hooked.letGo();
    CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    first.get(30, TimeUnit.SECONDS);

    int sent = hooked.calls.get() - before;
    int bound = (burst + RedisRouting.SETTLE_BATCH - 1) / RedisRouting.SETTLE_BATCH;
    System.out.printf("settle burst: %d settlements in %d round trips (batch %d, bound %d)%n", burst, sent,
        RedisRouting.SETTLE_BATCH, bound);
    assertThat(sent).isLessThanOrEqualTo(bound);
    assertThat(s.budgets().levels("p", LIMITS).requests()).as("every reservation refunded").isEqualTo(10_000.0);
  }

  @Test
  void routingView_refreshIsOneCommand() throws Exception {
    store.routingView();
    store.health().disable("key:a", "401");
    store.health().coolDown("pool:p", Duration.ofSeconds(30));

    try (RoundTripsPerRoutedCallTest.Census census = RoundTripsPerRoutedCallTest.Census.start(server, prefix)) {
      store.routing().refresh();
      assertThat(census.finish()).containsExactly(Map.entry("evalsha route-view.lua", 1L));
    }
    RoutingView view = store.routingView();
    for (int i = 0; i < 1_000; i++) { // reads: no I/O at all
      assertThat(view.disabledReason("key:a")).isEqualTo("401");
    }
  }

  @Test
  void routingView_seesAnotherRoutersChangesAtTheNextRefresh() throws Exception {
    RedisStateStore other = track(builder(server.client()).build());
    RoutingView view = store.routingView();

    other.health().disable("key:x", "401 authentication_error");
    other.health().coolDown("pool:p", Duration.ofSeconds(60));
    RouteClaim alone = new RouteClaim("p", LIMITS, Demand.NONE, List.of(), null, List.of("model:m"), CONFIG);
    for (int i = 0; i < 2; i++) {
      RouteGrant g = other.claimRoute(alone);
      join(other.settle(new RouteSettlement(alone, g, null, List.of(Verdict.FAILURE), RateLimitInfo.NONE, null)));
    }
    assertThat(view.disabledReason("key:x")).as("not refreshed yet").isNull();

    store.routing().refresh();

    assertThat(view.disabledReason("key:x")).isEqualTo("401 authentication_error");
    assertThat(view.cooldownNanos("pool:p")).isEqualTo(Duration.ofSeconds(60).toNanos());
    assertThat(view.breakerState("model:m", CONFIG)).isEqualTo(BreakerState.OPEN);
    other.health().enable("key:x");
    store.routing().refresh();
    assertThat(view.disabledReason("key:x")).isNull();
  }

  @Test
  void routingView_refreshesInTheBackground() {
    RedisStateStore fast = track(builder(server.client()).viewRefresh(Duration.ofMillis(20)).build());
    RoutingView view = fast.routingView();

    store.health().disable("key:y", "403 permission_error");

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (view.disabledReason("key:y") == null && System.nanoTime() < deadline) {
      Thread.onSpinWait(); // waits for the background thread, not for time to pass in a rule
    }
    assertThat(view.disabledReason("key:y")).isEqualTo("403 permission_error");
  }

  @Test
  void claimRoute_withAPerUserBreakerIsComposedOfTheStores() throws Exception {
    RouteClaim claim = new RouteClaim("p", LIMITS, DEMAND, List.of("key:a"), "pool:p", List.of("model:m", "user:u"),
        CONFIG);

    RouteGrant grant = store.claimRoute(claim);
    List<BreakerTransition> transitions = join(store.settle(new RouteSettlement(claim, grant, null,
        List.of(Verdict.SUCCESS, Verdict.FAILURE), RateLimitInfo.NONE, null)));

    assertThat(grant.granted()).isTrue();
    assertThat(transitions).isEmpty();
    assertThat(jedis.exists(new Keys(prefix).breaker("user:u"))).isTrue();
    assertThat(store.budgets().levels("p", LIMITS).requests()).isEqualTo(9_999.0);
  }

  @Test
  void close_sendsWhatIsQueuedThenSettlesOnTheCallersThread() throws Exception {
    RedisStateStore s = builder(server.client()).build();
    RouteClaim claim = claim("p");
    List<CompletableFuture<List<BreakerTransition>>> stages = new ArrayList<>();
    List<RouteGrant> grants = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      grants.add(s.claimRoute(claim));
    }
    for (int i = 0; i < 100; i++) {
      stages.add(s.settle(refund(claim, grants.get(i))).toCompletableFuture());
    }

    s.close();

    assertThat(stages).allMatch(CompletableFuture::isDone);
    assertThat(s.routing().queue().running()).isFalse();
    assertThat(store.budgets().levels("p", LIMITS).requests()).isEqualTo(9_999.0);
    CompletableFuture<?> late = s.settle(refund(claim, grants.get(100))).toCompletableFuture();
    assertThat(late).as("sent on the caller's thread after close").isDone();
    assertThat(store.budgets().levels("p", LIMITS).requests()).isEqualTo(10_000.0);
  }

  @Test
  void outage_claimsAndSettlesAreServedLocallyThenSharedAgain() throws Exception {
    RedisServer own = RedisServer.startAny();
    try {
      FakeTicker ticker = new FakeTicker();
      List<String> events = new CopyOnWriteArrayList<>();
      UnifiedJedis client = own.client();
      RedisStateStore s = RedisStateStore.builder(client).ticker(ticker).expectedInstances(2)
          .probeInterval(Duration.ofSeconds(1)).viewRefresh(Duration.ofMinutes(10)).listener(events::add).build();
      BucketLimits eight = new BucketLimits(8, 0, 0);
      RouteClaim claim = new RouteClaim("org-a", eight, new Demand(1, 0, 0), List.of("key:a"), "pool:org-a",
          List.of("model:m", "route:a/m"), CONFIG);
      RouteGrant before = s.claimRoute(claim);
      join(s.settle(refund(claim, before)));
      s.health().disable("key:before", "401");
      RoutingView view = s.routingView();
      own.stop();

      List<RouteGrant> during = new ArrayList<>();
      for (int i = 0; i < 4; i++) { // this instance's share: 8 / 2 = 4 a minute
        during.add(s.claimRoute(claim));
      }
      RouteGrant refused = s.claimRoute(claim);
      List<BreakerTransition> settled = join(s.settle(new RouteSettlement(claim, during.get(0), null,
          List.of(Verdict.SUCCESS, Verdict.SUCCESS), RateLimitInfo.NONE, null)));
      s.health().disable("key:a", "402 billing_error");

      assertThat(s.degraded()).isTrue();
      assertThat(during).allMatch(RouteGrant::granted);
      assertThat(refused.status()).isEqualTo(RouteGrant.Status.BUDGET_SHORT);
      assertThat(refused.waitNanos()).isEqualTo(Duration.ofSeconds(15).toNanos());
      assertThat(settled).isEmpty();
      assertThat(view.disabledReason("key:before")).as("last seen in Redis").isEqualTo("401");
      assertThat(view.disabledReason("key:a")).isEqualTo("402 billing_error");
      assertThat(s.claimRoute(claim).status()).isEqualTo(RouteGrant.Status.DISABLED);
      assertThat(events).anyMatch(e -> e.startsWith("redis-state settles routed calls in the local fallback"));

      own.restart(); // same port, empty
      s.health().enable("key:a");
      ticker.advance(Duration.ofSeconds(1));
      RouteGrant after = s.claimRoute(claim); // the probe: Redis again

      assertThat(s.degraded()).isFalse();
      assertThat(after.granted()).isTrue();
      assertThat(client.exists(new Keys(RedisStateStore.DEFAULT_KEY_PREFIX).budget("org-a"))).isTrue();
      assertThat(TestSupport.scriptLoaded(client, Scripts.ROUTE_CLAIM.sha1())).as("reloaded by EVAL").isTrue();
      join(s.settle(refund(claim, after)));
      assertThat(events).anyMatch(e -> e.startsWith("redis-state settled 1 routed call(s) in the local fallback"));
      assertThat(events).anyMatch(e -> e.startsWith("redis-state recovered"));
      s.close();
    } finally {
      own.close();
    }
  }
}
