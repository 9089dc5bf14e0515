package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.CallOptions;
import dev.switchboard.Switchboard;
import dev.switchboard.spi.BreakerState;
import dev.switchboard.spi.RouteClaim;
import dev.switchboard.spi.RouteGrant;
import dev.switchboard.spi.RoutingView;
import dev.switchboard.testkit.Simulator;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisMonitor;
import redis.clients.jedis.UnifiedJedis;

/**
 * Measures how many Redis round trips one routed call costs, through the router's public API on
 * a real server: {@code INFO commandstats} deltas over N calls (every command the server ran,
 * inner script commands included), and {@code MONITOR} to attribute each top-level command (the
 * actual round trips) to its operation and each {@code EVALSHA} to its script. The numbers are
 * printed for the report; the test pins the hot path: exactly one {@code EVALSHA}
 * ({@code route-claim.lua}) per routed call on the caller's thread, everything else batched off
 * it or amortized, and no {@code EVAL} once the scripts are loaded.
 */
@ExtendWith(RedisExtension.class)
class RoundTripsPerRoutedCallTest {
  private static final int CALLS = 40;

  @Test
  @Timeout(60)
  void routedCall_costsOneClaimOnTheCallersPath(RedisServer server) throws Exception {
    for (String strategy : List.of("headroom", "round-robin")) {
      Map<String, Long> perOperation = measure(server, strategy);

      // the whole decision: health, cooldown, both breakers and the budget in one script
      assertThat(perOperation.get("evalsha route-claim.lua")).as("claims, %s", strategy)
          .isEqualTo(CALLS);
      // the rest is off the caller's path (settle batches, view refreshes) or amortized over
      // calls (headroom reads its levels at most once per pool per refresh period)
      assertThat(perOperation).as("operations, %s", strategy).containsOnlyKeys(
          List.of("evalsha route-claim.lua", "evalsha route-settle.lua", "evalsha route-view.lua",
              "evalsha budget-levels.lua").stream()
              .filter(perOperation::containsKey).toList());
      assertThat(perOperation.getOrDefault("evalsha route-settle.lua", 0L)).isLessThanOrEqualTo(CALLS);
      assertThat(perOperation.getOrDefault("evalsha budget-levels.lua", 0L))
          .as("levels reads, %s", strategy).isLessThanOrEqualTo(CALLS / 4);
      assertThat(perOperation.getOrDefault("eval", 0L)).as("EVAL after warm-up").isZero();
    }
  }

