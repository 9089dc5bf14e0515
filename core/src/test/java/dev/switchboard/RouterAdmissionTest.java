package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.Fixtures.Events;
import dev.switchboard.admission.AdmissionRejectedException;
import dev.switchboard.admission.AdmissionStats;
import dev.switchboard.admission.Priority;
import dev.switchboard.admission.TenantPolicy;
import dev.switchboard.schedule.FakeScheduler;
import dev.switchboard.spi.ProviderResponse;
import dev.switchboard.testkit.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Admission control through the router: priority under overload, fair share, typed rejections. */
@Timeout(30)
class RouterAdmissionTest {
  private static final String OPUS = "claude-opus-4-6";

  private final FakeTicker ticker = new FakeTicker();
  private final FakeScheduler scheduler = new FakeScheduler(ticker);
  private final FakeTransport transport = new FakeTransport();
  private final Events events = new Events();

  private Switchboard.Builder builder() {
    for (int i = 0; i < 2_000; i++) {
      transport.thenHang();
    }
    return Fixtures.builder(ticker, scheduler, transport, events).key("a1", "sk-a1", "org-1")
        .model(OPUS).deadline(Duration.ofHours(1)).attemptTimeout(Duration.ofHours(1));
  }

  /** Answers every attempt in flight now (each answer may admit and start the next call). */
  private void serveInFlight() {
    List<CompletableFuture<ProviderResponse>> open = new ArrayList<>();
    for (FakeTransport.Sent s : transport.sent()) {
      if (!s.future().isDone()) {
        open.add(s.future());
      }
    }
    for (CompletableFuture<ProviderResponse> f : open) {
      f.complete(FakeTransport.ok(10, 5));
    }
  }

  private static long p99(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
  }

  @Test
  void threeTimesOverload_interactiveP99QueueWaitBelowBatch() {
    Switchboard router = builder().admission(2, 1_000).build();
    List<CompletableFuture<RoutedResponse>> interactive = new ArrayList<>();
    List<CompletableFuture<RoutedResponse>> batch = new ArrayList<>();
    for (int step = 0; step < 30; step++) {
      // 6 arrivals per step against 2 served per step: three times the capacity
      for (int i = 0; i < 2; i++) {
        interactive.add(router.sendAsync(Fixtures.request(10),
            CallOptions.forUser("i" + i).priority(Priority.INTERACTIVE)));
      }
      for (int i = 0; i < 4; i++) {
        batch.add(router.sendAsync(Fixtures.request(10),
            CallOptions.forUser("b" + i).priority(Priority.BATCH)));
      }
      scheduler.advance(Duration.ofMillis(100));
      serveInFlight();
    }
    while (batch.stream().anyMatch(f -> !f.isDone())) {
      scheduler.advance(Duration.ofMillis(100));
      serveInFlight();
    }

    List<Long> iw = interactive.stream().map(f -> f.join().waited().toNanos()).toList();
    List<Long> bw = batch.stream().map(f -> f.join().waited().toNanos()).toList();
    System.out.printf("3x overload: p99 queue wait interactive %d ms, batch %d ms%n",
        p99(iw) / 1_000_000, p99(bw) / 1_000_000);
    assertThat(p99(iw)).isLessThan(p99(bw));
    assertThat(p99(iw)).isLessThanOrEqualTo(Duration.ofMillis(100).toNanos());
    AdmissionStats stats = router.snapshot().admission().orElseThrow();
    assertThat(stats.waits(Priority.INTERACTIVE).admitted()).isEqualTo(60);
    assertThat(stats.waits(Priority.BATCH).admitted()).isEqualTo(120);
    assertThat(stats.inFlight()).isZero();
  }

  @Test
  void noisyTenantSendingTenTimesMore_getsNoMoreThanItsWeightedShare() {
    Switchboard router = builder().admission(3, 1_000).build();
    Map<String, List<CompletableFuture<RoutedResponse>>> byTenant = new HashMap<>();
    for (int step = 0; step < 20; step++) {
      for (int i = 0; i < 10; i++) {
        byTenant.computeIfAbsent("noisy", t -> new ArrayList<>()).add(router.sendAsync(
            Fixtures.request(10), CallOptions.DEFAULT.tenant("noisy")));
      }
      for (String quiet : List.of("quiet-1", "quiet-2")) {
        byTenant.computeIfAbsent(quiet, t -> new ArrayList<>()).add(router.sendAsync(
            Fixtures.request(10), CallOptions.DEFAULT.tenant(quiet)));
      }
      scheduler.advance(Duration.ofMillis(100));
      serveInFlight();
    }
    Map<String, Long> served = new HashMap<>();
    byTenant.forEach((t, fs) -> served.put(t, fs.stream().filter(CompletableFuture::isDone).count()));
    long total = served.values().stream().mapToLong(Long::longValue).sum();
    System.out.printf("noisy tenant at 10x: served %s of %d%n", served, total);

    assertThat(served.get("noisy")).isLessThanOrEqualTo(total / 3 + 3);
    assertThat(served.get("quiet-1")).isGreaterThanOrEqualTo(18); // 20 sent; the last step's are still in flight
    assertThat(served.get("quiet-2")).isGreaterThanOrEqualTo(18); // 20 sent; the last step's are still in flight
  }

  @Test
  void fullQueue_failsWithTypedRejection_andNoAttempt() {
    Switchboard router = builder().admission(1, 1).build();
    CompletableFuture<RoutedResponse> running = router.sendAsync(Fixtures.request(10),
        CallOptions.forUser("a"));
    CompletableFuture<RoutedResponse> queued = router.sendAsync(Fixtures.request(10),
        CallOptions.forUser("a"));

    assertThatThrownBy(() -> router.send(Fixtures.request(10), CallOptions.forUser("a")))
        .isInstanceOfSatisfying(AdmissionDeniedException.class, ex -> {
          assertThat(ex.reason()).isEqualTo(AdmissionRejectedException.Reason.QUEUE_FULL);
          assertThat(ex.tenant()).isEqualTo("a");
          assertThat(ex.attempts()).isEmpty();
        });
    assertThat(transport.sent()).hasSize(1);
    serveInFlight();
    serveInFlight();
    assertThat(running).isCompleted();
    assertThat(queued).isCompleted();
  }

  @Test
  void cancelledWhileQueued_neverRuns_andSlotsAreReturned() {
    Switchboard router = builder().admission(1, 10).build();
    CompletableFuture<RoutedResponse> running = router.sendAsync(Fixtures.request(10),
        CallOptions.forUser("a"));
    CompletableFuture<RoutedResponse> queued = router.sendAsync(Fixtures.request(10),
        CallOptions.forUser("a"));

    queued.cancel(true);
    serveInFlight();

    assertThat(running).isCompleted();
    assertThat(transport.sent()).hasSize(1);
    AdmissionStats stats = router.snapshot().admission().orElseThrow();
    assertThat(stats.inFlight()).isZero();
    assertThat(stats.queued()).isZero();
  }

  @Test
  void tenantTokenBudget_isEnforcedAtAdmission() {
    Switchboard router = builder().admission(10, 10).tenant("small",
        TenantPolicy.builder().tokensPerMinute(100).build()).build();

    assertThatThrownBy(() -> router.send(Fixtures.request(1_000), CallOptions.forUser("small")))
        .isInstanceOfSatisfying(AdmissionDeniedException.class,
            ex -> assertThat(ex.reason()).isEqualTo(AdmissionRejectedException.Reason.TENANT_BUDGET));
    assertThat(transport.sent()).isEmpty();
  }
}
