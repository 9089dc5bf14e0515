package dev.switchboard.examples.shared;

import dev.switchboard.CallOptions;
import dev.switchboard.RoutedResponse;
import dev.switchboard.Switchboard;
import dev.switchboard.redis.RedisStateStore;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.StateStore;
import dev.switchboard.testkit.Simulator;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import redis.clients.jedis.UnifiedJedis;

/**
 * Two routers — think two instances of one service — over the same three API keys, run twice
 * against one simulated API: first each with its own in-process state, then sharing one real
 * Redis through {@link RedisStateStore}. In both runs the third key has been revoked, router A
 * meets it first, both routers warm up (each live key answers each router once), and then both
 * are offered twice what the live organizations can serve.
 *
 * <ul>
 *   <li>Separate state: each router believes it has the whole of every organization's budget, so
 *       together they send twice what the API allows and collect 429s; router B has to find the
 *       revoked key by itself (a second 401).
 *   <li>Shared state: one token bucket per organization pool for the fleet, so the API sees no more
 *       than its limit and answers no 429; the key A disabled is disabled for B at once.
 * </ul>
 *
 * <p>Without {@code ANTHROPIC_API_KEY} it runs against the testkit {@link Simulator} and a local
 * {@code redis-server} (from the PATH, else the one packaged by embedded-redis). With it, it sends
 * one call through each of two routers sharing the local Redis, with the real key, and lists the
 * Redis keys they share.
 */
public final class SharedStateExample {
  /** The model of every call. */
  static final String MODEL = "claude-sonnet-4-6";
  /** Requests per minute of every simulated organization. */
  static final long RPM = 12;
  /** The key the simulator has revoked. */
  static final String REVOKED_KEY = "k3";
  /** alias, secret, organization. */
  private static final String[][] KEYS = {
      {"k1", "sk-ant-example-shared-k1", "org-1"},
      {"k2", "sk-ant-example-shared-k2", "org-2"},
      {REVOKED_KEY, "sk-ant-example-shared-k3", "org-3"}};

  private SharedStateExample() {}

  /** Runs the example; see the class comment. */
  public static void main(String[] args) {
    String realKey = System.getenv("ANTHROPIC_API_KEY");
    try (LocalRedis redis = LocalRedis.start()) {
      if (realKey != null) {
        realRun(redis, realKey);
        return;
      }
      FleetRun separate = run(null, (int) (2 * RPM));
      FleetRun shared = run(redis, (int) (2 * RPM));
      System.out.println(separate);
      System.out.println(shared);
    }
  }