  /**
   * Measures the routed path the router is moving to: plan from {@code routingView()} (no I/O),
   * one {@code claimRoute} per attempt, one {@code settle} per attempt sent off the caller's
   * thread. Sequential calls (each settlement awaited) and 8 concurrent callers.
   */
  @Test
  @Timeout(60)
  void claimAndSettle_costOneRoundTripOnTheCallersPath(RedisServer server) throws Exception {
    String prefix = TestSupport.uniquePrefix();
    RedisStateStore store = RedisStateStore.builder(server.client()).keyPrefix(prefix)
        .timeout(Duration.ofSeconds(5)).viewRefresh(Duration.ofMinutes(10))
        .listener(TestSupport.FAIL_ON_DEGRADE).build();
    try {
      RouteClaim claim = RedisRoutingTest.claim("org-1/sonnet-4");
      RoutingView view = store.routingView();
      store.settle(RedisRoutingTest.refund(claim, store.claimRoute(claim))).toCompletableFuture().join(); // warm-up

      Map<String, Long> sequential;
      try (Census census = Census.start(server, prefix)) {
        for (int i = 0; i < CALLS; i++) {
          assertThat(view.disabledReason("key:a")).isNull();
          assertThat(view.breakerState("model:m", claim.breakerConfig())).isEqualTo(BreakerState.CLOSED);
          RouteGrant grant = store.claimRoute(claim);
          store.settle(RedisRoutingTest.refund(claim, grant)).toCompletableFuture().join();
        }
        sequential = census.finish();
      }
      int threads = 8;
      int perThread = 50;
      Map<String, Long> concurrent;
      try (Census census = Census.start(server, prefix)) {
        List<CompletableFuture<?>> stages = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
          List<Future<?>> done = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
              for (int i = 0; i < perThread; i++) {
                RouteGrant grant = store.claimRoute(claim);
                stages.add(store.settle(RedisRoutingTest.refund(claim, grant)).toCompletableFuture());
              }
            }));
          }
          for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
          }
        } finally {
          pool.shutdownNow();
        }
        CompletableFuture.allOf(stages.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        concurrent = census.finish();
      }
      int calls = threads * perThread;
      System.out.printf("claim+settle path, %d sequential calls: %s -> %.2f round trips per call, %.2f on the "
          + "caller's path%n", CALLS, sequential, total(sequential) / (double) CALLS,
          sequential.getOrDefault("evalsha route-claim.lua", 0L) / (double) CALLS);
      System.out.printf("claim+settle path, %d calls from %d threads: %s -> %.2f round trips per call, %.2f on "
          + "the caller's path%n", calls, threads, concurrent, total(concurrent) / (double) calls,
          concurrent.getOrDefault("evalsha route-claim.lua", 0L) / (double) calls);
      assertThat(sequential).containsOnly(Map.entry("evalsha route-claim.lua", (long) CALLS),
          Map.entry("evalsha route-settle.lua", (long) CALLS));
      assertThat(concurrent.get("evalsha route-claim.lua")).isEqualTo(calls);
      assertThat(concurrent.get("evalsha route-settle.lua")).isBetween(1L, (long) calls);
      assertThat(concurrent).containsOnlyKeys("evalsha route-claim.lua", "evalsha route-settle.lua");
    } finally {
      store.close();
    }
  }

  private static long total(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  private Map<String, Long> measure(RedisServer server, String strategy) throws Exception {
    String prefix = TestSupport.uniquePrefix();
    UnifiedJedis admin = server.client();
    RedisStateStore store = RedisStateStore.builder(server.client()).keyPrefix(prefix)
        .timeout(Duration.ofSeconds(2)).listener(TestSupport.FAIL_ON_DEGRADE).build();
    try (Simulator sim = RouterFleet.simulator(6_000);
        Switchboard router = RouterFleet.router(sim, store, 6_000, Duration.ofSeconds(10), strategy)) {
      for (int i = 0; i < 6; i++) { // scripts loaded, every key past its first call
        router.send(RouterFleet.request(), CallOptions.DEFAULT);
      }
      Map<String, Long> before = commandStats(admin);
      Map<String, Long> topLevel;
      try (Census census = Census.start(server, prefix)) {
        for (int i = 0; i < CALLS; i++) {
          router.send(RouterFleet.request(), CallOptions.DEFAULT);
        }
        topLevel = census.finish();
      }
      Map<String, Long> after = commandStats(admin);

      Map<String, Long> delta = new TreeMap<>();
      after.forEach((cmd, n) -> {
        long d = n - before.getOrDefault(cmd, 0L) - (cmd.equals("info") ? 1 : 0);
        if (d > 0 && !cmd.equals("monitor") && !cmd.equals("echo")) {
          delta.put(cmd, d);
        }
      });
      long roundTrips = topLevel.values().stream().mapToLong(Long::longValue).sum();
      StringBuilder report = new StringBuilder();
      report.append(String.format("round trips per routed call (%s strategy, %d calls, all to Redis): %.2f%n",
          strategy, CALLS, roundTrips / (double) CALLS));
      topLevel.forEach((op, n) -> report.append(String.format("  %-32s %6.2f per call%n", op, n / (double) CALLS)));
      report.append("  INFO commandstats deltas per call (inner script commands included):");
      delta.forEach((cmd, n) -> report.append(String.format(" %s=%.2f", cmd, n / (double) CALLS)));
      System.out.println(report);

      long evalshaSeen = topLevel.entrySet().stream().filter(e -> e.getKey().startsWith("evalsha"))
          .mapToLong(Map.Entry::getValue).sum();
      // background work (view refreshes, settle batches) may land between MONITOR's end and the
      // second INFO: commandstats may see a few more, never fewer
      assertThat(delta.getOrDefault("evalsha", 0L)).as("commandstats agree with MONITOR")
          .isBetween(evalshaSeen, evalshaSeen + 5);
      return topLevel;
    }
  }

  /** Returns the calls of every command in {@code INFO commandstats}. */
  static Map<String, Long> commandStats(UnifiedJedis jedis) {
    Map<String, Long> out = new HashMap<>();
    for (String line : jedis.info("commandstats").split("\r?\n")) {
      if (line.startsWith("cmdstat_")) {
        String name = line.substring(8, line.indexOf(':'));
        String calls = line.substring(line.indexOf("calls=") + 6);
        out.put(name, Long.parseLong(calls.substring(0, calls.indexOf(','))));
      }
    }
    return out;
  }

  /**
   * Counts, with {@code MONITOR} on its own connection, the top-level commands (round trips) that
   * touch keys under one prefix, by command, and {@code EVALSHA}s by script name. Real I/O only:
   * it waits for marker commands to come through, never for time to pass.
   */
  static final class Census implements AutoCloseable {
    private final Jedis monitor;
    private final Jedis marker;
    private final String id = UUID.randomUUID().toString();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Map<String, Long> counts = new TreeMap<>();
    private final Thread thread;

    private Census(RedisServer server, String prefix) {
      monitor = new Jedis("127.0.0.1", server.port());
      marker = new Jedis("127.0.0.1", server.port());
      Map<String, String> scripts = scriptNames();
      thread = new Thread(() -> {
        try {
          monitor.monitor(new JedisMonitor() {
            @Override
            public void onCommand(String line) {
              if (line.contains("census-start-" + id)) {
                started.countDown();
              } else if (line.contains("census-end-" + id)) {
                ended.countDown();
                client.disconnect();
              } else if (started.getCount() == 0 && !line.contains("[0 lua]") && line.contains(prefix)) {
                count(line, scripts);
              }
            }
          });
        } catch (RuntimeException e) {
          ended.countDown(); // disconnected
        }
      }, "redis-census");
      thread.setDaemon(true);
    }

    static Census start(RedisServer server, String prefix) throws InterruptedException {
      Census c = new Census(server, prefix);
      c.thread.start();
      // MONITOR shows only commands sent after it started: repeat the marker until one is seen
      for (int i = 0; i < 1_000 && !c.started.await(10, TimeUnit.MILLISECONDS); i++) {
        c.marker.echo("census-start-" + c.id);
      }
      assertThat(c.started.getCount()).as("MONITOR started").isZero();
      return c;
    }

    private void count(String line, Map<String, String> scripts) {
      int at = line.indexOf("] \"");
      if (at < 0) {
        return;
      }
      String[] args = line.substring(at + 3).split("\" \"");
      String command = args[0].toLowerCase(java.util.Locale.ROOT);
      String op = command;
      if (command.equals("evalsha") && args.length > 3) {
        op = "evalsha " + scripts.getOrDefault(args[1], args[1]);
        int numkeys = Integer.parseInt(args[2]);
        if (op.endsWith("breaker.lua") && args.length > 3 + numkeys) { // keys, then the operation
          op += " " + args[3 + numkeys] + " " + kind(args[3]);
        } else if (op.endsWith("health-remaining.lua")) {
          op += " " + kind(args[3]);
        }
      } else if (command.equals("hget") && args.length > 2) {
        op += " " + kind(args[2]);
      }
      synchronized (counts) {
        counts.merge(op, 1L, Long::sum);
      }
    }

    /** Returns the kind of a breaker name or scope, e.g. {@code model:*} of {@code {r}:breaker:model:x}. */
    private static String kind(String keyOrScope) {
      String name = keyOrScope;
      for (String marker : List.of("{r}:breaker:", "{r}:cooldown:", "{r}:budget:", "breaker:{")) {
        int at = name.indexOf(marker);
        if (at >= 0) {
          name = name.substring(at + marker.length());
          break;
        }
      }
      int colon = name.indexOf(':');
      return colon >= 0 ? name.substring(0, colon + 1) + "*" : name;
    }

    /** Returns the counts once the end marker came through. */
    Map<String, Long> finish() throws InterruptedException {
      marker.echo("census-end-" + id);
      assertThat(ended.await(20, TimeUnit.SECONDS)).as("MONITOR saw the end").isTrue();
      synchronized (counts) {
        return new TreeMap<>(counts);
      }
    }

    @Override
    public void close() {
      monitor.close();
      marker.close();
    }

    /** Returns script SHA1 → resource name, for every script in {@link Scripts}. */
    private static Map<String, String> scriptNames() {
      Map<String, String> out = new HashMap<>();
      for (Field f : Scripts.class.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) && f.getType() == LuaScript.class) {
          try {
            LuaScript s = (LuaScript) f.get(null);
            out.put(s.sha1(), s.name());
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        }
      }
      return out;
    }
  }
}
