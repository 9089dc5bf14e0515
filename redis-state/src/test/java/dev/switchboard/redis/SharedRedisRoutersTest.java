package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.BudgetExhaustedException;
import dev.switchboard.CallOptions;
import dev.switchboard.DeadlineExceededException;
import dev.switchboard.Switchboard;
import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.Demand;
import dev.switchboard.testkit.FakeTicker;
import dev.switchboard.testkit.RecordedCall;
import dev.switchboard.testkit.Simulator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.UnifiedJedis;

/**
 * Two routers (two {@link Switchboard}s, each with its own {@link RedisStateStore} and client) share
 * one real Redis server and call the API simulator over real HTTP in real time: together they
 * spend one budget per organization pool, and a key one of them disabled is never used by the
 * other.
 */
@ExtendWith(RedisExtension.class)
class SharedRedisRoutersTest {
  private static final long RPM = 30;

  /**
   * Offered twice what the two live pools can serve in three seconds, the two routers together
   * grant no more requests per organization pool (every request the simulator saw for it) than
   * one bucket allows: its capacity plus its refill over the run, plus one refill step; and the
   * simulator, whose buckets follow the same math, answers (almost) no 429. With a bucket per
   * router (checked by hand with two key prefixes) the routers over-grant and the simulator
   * answers 429s.
   */
  @Test
  @Timeout(60)
  void twoRouters_atTwiceCapacity_shareOneBudgetPerPool(RedisServer server) throws Exception {
    String prefix = TestSupport.uniquePrefix();
    int seconds = 3;
    int capacity = (int) (2 * (RPM + RPM * seconds / 60));
    int calls = 2 * capacity;
    try (Simulator sim = RouterFleet.simulator(RPM);
        Switchboard a = RouterFleet.router(sim, store(server.client(), prefix), RPM, Duration.ofSeconds(1));
        Switchboard b = RouterFleet.router(sim, store(server.client(), prefix), RPM, Duration.ofSeconds(1))) {
      sim.setKeyState("k3", Simulator.KeyState.REVOKED);
      long start = System.nanoTime();
      revokeThroughRouterA(sim, a);

      RouterFleet.Pacer load = new RouterFleet.Pacer(List.of(a, b),
          Duration.ofNanos(seconds * 1_000_000_000L / calls), calls, n -> {});
      try {
        load.awaitAll(Duration.ofSeconds(30));
      } finally {
        load.close();
      }
      double elapsed = (System.nanoTime() - start) / 1e9;

      assertThat(load.results.failures).allSatisfy(ex -> assertThat(ex)
          .isInstanceOfAny(BudgetExhaustedException.class, DeadlineExceededException.class));
      assertThat(load.results.succeededBy[0].get()).as("router A served").isPositive();
      assertThat(load.results.succeededBy[1].get()).as("router B served").isPositive();
      double bound = RPM + RPM / 60.0 * elapsed + 1;
      for (String org : List.of("org-1", "org-2")) {
        // every request that reached the simulator was granted by a router's budget
        long granted = sim.count(c -> org.equals(c.organization()) && c.path().startsWith("/v1/messages"));
        long admitted = sim.count(c -> org.equals(c.organization()) && c.status() == 200);
        System.out.printf("shared budget: %s/%s granted %d requests (%d admitted) in %.2f s (bound %.1f)%n",
            org, RouterFleet.POOL, granted, admitted, elapsed, bound);
        assertThat((double) granted).as("granted for %s", org).isLessThanOrEqualTo(bound);
        assertThat(admitted).as("the pool was driven to its limit").isGreaterThanOrEqualTo(RPM);
      }
      System.out.printf("shared budget: %d offered, %d succeeded, %d simulator 429s%n", calls + 3,
          load.results.succeeded(), sim.countStatus(429));
      assertThat(sim.countStatus(429)).as("simulator 429s").isLessThanOrEqualTo(1);
      assertThat(sim.callsFor("k3")).as("calls with the revoked key, both routers").hasSize(1);
      assertThat(b.snapshot().disabled()).containsKey("key:k3");
    }
  }

