package dev.switchboard.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SingleFlightTest {
  private final SingleFlight<String, String> flights = new SingleFlight<>();

  @Test
  void execute_concurrentCallersShareOneSupplierCall() throws Exception {
    int callers = 16;
    AtomicInteger invocations = new AtomicInteger();
    CompletableFuture<String> upstream = new CompletableFuture<>();
    CyclicBarrier ready = new CyclicBarrier(callers);
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      List<Future<CompletableFuture<String>>> submitted = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        submitted.add(pool.submit(() -> {
          ready.await(10, TimeUnit.SECONDS);
          return flights.execute("k", () -> {
            invocations.incrementAndGet();
            return upstream;
          });
        }));
      }
      List<CompletableFuture<String>> results = new ArrayList<>();
      for (Future<CompletableFuture<String>> f : submitted) {
        results.add(f.get(10, TimeUnit.SECONDS));
      }
      // every caller has its future before the upstream call completes
      assertThat(results).allSatisfy(r -> assertThat(r).isNotDone());
      assertThat(flights.isInFlight("k")).isTrue();

      upstream.complete("answer");

      assertThat(results).allSatisfy(r -> assertThat(r).isCompletedWithValue("answer"));
      assertThat(invocations.get()).isEqualTo(1);
      assertThat(flights.inFlight()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void execute_differentKeysFlyApart() {
    CompletableFuture<String> a = flights.execute("a", () -> new CompletableFuture<>());
    CompletableFuture<String> b = flights.execute("b", () -> CompletableFuture.completedFuture("B"));

    assertThat(a).isNotDone();
    assertThat(b).isCompletedWithValue("B");
    assertThat(flights.inFlight()).isEqualTo(1);
  }

  @Test
  void execute_deliversFailureToEveryCallerAndForgetsIt() {
    CompletableFuture<String> upstream = new CompletableFuture<>();
    CompletableFuture<String> first = flights.execute("k", () -> upstream);
    CompletableFuture<String> second = flights.execute("k", () -> {
      throw new AssertionError("followers never run their supplier");
    });
    IllegalStateException boom = new IllegalStateException("upstream failed");

    upstream.completeExceptionally(boom);

    for (CompletableFuture<String> f : List.of(first, second)) {
      assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class).hasCause(boom);
    }
    assertThat(flights.inFlight()).isZero();
    // the failure is not remembered: the next call runs its supplier
    assertThat(flights.execute("k", () -> CompletableFuture.completedFuture("retry")))
        .isCompletedWithValue("retry");
  }

  @Test
  void execute_supplierThrowingFailsTheFlight() {
    CompletableFuture<String> f = flights.execute("k", () -> {
      throw new IllegalArgumentException("bad request");
    });

    assertThatThrownBy(f::get).hasCauseInstanceOf(IllegalArgumentException.class)
        .hasRootCauseMessage("bad request");
    assertThat(flights.inFlight()).isZero();
  }

  @Test
  void execute_supplierReturningNullFailsTheFlight() {
    CompletableFuture<String> f = flights.execute("k", () -> null);

    assertThatThrownBy(f::get).hasCauseInstanceOf(NullPointerException.class)
        .hasRootCauseMessage("supplier returned null");
    assertThat(flights.inFlight()).isZero();
  }

  @Test
  void cancel_ofOneFollowerLeavesTheFlightRunning() {
    CompletableFuture<String> upstream = new CompletableFuture<>();
    CompletableFuture<String> leader = flights.execute("k", () -> upstream);
    CompletableFuture<String> follower = flights.execute("k", () -> upstream);

    follower.cancel(true);

    assertThat(upstream).isNotDone();
    upstream.complete("v");
    assertThat(leader).isCompletedWithValue("v");
    assertThat(follower).isCancelled();
  }

  @Test
  void cancel_ofTheLeaderAloneLeavesFollowersServed() {
    CompletableFuture<String> upstream = new CompletableFuture<>();
    CompletableFuture<String> leader = flights.execute("k", () -> upstream);
    CompletableFuture<String> follower = flights.execute("k", () -> upstream);

    leader.cancel(true);

    assertThat(upstream).isNotDone();
    upstream.complete("v");
    assertThat(follower).isCompletedWithValue("v");
  }

  @Test
  void cancel_ofEveryCallerCancelsTheFlight() {
    CompletableFuture<String> upstream = new CompletableFuture<>();
    CompletableFuture<String> a = flights.execute("k", () -> upstream);
    CompletableFuture<String> b = flights.execute("k", () -> upstream);

    a.cancel(true);
    b.cancel(true);

    assertThat(upstream).isCancelled();
    assertThat(flights.isInFlight("k")).isFalse();
    CompletableFuture<String> next = flights.execute("k", () -> CompletableFuture.completedFuture("fresh"));
    assertThat(next).isCompletedWithValue("fresh");
  }

  @Test
  void execute_callbackCallingAgainStartsANewFlight() {
    CompletableFuture<String> upstream = new CompletableFuture<>();
    AtomicInteger invocations = new AtomicInteger();
    CompletableFuture<String> again = new CompletableFuture<>();
    flights.execute("k", () -> upstream).thenRun(() ->
        flights.execute("k", () -> {
          invocations.incrementAndGet();
          return CompletableFuture.completedFuture("second");
        }).thenAccept(again::complete));

    upstream.complete("first");

    assertThat(invocations.get()).isEqualTo(1);
    assertThat(again).isCompletedWithValue("second");
  }

  @Test
  void execute_lateCallerDuringSlowSupplierJoinsTheFlight() throws Exception {
    CountDownLatch supplierEntered = new CountDownLatch(1);
    CountDownLatch releaseSupplier = new CountDownLatch(1);
    AtomicInteger invocations = new AtomicInteger();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<CompletableFuture<String>> leader = pool.submit(() -> flights.execute("k", () -> {
        invocations.incrementAndGet();
        supplierEntered.countDown();
        try {
          releaseSupplier.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return CompletableFuture.completedFuture("v");
      }));
      assertThat(supplierEntered.await(10, TimeUnit.SECONDS)).isTrue();

      CompletableFuture<String> follower = flights.execute("k", () -> {
        invocations.incrementAndGet();
        return CompletableFuture.completedFuture("other");
      });
      releaseSupplier.countDown();

      assertThat(follower.get(10, TimeUnit.SECONDS)).isEqualTo("v");
      assertThat(leader.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS)).isEqualTo("v");
      assertThat(invocations.get()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void execute_rejectsNulls() {
    assertThatThrownBy(() -> flights.execute(null, CompletableFuture::new))
        .isInstanceOf(NullPointerException.class).hasMessage("key");
    assertThatThrownBy(() -> flights.execute("k", null))
        .isInstanceOf(NullPointerException.class).hasMessage("supplier");
  }

  @Test
  void execute_sourceCancelledElsewhereCancelsEveryCaller() {
    CompletableFuture<String> upstream = new CompletableFuture<>();
    CompletableFuture<String> a = flights.execute("k", () -> upstream);
    CompletableFuture<String> b = flights.execute("k", () -> upstream);

    upstream.cancel(true);

    assertThat(a).isCancelled();
    assertThat(b).isCancelled();
    assertThat(flights.inFlight()).isZero();
  }

  @Test
  void execute_repeatedWavesEachMakeOneCall() throws Exception {
    int waves = 50;
    int callers = 8;
    AtomicInteger invocations = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      for (int w = 0; w < waves; w++) {
        CompletableFuture<String> upstream = new CompletableFuture<>();
        CountDownLatch joined = new CountDownLatch(callers);
        List<Future<CompletableFuture<String>>> results = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
          results.add(pool.submit(() -> {
            CompletableFuture<String> f = flights.execute("k", () -> {
              invocations.incrementAndGet();
              return upstream;
            });
            joined.countDown();
            return f;
          }));
        }
        assertThat(joined.await(10, TimeUnit.SECONDS)).isTrue();
        upstream.complete("wave" + w);
        for (Future<CompletableFuture<String>> r : results) {
          assertThat(r.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS)).isEqualTo("wave" + w);
        }
        assertThat(invocations.get()).isEqualTo(w + 1);
      }
      assertThat(flights.inFlight()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }
}