  /**
   * Runs the scenario once: with {@code redis} null each router has its own local state, else
   * each has its own {@link RedisStateStore} and client on that server, under one fresh key prefix.
   */
  static FleetRun run(LocalRedis redis, int callsPerRouter) {
    String prefix = "example:" + UUID.randomUUID() + ":";
    List<UnifiedJedis> clients = new ArrayList<>();
    try (Simulator sim = simulator()) {
      sim.setKeyState(REVOKED_KEY, Simulator.KeyState.REVOKED);
      StateStore storeA = null;
      StateStore storeB = null;
      if (redis != null) {
        clients.add(redis.client());
        clients.add(redis.client());
        storeA = sharedStore(clients.get(0), prefix);
        storeB = sharedStore(clients.get(1), prefix);
      }
      long start = System.nanoTime();
      try (Switchboard a = router(sim.baseUrl(), storeA); Switchboard b = router(sim.baseUrl(), storeB)) {
        meetRevokedKey(sim, a);
        boolean bKnewBeforeItsFirstCall = b.snapshot().disabled().containsKey("key:" + REVOKED_KEY);
        warmUp(a, "service-a");
        warmUp(b, "service-b");

        List<CompletableFuture<RoutedResponse>> calls = new ArrayList<>();
        for (int i = 0; i < callsPerRouter; i++) {
          calls.add(a.sendAsync(request(i), CallOptions.forUser("service-a")));
          calls.add(b.sendAsync(request(i), CallOptions.forUser("service-b")));
        }
        int succeeded = 0;
        for (CompletableFuture<RoutedResponse> f : calls) {
          if (await(f)) {
            succeeded++;
          }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<String, Long> sentPerOrg = new TreeMap<>();
        for (String[] k : KEYS) {
          sentPerOrg.put(k[2], sim.count(c -> k[2].equals(c.organization())
              && c.path().equals("/v1/messages")));
        }
        return new FleetRun(redis == null ? "separate local state" : "shared Redis state",
            calls.size(), succeeded, sentPerOrg, sim.countStatus(429),
            sim.callsFor(REVOKED_KEY).size(), bKnewBeforeItsFirstCall, elapsed);
      } finally {
        if (storeA != null) {
          storeA.close();
          storeB.close();
        }
      }
    } finally {
      clients.forEach(UnifiedJedis::close);
    }
  }

  /** Returns a simulator of {@value #MODEL} with the three keys, every organization at {@value #RPM} RPM. */
  static Simulator simulator() {
    Simulator.Builder b = Simulator.builder().model(MODEL, "sonnet-4", 200_000)
        .defaultLimits(RPM, 10_000_000, 10_000_000);
    for (String[] k : KEYS) {
      b.key(k[0], k[1], k[2]);
    }
    return b.start();
  }

  /**
   * Returns a router over the three keys that knows the organizations' limits; on {@code store}
   * when not null (the router will not close it), else on its own local state. The deadline is
   * short (3 s, less than one request's refill at this rate): a call that cannot be served now
   * fails instead of waiting for a refill, and a busy machine still answers the others in time.
   */
  static Switchboard router(URI baseUrl, StateStore store) {
    Switchboard.Builder b = Switchboard.builder();
    for (String[] k : KEYS) {
      b.key(k[0], k[1], k[2]);
    }
    b.model(MODEL, Switchboard.limits(RPM, 10_000_000, 10_000_000))
        .baseUrl(baseUrl.toString())
        .deadline(Duration.ofSeconds(3));
    if (store != null) {
      b.stateStore(store);
    }
    return b.build();
  }

  /**
   * Returns a store on {@code client}: the fleet's routers use one prefix, and say there are two
   * of them so that, should Redis go away, each keeps to half of every limit.
   */
  static RedisStateStore sharedStore(UnifiedJedis client, String prefix) {
    return RedisStateStore.builder(client)
        .keyPrefix(prefix)
        .expectedInstances(2)
        .timeout(Duration.ofMillis(500))
        .build();
  }

  /** Sends calls through {@code router} until it has tried the revoked key (and disabled it). */
  private static void meetRevokedKey(Simulator sim, Switchboard router) {
    for (int i = 0; i < 6 && sim.callsFor(REVOKED_KEY).isEmpty(); i++) {
      await(router.sendAsync(request(-1 - i), CallOptions.forUser("service-a")));
    }
  }

  /**
   * Sends calls through {@code router} until both live keys have answered once. A router lets a
   * key it has not seen answer carry one attempt at a time (so a dead key is tried once); after
   * this each router sends at full speed, as a service that has been up for a while does.
   */
  private static void warmUp(Switchboard router, String user) {
    Set<String> answered = new HashSet<>();
    for (int i = 0; i < 8 && answered.size() < 2; i++) {
      CompletableFuture<RoutedResponse> f = router.sendAsync(request(-10 - i), CallOptions.forUser(user));
      if (await(f)) {
        answered.add(f.join().keyAlias());
      }
    }
  }

  private static MessageRequest request(int n) {
    return MessageRequest.builder().model(MODEL).maxTokens(32)
        .addUserMessage("Suggest a name for support ticket #" + n + ".").build();
  }

  /** Waits for a call; returns true when it succeeded, false when it failed (as calls may here). */
  private static boolean await(CompletableFuture<RoutedResponse> f) {
    try {
      f.get(30, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a call", e);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new IllegalStateException("a call did not end within 30 s", e);
    }
  }

  private static void realRun(LocalRedis redis, String realKey) {
    String prefix = "example:" + UUID.randomUUID() + ":";
    try (UnifiedJedis clientA = redis.client(); UnifiedJedis clientB = redis.client();
        RedisStateStore storeA = sharedStore(clientA, prefix);
        RedisStateStore storeB = sharedStore(clientB, prefix)) {
      for (RedisStateStore store : List.of(storeA, storeB)) {
        try (Switchboard router = Switchboard.builder().key("main", realKey, "my-org")
            .model(MODEL).stateStore(store).build()) {
          RoutedResponse r = router.send(request(0), CallOptions.forUser("example"));
          System.out.println(r.model() + " answered via " + r.keyAlias() + ": " + r.response().text());
        }
      }
      System.out.println("state both routers share in Redis: " + clientA.keys(prefix + "*"));
    }
  }

  /**
   * What one run of the scenario showed.
   *
   * @param mode how the routers kept their state
   * @param offered calls offered to the two routers together (after the revoked-key phase and the
   *     warm-up)
   * @param succeeded calls that got an answer
   * @param sentPerOrg requests that reached the API, per organization
   * @param rateLimited 429s the API answered
   * @param revokedKeyCalls requests sent with the revoked key, by both routers
   * @param bKnewOfTheRevokedKey true when router B saw the key disabled before it made any call
   * @param elapsedSeconds how long the run took
   */
  record FleetRun(String mode, int offered, int succeeded, Map<String, Long> sentPerOrg,
      long rateLimited, int revokedKeyCalls, boolean bKnewOfTheRevokedKey, double elapsedSeconds) {
    @Override
    public String toString() {
      return String.format("%-22s offered %d, succeeded %d, sent per organization %s, 429s %d, "
          + "calls with the revoked key %d, B knew of it before its first call: %s (%.1f s)",
          mode, offered, succeeded, sentPerOrg, rateLimited, revokedKeyCalls, bKnewOfTheRevokedKey,
          elapsedSeconds);
    }
  }
}