  /**
   * Redis is killed while both routers serve and restarted empty (no data, no scripts) on the
   * same port: no call fails because of it (the stores answer from their local fallback and each
   * says so once), and after the restart both stores return to shared state, reloading their
   * scripts through the {@code NOSCRIPT} path.
   */
  @Test
  @Timeout(60)
  void redisKilledMidRun_noCallFails_thenSharedStateResumes() throws Exception {
    long rpm = 6_000;
    List<String> eventsA = new CopyOnWriteArrayList<>();
    List<String> eventsB = new CopyOnWriteArrayList<>();
    CountDownLatch recovered = new CountDownLatch(2);
    Consumer<String> onRecovery = m -> {
      if (m.startsWith("redis-state recovered")) {
        recovered.countDown();
      }
    };
    try (RedisServer own = RedisServer.startAny(); Simulator sim = RouterFleet.simulator(rpm)) {
      RedisStateStore storeA = outageStore(own.client(), eventsA, onRecovery);
      RedisStateStore storeB = outageStore(own.client(), eventsB, onRecovery);
      try (Switchboard a = RouterFleet.router(sim, storeA, rpm, Duration.ofSeconds(5));
          Switchboard b = RouterFleet.router(sim, storeB, rpm, Duration.ofSeconds(5))) {
        Phases phases = new Phases();
        RouterFleet.Pacer load = new RouterFleet.Pacer(List.of(a, b), Duration.ofMillis(10), 100_000,
            phases::completed);
        try {
          phases.await(40);
          assertThat(storeA.degraded() || storeB.degraded()).as("healthy before the kill").isFalse();

          own.stop();
          phases.await(phases.done() + 60);
          assertThat(storeA.degraded()).isTrue();
          assertThat(storeB.degraded()).isTrue();

          own.restart(); // same port, empty: no data, no scripts
          assertThat(recovered.await(20, TimeUnit.SECONDS)).as("both stores recovered").isTrue();
          phases.await(phases.done() + 40);
        } finally {
          load.stopAndAwait(Duration.ofSeconds(30));
          load.close();
        }

        assertThat(load.results.failures).as("calls failed").isEmpty();
        assertThat(load.results.succeeded()).isEqualTo(load.results.offered.get()).isGreaterThanOrEqualTo(140);
        for (List<String> all : List.of(eventsA, eventsB)) {
          // degraded, recovered (a stale pooled connection may add one more pair after the
          // restart); notices of settlements kept local during the outage come in between
          List<String> events = all.stream().filter(m -> m.startsWith("redis-state degraded")
              || m.startsWith("redis-state recovered")).toList();
          assertThat(events).hasSizeGreaterThanOrEqualTo(2);
          assertThat(events.size() % 2).isZero();
          for (int i = 0; i < events.size(); i += 2) {
            assertThat(events.get(i)).startsWith("redis-state degraded: ").contains("local fallback");
            assertThat(events.get(i + 1)).startsWith("redis-state recovered");
          }
        }
        System.out.printf("redis outage: %d calls, all succeeded; events A %s%n", load.results.offered.get(),
            eventsA);
      }
      assertThat(storeA.degraded()).isFalse();
      assertThat(storeB.degraded()).isFalse();
      UnifiedJedis admin = own.client();
      assertThat(TestSupport.scriptLoaded(admin, Scripts.ROUTE_CLAIM.sha1())).as("scripts reloaded").isTrue();
      assertThat(TestSupport.commandCalls(admin, "eval")).as("NOSCRIPT answered by EVAL").isPositive();
      assertThat(admin.exists(new Keys(storeA.keyPrefix()).budget("org-1/" + RouterFleet.POOL)))
          .as("the routers wrote budgets to the restarted Redis").isTrue();
      // one bucket again for both stores: what A takes, B cannot
      BucketLimits one = new BucketLimits(1, 0, 0);
      Demand demand = new Demand(1, 0, 0);
      assertThat(storeA.budgets().tryAcquire("after-restart", one, demand).granted()).isTrue();
      assertThat(storeB.budgets().tryAcquire("after-restart", one, demand).granted()).isFalse();
    }
  }

