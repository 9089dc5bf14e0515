package dev.switchboard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.schedule.FakeScheduler;
import dev.switchboard.testkit.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AdmissionFairnessTest {
  private final FakeTicker ticker = new FakeTicker();
  private final FakeScheduler scheduler = new FakeScheduler(ticker);

  /**
   * Queues {@code perRound} calls of each tenant per round, noisy first, behind one held slot,
   * then releases one slot at a time and returns the tenants in admission order.
   */
  private List<String> admissionOrder(AdmissionController c, Map<String, Integer> perRound,
      int rounds) {
    Permit blocker = c.acquire(AdmissionRequest.builder("blocker").build()).join();
    List<String> order = new ArrayList<>();
    List<CompletableFuture<Permit>> fs = new ArrayList<>();
    Map<String, List<Integer>> fifo = new HashMap<>();
    for (int r = 0; r < rounds; r++) {
      for (Map.Entry<String, Integer> e : perRound.entrySet()) {
        for (int i = 0; i < e.getValue(); i++) {
          String tenant = e.getKey();
          int index = r * e.getValue() + i;
          CompletableFuture<Permit> f = c.acquire(AdmissionRequest.builder(tenant).build());
          f.thenAccept(p -> {
            order.add(tenant);
            fifo.computeIfAbsent(tenant, t -> new ArrayList<>()).add(index);
          });
          fs.add(f);
        }
      }
    }
    blocker.close();
    for (int i = 0; i < fs.size(); i++) {
      // release in admission order: exactly one call in flight at a time
      CompletableFuture<Permit> next = fs.stream()
          .filter(f -> f.isDone() && !f.join().isReleased()).findFirst().orElseThrow();
      next.join().close();
    }
    for (List<Integer> indexes : fifo.values()) {
      List<Integer> sorted = new ArrayList<>(indexes);
      Collections.sort(sorted);
      assertThat(indexes).as("FIFO within a tenant").isEqualTo(sorted);
    }
    assertThat(c.stats().inFlight()).isZero();
    assertThat(c.stats().queued()).isZero();
    return order;
  }

  private static Map<String, Long> count(List<String> order) {
    Map<String, Long> counts = new HashMap<>();
    for (String t : order) {
      counts.merge(t, 1L, Long::sum);
    }
    return counts;
  }

  @Test
  void acquire_noisyTenantGetsOnlyItsEqualShare() {
    AdmissionController c = AdmissionController.builder().maxInFlight(1).maxQueued(1_000)
        .ticker(ticker).scheduler(scheduler).build();
    Map<String, Integer> perRound = new java.util.LinkedHashMap<>();
    perRound.put("noisy", 10);
    perRound.put("b", 1);
    perRound.put("c", 1);

    List<String> order = admissionOrder(c, perRound, 20);

    // while all three are backlogged (b and c have 20 each: the first 60 admissions)
    Map<String, Long> counts = count(order.subList(0, 60));
    assertThat(counts.get("noisy")).isBetween(19L, 21L);
    assertThat(counts.get("b")).isBetween(19L, 21L);
    assertThat(counts.get("c")).isBetween(19L, 21L);
    // then the noisy tenant gets what is left
    assertThat(order.subList(60, order.size())).containsOnly("noisy");
  }

  @Test
  void acquire_weightsSplitAdmissionsTwoToOne() {
    AdmissionController c = AdmissionController.builder().maxInFlight(1).maxQueued(1_000)
        .ticker(ticker).scheduler(scheduler)
        .tenant("noisy", TenantPolicy.builder().weight(2).build())
        .build();
    Map<String, Integer> perRound = new java.util.LinkedHashMap<>();
    perRound.put("noisy", 10);
    perRound.put("b", 1);

    List<String> order = admissionOrder(c, perRound, 20);

    // b has 20 queued: while both are backlogged (the first 60 admissions) noisy gets 2 of 3
    Map<String, Long> counts = count(order.subList(0, 60));
    assertThat(counts.get("noisy")).isBetween(39L, 41L);
    assertThat(counts.get("b")).isBetween(19L, 21L);
    // and at every prefix the split never drifts by more than one admission from 2:1
    long noisy = 0;
    for (int i = 0; i < 60; i++) {
      if (order.get(i).equals("noisy")) {
        noisy++;
      }
      double expected = (i + 1) * 2.0 / 3.0;
      assertThat(Math.abs(noisy - expected)).as("after %d admissions", i + 1).isLessThanOrEqualTo(1.5);
    }
  }

  @Test
  void acquire_tenantReturningFromIdleGetsNoBankedCredit() {
    AdmissionController c = AdmissionController.builder().maxInFlight(1).maxQueued(1_000)
        .ticker(ticker).scheduler(scheduler).build();
    Permit blocker = c.acquire(AdmissionRequest.builder("x").build()).join();
    List<String> order = new ArrayList<>();
    List<Permit> admitted = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      c.acquire(AdmissionRequest.builder("a").build()).thenAccept(p -> {
        order.add("a");
        admitted.add(p);
      });
    }
    blocker.close();
    for (int i = 0; i < 20; i++) { // a alone for 20 admissions
      admitted.get(admitted.size() - 1).close();
    }
    for (int i = 0; i < 10; i++) {
      c.acquire(AdmissionRequest.builder("late").build()).thenAccept(p -> {
        order.add("late");
        admitted.add(p);
      });
    }

    for (int i = 0; i < 10; i++) {
      admitted.get(admitted.size() - 1).close();
    }

    // the late tenant alternates with a instead of taking the next 10 in a row
    assertThat(order).hasSize(31);
    assertThat(count(order.subList(21, 31)).get("late")).isBetween(4L, 6L);
  }

  @Test
  void acquire_underTripleOverloadKeepsInteractiveP99WaitBelowBatch() {
    // capacity: 4 slots x 10 calls/s = 40 calls/s; arrivals: one every 8 ms = 125/s (> 3x),
    // a quarter of them interactive; every call must be admitted within 2 s.
    AdmissionController c = AdmissionController.builder().maxInFlight(4).maxQueued(60)
        .ticker(ticker).scheduler(scheduler).build();
    Map<Priority, List<Long>> waits = new HashMap<>();
    Map<Priority, Integer> rejected = new HashMap<>();
    long end = ticker.read() + Duration.ofSeconds(30).toNanos();
    Runnable[] arrival = new Runnable[1];
    int[] n = new int[1];
    arrival[0] = () -> {
      Priority p = n[0]++ % 4 == 0 ? Priority.INTERACTIVE : Priority.BATCH;
      CompletableFuture<Permit> f = c.acquire(AdmissionRequest.builder("t" + (n[0] % 3))
          .priority(p).deadlineNanos(ticker.read() + 2_000_000_000L).build());
      f.whenComplete((permit, e) -> {
        if (permit != null) {
          waits.computeIfAbsent(p, k -> new ArrayList<>()).add(permit.waitedNanos());
          scheduler.schedule(permit::close, Duration.ofMillis(100).toNanos());
        } else {
          assertThat(e).isInstanceOf(AdmissionRejectedException.class);
          rejected.merge(p, 1, Integer::sum);
        }
      });
      if (ticker.read() - end < 0) {
        scheduler.schedule(arrival[0], Duration.ofMillis(8).toNanos());
      }
    };
    scheduler.schedule(arrival[0], 0);

    scheduler.runAll();

    long interactiveP99 = p99(waits.get(Priority.INTERACTIVE));
    long batchP99 = p99(waits.get(Priority.BATCH));
    assertThat(waits.get(Priority.INTERACTIVE)).hasSizeGreaterThan(900);
    assertThat(waits.get(Priority.BATCH)).hasSizeGreaterThan(200);
    assertThat(interactiveP99).isLessThan(batchP99);
    assertThat(interactiveP99).isLessThanOrEqualTo(Duration.ofMillis(100).toNanos());
    assertThat(rejected.getOrDefault(Priority.INTERACTIVE, 0)).isZero();
    assertThat(rejected.get(Priority.BATCH)).isGreaterThan(1_000);
    AdmissionStats s = c.stats();
    assertThat(s.inFlight()).isZero();
    assertThat(s.queued()).isZero();
    assertThat(s.waits(Priority.INTERACTIVE).admitted()).isEqualTo(waits.get(Priority.INTERACTIVE).size());
  }

  private static long p99(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
  }
}
