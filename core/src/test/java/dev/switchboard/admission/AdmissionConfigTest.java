package dev.switchboard.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.schedule.Scheduler;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AdmissionConfigTest {

  @Test
  void builder_rejectsBadLimits() {
    assertThatThrownBy(() -> AdmissionController.builder().maxInFlight(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxInFlight must be >= 1 but was 0");
    assertThatThrownBy(() -> AdmissionController.builder().maxQueued(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxQueued must be >= 0 but was -1");
    assertThatThrownBy(() -> AdmissionController.builder().tenant(" ", TenantPolicy.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tenant must not be blank but was ' '");
    assertThatThrownBy(() -> AdmissionController.builder().tenant("a", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("policy of tenant 'a'");
  }

  @Test
  void builder_appliesPoliciesAndDefaults() {
    TenantPolicy gold = TenantPolicy.builder().weight(4).build();
    TenantPolicy fallback = TenantPolicy.builder().tokensPerMinute(1_000).build();
    AdmissionController c = AdmissionController.builder().tenant("gold", gold)
        .defaultTenantPolicy(fallback).build();

    assertThat(c.policy("gold")).isEqualTo(gold);
    assertThat(c.policy("anyone")).isEqualTo(fallback);
    assertThat(c.maxInFlight()).isEqualTo(64);
    assertThat(c.maxQueued()).isEqualTo(1_024);
    assertThat(c.toString()).isEqualTo("AdmissionController[inFlight=0/64, queued=0/1024]");
  }

  @Test
  void request_rejectsBadValues() {
    assertThatThrownBy(() -> AdmissionRequest.builder(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tenant must not be blank but was ''");
    assertThatThrownBy(() -> AdmissionRequest.builder("a").estimatedTokens(-5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("estimatedTokens must be >= 0 but was -5");
    assertThatThrownBy(() -> AdmissionRequest.builder("a").estimatedCost(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("estimatedCost must be finite and >= 0 but was Infinity");
    assertThatThrownBy(() -> new AdmissionRequest("a", Priority.BATCH, 1, -0.5, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("estimatedCost must be finite and >= 0 but was -0.5");
    assertThatThrownBy(() -> AdmissionRequest.builder("a").priority(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("priority");
  }

  @Test
  void request_defaults() {
    AdmissionRequest r = AdmissionRequest.builder("a").build();

    assertThat(r).isEqualTo(new AdmissionRequest("a", Priority.STANDARD, 0, 0.0,
        AdmissionRequest.NO_DEADLINE));
    assertThat(r.hasDeadline()).isFalse();
    assertThat(AdmissionRequest.builder("a").deadlineNanos(5).build().hasDeadline()).isTrue();
  }

  @Test
  void tenantPolicy_rejectsBadValues() {
    assertThatThrownBy(() -> TenantPolicy.builder().weight(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight must be finite and > 0 but was 0.0");
    assertThatThrownBy(() -> TenantPolicy.builder().tokensPerMinute(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tokensPerMinute must be >= 0 (0 = unlimited) but was -1");
    assertThatThrownBy(() -> TenantPolicy.builder().spendCap(-1, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("spendCap must be finite and >= 0 (0 = none) but was -1.0");
    assertThatThrownBy(() -> TenantPolicy.builder().spendCap(5, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("spendWindow must be positive but was PT0S");
  }

  @Test
  void tenantPolicy_toBuilderRoundTrips() {
    TenantPolicy p = TenantPolicy.builder().weight(2.5).tokensPerMinute(10)
        .spendCap(3, Duration.ofDays(1)).build();

    assertThat(p.toBuilder().build()).isEqualTo(p).hasSameHashCodeAs(p);
    assertThat(p.toString())
        .isEqualTo("TenantPolicy[weight=2.5, tokensPerMinute=10, spendCap=3.0 per PT24H]");
    assertThat(TenantPolicy.DEFAULT.weight()).isEqualTo(1.0);
    assertThat(TenantPolicy.DEFAULT.tokensPerMinute()).isZero();
    assertThat(TenantPolicy.DEFAULT.spendCap()).isZero();
  }

  @Test
  void scheduler_ofExecutorRunsAndCancels() throws Exception {
    ScheduledExecutorService executor = new ScheduledThreadPoolExecutor(1);
    try {
      Scheduler s = Scheduler.of(executor);
      CountDownLatch ran = new CountDownLatch(1);
      AtomicBoolean cancelledRan = new AtomicBoolean();

      s.schedule(() -> cancelledRan.set(true), TimeUnit.HOURS.toNanos(1)).cancel();
      s.schedule(ran::countDown, 0);

      assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(cancelledRan).isFalse();
      assertThat(executor.shutdownNow()).isEmpty();
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void scheduler_sharedRunsTasks() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);

    Scheduler.shared().schedule(ran::countDown, -5);

    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(Scheduler.shared()).isSameAs(Scheduler.shared());
  }
}