  /**
   * Router A disables a key on a 401, then Redis is stopped and restarted empty: A writes its
   * disable back when it recovers (the disable lived only in Redis before), so neither A nor a
   * router B that starts on the restarted Redis ever sends that key again.
   */
  @Test
  @Timeout(60)
  void revokedKey_staysDisabledForBothRoutersAfterRedisRestartsEmpty() throws Exception {
    long rpm = 6_000;
    FakeTicker probes = new FakeTicker();
    List<String> eventsA = new CopyOnWriteArrayList<>();
    try (RedisServer own = RedisServer.startAny(); Simulator sim = RouterFleet.simulator(rpm)) {
      RedisStateStore storeA = RedisStateStore.builder(own.client()).ticker(probes)
          .probeInterval(Duration.ofSeconds(1)).timeout(Duration.ofSeconds(2)).listener(eventsA::add).build();
      Keys keys = new Keys(storeA.keyPrefix());
      String reason;
      try (Switchboard a = RouterFleet.router(sim, storeA, rpm, Duration.ofSeconds(5))) {
        sim.setKeyState("k3", Simulator.KeyState.REVOKED);
        revokeThroughRouterA(sim, a);
        reason = own.client().hget(keys.disabled(), "key:k3");
        assertThat(reason).as("the disable lives in Redis").startsWith("KEY_FAULT");

        own.stop();
        callsThrough(a, 3);
        assertThat(storeA.degraded()).as("A serves from its fallback").isTrue();
        own.restart(); // same port, empty: the disable is gone
        UnifiedJedis admin = own.client();
        assertThat(admin.hgetAll(keys.disabled())).as("Redis restarted empty").isEmpty();

        for (int i = 0; i < 10 && storeA.degraded(); i++) {
          probes.advance(Duration.ofSeconds(1)); // lets the next call probe Redis
          callsThrough(a, 1);
        }
        assertThat(storeA.degraded()).as("A recovered").isFalse();
        callsThrough(a, 9);
        assertThat(a.snapshot().disabled()).containsKey("key:k3");

        try (Switchboard b = RouterFleet.router(sim, store(own.client(), storeA.keyPrefix()), rpm,
            Duration.ofSeconds(5))) {
          callsThrough(b, 9);
          assertThat(b.snapshot().disabled()).containsKey("key:k3");
        }
      }
      assertThat(sim.callsFor("k3")).as("the revoked key was sent once, by A, before the restart").hasSize(1);
      assertThat(own.client().hget(keys.disabled(), "key:k3")).as("written back").isEqualTo(reason);
      assertThat(eventsA).contains("redis-state wrote back 1 disable(s) Redis no longer had: key:k3");
    }
  }

  /** Sends {@code n} calls through {@code router}, one after another; each must succeed. */
  private static void callsThrough(Switchboard router, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      assertThat(router.sendAsync(RouterFleet.request(), CallOptions.DEFAULT).get(10, TimeUnit.SECONDS)
          .response()).isNotNull();
    }
  }

  private static RedisStateStore outageStore(UnifiedJedis client, List<String> events,
      Consumer<String> also) {
    // the default prefix on a server of its own; real time: probes every 100 ms
    return RedisStateStore.builder(client).expectedInstances(2).probeInterval(Duration.ofMillis(100))
        .timeout(Duration.ofSeconds(2))
        .listener(m -> {
          events.add(m);
          also.accept(m);
        }).build();
  }

  /** Lets the test wait, without sleeping, until a number of calls ended. */
  private static final class Phases {
    private final AtomicInteger done = new AtomicInteger();
    private final ConcurrentSkipListMap<Integer, CountDownLatch> waiters = new ConcurrentSkipListMap<>();

    void completed(int n) {
      done.accumulateAndGet(n, Math::max);
      waiters.headMap(n, true).values().forEach(CountDownLatch::countDown);
    }

    int done() {
      return done.get();
    }

    void await(int calls) throws InterruptedException {
      CountDownLatch latch = waiters.computeIfAbsent(calls, k -> new CountDownLatch(1));
      if (done.get() >= calls) {
        latch.countDown();
      }
      assertThat(latch.await(20, TimeUnit.SECONDS)).as("%d calls ended", calls).isTrue();
    }
  }

  /** Drives router A alone until it used (and disabled) the revoked key k3; B sees it at once. */
  private static void revokeThroughRouterA(Simulator sim, Switchboard a) throws Exception {
    for (int i = 0; i < 6 && sim.callsFor("k3").isEmpty(); i++) {
      a.sendAsync(RouterFleet.request(), CallOptions.DEFAULT).get(10, TimeUnit.SECONDS);
    }
    assertThat(sim.callsFor("k3")).extracting(RecordedCall::status).containsExactly(401);
    assertThat(a.snapshot().disabled()).containsKey("key:k3");
  }

  static RedisStateStore store(UnifiedJedis client, String prefix) {
    // a generous slow-call threshold: a busy build machine must not look like a Redis outage
    return RedisStateStore.builder(client).keyPrefix(prefix).expectedInstances(2)
        .timeout(Duration.ofSeconds(2)).listener(TestSupport.FAIL_ON_DEGRADE).build();
  }
}
