package dev.switchboard.redis;

import dev.switchboard.CallOptions;
import dev.switchboard.RoutedResponse;
import dev.switchboard.Switchboard;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.testkit.Simulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The pieces the router-level tests share: an API simulator with three keys in three
 * organizations (the third one revoked when asked), routers over real HTTP on a given
 * {@link RedisStateStore}, and a pacer that offers calls to several routers in turn.
 */
final class RouterFleet {
  static final String SONNET = "claude-sonnet-4-6";
  static final String POOL = "sonnet-4";
  /** alias, secret, organization. */
  static final String[][] KEYS = {
      {"k1", "sk-ant-fleet-k1-secret", "org-1"},
      {"k2", "sk-ant-fleet-k2-secret", "org-2"},
      {"k3", "sk-ant-fleet-k3-secret", "org-3"}};

  private RouterFleet() {}

  /** Returns a simulator of {@link #SONNET} whose every organization has {@code rpm}. */
  static Simulator simulator(long rpm) {
    Simulator.Builder b = Simulator.builder().model(SONNET, POOL, 200_000)
        .defaultLimits(rpm, 10_000_000, 10_000_000);
    for (String[] k : KEYS) {
      b.key(k[0], k[1], k[2]);
    }
    return b.start();
  }

  /**
   * Returns a router of the three keys on {@code store}, knowing the simulator's limits, with the
   * {@code round-robin} strategy.
   */
  static Switchboard router(Simulator sim, RedisStateStore store, long rpm, Duration deadline) {
    return router(sim, store, rpm, deadline, "round-robin");
  }

  /** Returns a router of the three keys on {@code store} with the named strategy. */
  static Switchboard router(Simulator sim, RedisStateStore store, long rpm, Duration deadline,
      String strategy) {
    Switchboard.Builder b = Switchboard.builder();
    for (String[] k : KEYS) {
      b.key(k[0], k[1], k[2]);
    }
    return b.model(SONNET, Switchboard.limits(rpm, 10_000_000, 10_000_000))
        .baseUrl(sim.baseUrl().toString())
        .strategy(strategy)
        .stateStore(store)
        .deadline(deadline)
        .build();
  }

  static MessageRequest request() {
    return MessageRequest.builder().model(SONNET).maxTokens(32)
        .addUserMessage("Name one colour of the rainbow.").build();
  }

  /** What happened to the calls one {@link Pacer} offered. */
  static final class Results {
    final AtomicInteger offered = new AtomicInteger();
    final AtomicInteger completed = new AtomicInteger();
    final AtomicInteger[] succeededBy;
    final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

    Results(int routers) {
      succeededBy = new AtomicInteger[routers];
      for (int i = 0; i < routers; i++) {
        succeededBy[i] = new AtomicInteger();
      }
    }

    int succeeded() {
      int sum = 0;
      for (AtomicInteger s : succeededBy) {
        sum += s.get();
      }
      return sum;
    }
  }

  /**
   * Offers one call every {@code period} to the routers in turn (real time; a scheduled
   * executor, no sleeping), until {@code limit} calls were offered or {@link #stop()}.
   */
  static final class Pacer implements AutoCloseable {
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final List<Switchboard> routers;
    private final List<CompletableFuture<RoutedResponse>> futures = new ArrayList<>();
    private final ScheduledFuture<?> task;
    private final CompletableFuture<Void> allOffered = new CompletableFuture<>();
    final Results results;

    Pacer(List<Switchboard> routers, Duration period, int limit, IntConsumer onComplete) {
      this.routers = List.copyOf(routers);
      this.results = new Results(routers.size());
      this.task = executor.scheduleAtFixedRate(() -> {
        int n = results.offered.get();
        if (n >= limit) {
          allOffered.complete(null);
          return;
        }
        results.offered.incrementAndGet();
        int r = n % this.routers.size();
        CompletableFuture<RoutedResponse> f = this.routers.get(r).sendAsync(request(), CallOptions.DEFAULT);
        synchronized (futures) {
          futures.add(f);
        }
        f.whenComplete((ok, ex) -> {
          if (ok != null) {
            results.succeededBy[r].incrementAndGet();
          } else {
            results.failures.add(ex instanceof java.util.concurrent.CompletionException && ex.getCause() != null
                ? ex.getCause() : ex);
          }
          onComplete.accept(results.completed.incrementAndGet());
        });
      }, 0, period.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Stops offering calls. */
    void stop() {
      task.cancel(false);
    }

    /** Waits until every call was offered, then until each one ended. */
    void awaitAll(Duration timeout) throws Exception {
      allOffered.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      stopAndAwait(timeout);
    }

    /** Stops offering now and waits for every offered call to end. */
    void stopAndAwait(Duration timeout) throws Exception {
      stop();
      executor.submit(() -> {}).get(timeout.toMillis(), TimeUnit.MILLISECONDS); // no task mid-offer
      List<CompletableFuture<RoutedResponse>> all;
      synchronized (futures) {
        all = List.copyOf(futures);
      }
      CompletableFuture.allOf(all.stream().map(f -> f.handle((r, e) -> null))
          .toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
      executor.shutdownNow();
    }
  }
}
