package dev.switchboard.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.switchboard.spi.Outcome;
import dev.switchboard.spi.RouterEvent;
import dev.switchboard.testkit.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SlaStatsTest {
  private static final String OPUS = "claude-opus-4-6";
  private static final String SONNET = "claude-sonnet-4-6";
  private static final long MS = 1_000_000L;

  private final FakeTicker ticker = new FakeTicker();
  private final SlaStats stats = SlaStats.builder().ticker(ticker).build();

  private static RouterEvent.CallFinished call(String model, String key, boolean success,
      long latencyNanos) {
    return new RouterEvent.CallFinished(1, "u", model, key, success,
        success ? Outcome.SUCCESS : Outcome.SERVER_ERROR, 1, latencyNanos, false, false, false);
  }

  private static RouterEvent.AttemptFinished attempt(String key, String model, Outcome outcome,
      int status, long latencyNanos) {
    return new RouterEvent.AttemptFinished(1, 1, key, model, outcome, status, latencyNanos, "r");
  }

  @Test
  void snapshot_countsAvailabilityAndErrorRate() {
    for (int i = 0; i < 8; i++) {
      stats.onEvent(call(OPUS, "k1", true, 10 * MS));
    }
    stats.onEvent(call(OPUS, "k1", false, 10 * MS));
    stats.onEvent(call(OPUS, "k1", false, 10 * MS));

    SlaSnapshot.Scope overall = stats.snapshot().overall();
    assertThat(overall.counts()).isEqualTo(new SlaSnapshot.Counts(10, 8, 2, 0, 0, 0, 0, 0, 0));
    assertThat(overall.availability()).isEqualTo(0.8);
    assertThat(overall.errorRate()).isCloseTo(0.2, within(1e-12));
    assertThat(overall.lifetime()).isEqualTo(overall.counts());
  }

  @Test
  void snapshot_noCalls_isFullyAvailableWithNoErrorsAndNoLatency() {
    SlaSnapshot snapshot = stats.snapshot();

    assertThat(snapshot.overall()).isEqualTo(SlaSnapshot.Scope.EMPTY);
    assertThat(snapshot.overall().availability()).isEqualTo(1.0);
    assertThat(snapshot.overall().errorRate()).isZero();
    assertThat(snapshot.byModel()).isEmpty();
    assertThat(snapshot.byRoute()).isEmpty();
    assertThat(snapshot.window()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void latency_uniformDistribution_percentilesWithinHdrPrecision() {
    for (int ms = 1; ms <= 10_000; ms++) {
      stats.onEvent(call(OPUS, "k1", true, ms * MS));
    }

    SlaSnapshot.Latency latency = stats.snapshot().overall().latency();
    assertThat(latency.count()).isEqualTo(10_000);
    assertThat(latency.p50Nanos()).isCloseTo(5_000 * MS, withinPercentage(0.1));
    assertThat(latency.p95Nanos()).isCloseTo(9_500 * MS, withinPercentage(0.1));
    assertThat(latency.p99Nanos()).isCloseTo(9_900 * MS, withinPercentage(0.1));
    assertThat(latency.maxNanos()).isEqualTo(10_000 * MS);
    assertThat(latency.p99()).isEqualTo(Duration.ofNanos(latency.p99Nanos()));
  }

  @Test
  void latency_bimodalDistribution_tailShowsOnlyAtP99() {
    for (int i = 0; i < 980; i++) {
      stats.onEvent(call(SONNET, "k1", true, 10 * MS + i * 1_000L));
    }
    for (int i = 0; i < 20; i++) {
      stats.onEvent(call(SONNET, "k1", true, 2_000 * MS));
    }

    SlaSnapshot.Latency latency = stats.snapshot().model(SONNET).latency();
    assertThat(latency.p50Nanos()).isCloseTo(10 * MS + 499_000L, withinPercentage(0.1));
    assertThat(latency.p95Nanos()).isCloseTo(10 * MS + 949_000L, withinPercentage(0.1));
    assertThat(latency.p99Nanos()).isEqualTo(2_000 * MS);
    assertThat(latency.maxNanos()).isEqualTo(2_000 * MS);
  }

  @Test
  void latency_microsecondValues_keepMicrosecondResolution() {
    stats.onEvent(call(OPUS, "k1", true, 1_000L));
    stats.onEvent(call(OPUS, "k1", true, 2_000L));
    stats.onEvent(call(OPUS, "k1", true, 3_000L));

    SlaSnapshot.Latency latency = stats.snapshot().overall().latency();
    assertThat(latency).isEqualTo(new SlaSnapshot.Latency(3, 2_000L, 3_000L, 3_000L, 3_000L));
  }

  @Test
  void latency_countsOnlySuccessfulCalls() {
    stats.onEvent(call(OPUS, "k1", true, 100 * MS));
    stats.onEvent(call(OPUS, "k1", false, 9_000 * MS));

    SlaSnapshot.Latency latency = stats.snapshot().overall().latency();
    assertThat(latency.count()).isEqualTo(1);
    assertThat(latency.maxNanos()).isEqualTo(100 * MS);
  }

  @Test
  void latency_negativeOrAbsurdValues_areClampedToZeroAndTenMinutes() {
    stats.onEvent(call(OPUS, "k1", true, -5));
    stats.onEvent(call(OPUS, "k1", true, Duration.ofHours(3).toNanos()));

    SlaSnapshot.Latency latency = stats.snapshot().overall().latency();
    assertThat(latency.count()).isEqualTo(2);
    assertThat(latency.p50Nanos()).isZero();
    assertThat(latency.maxNanos()).isEqualTo(Duration.ofMinutes(10).toNanos());
  }

  @Test
  void window_dropsASampleExactlyWhenTheWindowHasPassed() {
    stats.onEvent(call(OPUS, "k1", true, 42 * MS));

    ticker.advance(Duration.ofSeconds(60).minusNanos(1));
    SlaSnapshot.Scope before = stats.snapshot().overall();
    assertThat(before.counts().calls()).isEqualTo(1);
    assertThat(before.latency().count()).isEqualTo(1);

    ticker.advance(Duration.ofNanos(1));
    SlaSnapshot.Scope after = stats.snapshot().overall();
    assertThat(after.counts()).isEqualTo(SlaSnapshot.Counts.ZERO);
    assertThat(after.latency()).isEqualTo(SlaSnapshot.Latency.EMPTY);
    assertThat(after.lifetime().calls()).isEqualTo(1);
    assertThat(after.availability()).isEqualTo(1.0);
  }

  @Test
  void window_sampleLateInASubWindow_leavesWithThatSubWindow() {
    ticker.advance(Duration.ofSeconds(10).minusMillis(1));
    stats.onEvent(call(OPUS, "k1", false, 0));

    ticker.advance(Duration.ofSeconds(50));
    assertThat(stats.snapshot().overall().counts().failures()).isEqualTo(1);
    ticker.advance(Duration.ofMillis(1));
    assertThat(stats.snapshot().overall().counts().failures()).isZero();
  }

  @Test
  void window_slides_keepingExactlyTheLastSixSubWindows() {
    for (int second = 0; second < 120; second += 10) {
      stats.onEvent(call(OPUS, "k1", true, (second + 1) * MS));
      SlaSnapshot.Scope scope = stats.snapshot().overall();
      long expected = Math.min(second / 10 + 1, 6);
      assertThat(scope.counts().calls()).as("at %d s", second).isEqualTo(expected);
      assertThat(scope.latency().count()).as("at %d s", second).isEqualTo(expected);
      ticker.advance(Duration.ofSeconds(10));
    }
    assertThat(stats.snapshot().overall().lifetime().calls()).isEqualTo(12);
  }

  @Test
  void window_oldSlowSamplesLeave_percentilesRecover() {
    for (int i = 0; i < 100; i++) {
      stats.onEvent(call(OPUS, "k1", true, 5_000 * MS));
    }
    ticker.advance(Duration.ofSeconds(30));
    for (int i = 0; i < 100; i++) {
      stats.onEvent(call(OPUS, "k1", true, 20 * MS));
    }
    assertThat(stats.snapshot().overall().latency().p99Nanos())
        .isCloseTo(5_000 * MS, withinPercentage(0.1));

    ticker.advance(Duration.ofSeconds(30));
    SlaSnapshot.Latency latency = stats.snapshot().overall().latency();
    assertThat(latency.count()).isEqualTo(100);
    assertThat(latency.p99Nanos()).isEqualTo(20 * MS);
    assertThat(latency.maxNanos()).isEqualTo(20 * MS);
  }

  @Test
  void window_quietForLongerThanTheRing_reusesSlotsCleanly() {
    stats.onEvent(call(OPUS, "k1", true, 1 * MS));
    ticker.advance(Duration.ofMinutes(7));
    stats.onEvent(call(OPUS, "k1", false, 0));

    SlaSnapshot.Scope scope = stats.snapshot().overall();
    assertThat(scope.counts().calls()).isEqualTo(1);
    assertThat(scope.counts().failures()).isEqualTo(1);
    assertThat(scope.latency().count()).isZero();
    assertThat(scope.lifetime().calls()).isEqualTo(2);
  }

  @Test
  void attemptFinished_countsAttemptsFailuresAnd429sPerRouteModelAndOverall() {
    stats.onEvent(attempt("k1", OPUS, Outcome.RATE_LIMITED, 429, 5 * MS));
    stats.onEvent(attempt("k1", OPUS, Outcome.ORGANIZATION_FAULT, 429, 5 * MS));
    stats.onEvent(attempt("k2", OPUS, Outcome.SERVER_ERROR, 529, 5 * MS));
    stats.onEvent(attempt("k2", OPUS, Outcome.SUCCESS, 200, 700 * MS));
    stats.onEvent(attempt("k2", SONNET, Outcome.NETWORK, 0, 30_000 * MS));

    SlaSnapshot snapshot = stats.snapshot();
    assertThat(snapshot.overall().counts())
        .isEqualTo(new SlaSnapshot.Counts(0, 0, 0, 0, 0, 0, 5, 4, 2));
    assertThat(snapshot.model(OPUS).counts())
        .isEqualTo(new SlaSnapshot.Counts(0, 0, 0, 0, 0, 0, 4, 3, 2));
    assertThat(snapshot.route("k1", OPUS).counts())
        .isEqualTo(new SlaSnapshot.Counts(0, 0, 0, 0, 0, 0, 2, 2, 2));
    assertThat(snapshot.route("k2", OPUS).counts())
        .isEqualTo(new SlaSnapshot.Counts(0, 0, 0, 0, 0, 0, 2, 1, 0));
    assertThat(snapshot.route("k2", SONNET).counts().attemptFailures()).isEqualTo(1);
    assertThat(snapshot.route("k2", OPUS).latency())
        .isEqualTo(new SlaSnapshot.Latency(1, 700 * MS, 700 * MS, 700 * MS, 700 * MS));
    assertThat(snapshot.route("k1", OPUS).latency()).isEqualTo(SlaSnapshot.Latency.EMPTY);
    assertThat(snapshot.overall().latency()).isEqualTo(SlaSnapshot.Latency.EMPTY);
  }

  @Test
  void callFinished_splitsByModelAndLastRoute() {
    stats.onEvent(call(OPUS, "k1", true, 100 * MS));
    stats.onEvent(call(OPUS, "k2", false, 200 * MS));
    stats.onEvent(new RouterEvent.CallFinished(2, "u", SONNET, "k1", true, Outcome.SUCCESS, 3,
        900 * MS, true, false, true));

    SlaSnapshot snapshot = stats.snapshot();
    assertThat(snapshot.byModel()).containsOnlyKeys(OPUS, SONNET);
    assertThat(snapshot.byRoute()).containsOnlyKeys("k1/" + OPUS, "k2/" + OPUS, "k1/" + SONNET);
    assertThat(snapshot.model(OPUS).counts())
        .isEqualTo(new SlaSnapshot.Counts(2, 1, 1, 0, 0, 0, 0, 0, 0));
    assertThat(snapshot.model(SONNET).counts())
        .isEqualTo(new SlaSnapshot.Counts(1, 1, 0, 0, 1, 1, 0, 0, 0));
    assertThat(snapshot.route("k2", OPUS).availability()).isZero();
    assertThat(snapshot.route("k1", SONNET).counts().fallbacks()).isEqualTo(1);
    assertThat(snapshot.overall().counts())
        .isEqualTo(new SlaSnapshot.Counts(3, 2, 1, 0, 1, 1, 0, 0, 0));
    assertThat(snapshot.model(SONNET).latency().maxNanos()).isEqualTo(900 * MS);
    assertThat(snapshot.route("k1", SONNET).latency()).isEqualTo(SlaSnapshot.Latency.EMPTY);
  }

  @Test
  void callFinished_cacheHit_countsOverallAndPerModelButUnderNoRoute() {
    stats.onEvent(new RouterEvent.CallFinished(3, "u", OPUS, "k1", true, Outcome.SUCCESS, 0,
        2 * MS, false, true, false));

    SlaSnapshot snapshot = stats.snapshot();
    assertThat(snapshot.overall().counts().cacheHits()).isEqualTo(1);
    assertThat(snapshot.model(OPUS).counts().cacheHits()).isEqualTo(1);
    assertThat(snapshot.model(OPUS).latency().count()).isEqualTo(1);
    assertThat(snapshot.byRoute()).isEmpty();
  }

  @Test
  void events_withoutModelOrKey_countOverallOnly() {
    stats.onEvent(new RouterEvent.CallFinished(4, null, null, null, false, null, 0, 0, false,
        false, false));
    stats.onEvent(new RouterEvent.CallFinished(5, "u", OPUS, null, false, Outcome.NETWORK, 0, 0,
        false, false, false));
    stats.onEvent(attempt(null, null, null, 0, 1));

    SlaSnapshot snapshot = stats.snapshot();
    assertThat(snapshot.overall().counts())
        .isEqualTo(new SlaSnapshot.Counts(2, 0, 2, 0, 0, 0, 1, 1, 0));
    assertThat(snapshot.byModel()).containsOnlyKeys(OPUS);
    assertThat(snapshot.byRoute()).isEmpty();
    assertThat(snapshot.route("nope", OPUS)).isEqualTo(SlaSnapshot.Scope.EMPTY);
    assertThat(snapshot.model("nope")).isEqualTo(SlaSnapshot.Scope.EMPTY);
  }

  @Test
  void otherEvents_areIgnored() {
    stats.onEvent(new RouterEvent.AttemptStarted(1, 1, "k1", "org", OPUS, "u"));
    stats.onEvent(new RouterEvent.FellBack(1, OPUS, SONNET, "r"));
    stats.onEvent(new RouterEvent.KeyEnabled("k1"));

    assertThat(stats.snapshot().overall()).isEqualTo(SlaSnapshot.Scope.EMPTY);
  }

  @Test
  void snapshot_isImmutableAndUnaffectedByLaterEvents() {
    stats.onEvent(call(OPUS, "k1", true, 10 * MS));
    SlaSnapshot first = stats.snapshot();

    stats.onEvent(call(SONNET, "k2", false, 10 * MS));
    stats.onEvent(call(OPUS, "k1", true, 10 * MS));

    assertThat(first.overall().counts().calls()).isEqualTo(1);
    assertThat(first.byModel()).containsOnlyKeys(OPUS);
    assertThat(first.model(OPUS).latency().count()).isEqualTo(1);
    assertThatThrownBy(() -> first.byModel().put(SONNET, SlaSnapshot.Scope.EMPTY))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> first.byRoute().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(stats.snapshot().overall().counts().calls()).isEqualTo(3);
  }

  @Test
  void snapshot_readTwice_givesTheSameLatency() {
    for (int i = 1; i <= 100; i++) {
      stats.onEvent(call(OPUS, "k1", true, i * MS));
    }

    assertThat(stats.snapshot()).isEqualTo(stats.snapshot());
  }

  @Test
  void concurrentRecording_totalsAreExact() throws Exception {
    int threads = 8;
    int perThread = 10_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads + 2);
    CountDownLatch start = new CountDownLatch(1);
    AtomicBoolean done = new AtomicBoolean();
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String key = "k" + (t % 4);
        String model = t % 2 == 0 ? OPUS : SONNET;
        writers.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            stats.onEvent(attempt(key, model, i % 10 == 0 ? Outcome.RATE_LIMITED : Outcome.SUCCESS,
                i % 10 == 0 ? 429 : 200, (i % 1000 + 1) * MS));
            stats.onEvent(call(model, key, i % 4 != 0, (i % 1000 + 1) * MS));
          }
          return null;
        }));
      }
      // time moves (rotating sub-windows under the writers) but never past the window
      Future<?> clock = pool.submit(() -> {
        start.await();
        for (int s = 0; s < 50 && !done.get(); s++) {
          ticker.advance(Duration.ofSeconds(1));
          Thread.yield();
        }
        return null;
      });
      Future<?> reader = pool.submit(() -> {
        start.await();
        while (!done.get()) {
          stats.snapshot();
        }
        return null;
      });
      start.countDown();
      for (Future<?> w : writers) {
        w.get(60, TimeUnit.SECONDS);
      }
      done.set(true);
      clock.get(60, TimeUnit.SECONDS);
      reader.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    long total = (long) threads * perThread;
    SlaSnapshot snapshot = stats.snapshot();
    SlaSnapshot.Counts expected = new SlaSnapshot.Counts(total, total * 3 / 4, total / 4, 0, 0, 0,
        total, total / 10, total / 10);
    assertThat(snapshot.overall().counts()).isEqualTo(expected);
    assertThat(snapshot.overall().lifetime()).isEqualTo(expected);
    assertThat(snapshot.overall().latency().count()).isEqualTo(total * 3 / 4);
    assertThat(snapshot.byRoute()).hasSize(4);
    assertThat(snapshot.byRoute().values().stream().mapToLong(s -> s.counts().attempts()).sum())
        .isEqualTo(total);
    assertThat(snapshot.byRoute().values().stream().mapToLong(s -> s.latency().count()).sum())
        .isEqualTo(total * 9 / 10);
    assertThat(snapshot.model(OPUS).counts().calls()).isEqualTo(total / 2);
  }

  @Test
  void builder_customWindow_slidesAtItsSubWindows() {
    SlaStats short10s = SlaStats.builder().ticker(ticker).window(Duration.ofSeconds(10))
        .subWindows(2).build();
    short10s.onEvent(call(OPUS, "k1", true, MS));
    ticker.advance(Duration.ofSeconds(5));
    short10s.onEvent(call(OPUS, "k1", true, MS));

    ticker.advance(Duration.ofSeconds(5));
    assertThat(short10s.snapshot().overall().counts().calls()).isEqualTo(1);
    ticker.advance(Duration.ofSeconds(5));
    assertThat(short10s.snapshot().overall().counts().calls()).isZero();
    assertThat(short10s.snapshot().window()).isEqualTo(Duration.ofSeconds(10));
    assertThat(short10s).hasToString("SlaStats[window=PT10S, subWindows=2, models=1, routes=1]");
  }

  @Test
  void builder_windowOutOfRange_failsNamingTheValue() {
    assertThatThrownBy(() -> SlaStats.builder().window(Duration.ofNanos(999_999)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window must be in [PT0.001S, PT24H] but was PT0.000999999S");
    assertThatThrownBy(() -> SlaStats.builder().window(Duration.ofDays(2)))
        .hasMessage("window must be in [PT0.001S, PT24H] but was PT48H");
  }

  @Test
  void builder_subWindowsOutOfRange_failsNamingTheValue() {
    assertThatThrownBy(() -> SlaStats.builder().subWindows(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("subWindows must be in [1, 600] but was 0");
  }

  @Test
  void build_windowNotDivisibleIntoSubWindows_failsNamingBoth() {
    SlaStats.Builder builder = SlaStats.builder().window(Duration.ofNanos(1_000_001)).subWindows(2);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window must divide into 2 equal sub-windows of whole nanoseconds"
            + " but was PT0.001000001S");
  }

  @Test
  void builder_nullTicker_failsNamingTheField() {
    assertThatThrownBy(() -> SlaStats.builder().ticker(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ticker");
  }
}
