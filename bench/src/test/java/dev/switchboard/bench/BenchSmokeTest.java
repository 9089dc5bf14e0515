package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import com.squareup.moshi.Types;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every harness once, tiny, and checks that its output is sane. Never asserts timings: the
 * numbers only have to exist and be positive.
 */
class BenchSmokeTest {
  private static final JsonAdapter<Map<String, Object>> JSON = new Moshi.Builder().build()
      .adapter(Types.newParameterizedType(Map.class, String.class, Object.class));

  @Test
  void overheadBenchmark_oneTinyIterationScoresEverySystem() throws RunnerException {
    Options options = new OptionsBuilder()
        .include(OverheadBenchmark.class.getName() + "\\.")
        .param("deployments", "9")
        .param("users", "1")
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(200))
        .threads(1)
        .forks(0)
        .shouldFailOnError(true)
        .build();

    Collection<RunResult> results = new Runner(options).run();

    assertThat(results).extracting(r -> r.getParams().getBenchmark().replaceAll(".*\\.", ""))
        .containsExactlyInAnyOrder("switchboard", "resilience4j", "failsafe", "bucket4j");
    assertThat(results).allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
  }

  @Test
  void goodputMain_tinyRunPrintsAParsableLinePerSystem() throws Exception {
    GoodputMain.Options options = new GoodputMain.Options(1.0, 600, Duration.ofMillis(1_000), GoodputMain.SYSTEMS);

    List<GoodputMain.Result> results = GoodputMain.run(options, quiet());

    assertThat(results).extracting(GoodputMain.Result::system).containsExactlyElementsOf(GoodputMain.SYSTEMS);
    for (GoodputMain.Result r : results) {
      Map<String, Object> line = JSON.fromJson(r.json());
      assertThat(line).containsKeys("system", "goodput_ratio", "rate_limited_per_1000", "p50_ms", "p99_ms",
          "past_deadline");
      assertThat((Double) line.get("goodput_ratio")).as(r.system()).isPositive();
      assertThat((Double) line.get("p99_ms")).as(r.system()).isGreaterThanOrEqualTo((Double) line.get("p50_ms"));
      assertThat((Double) line.get("rate_limited_per_1000")).as(r.system()).isBetween(0.0, 1000.0);
    }
  }

  @Test
  void goodputOptions_badArgumentIsNamed() {
    assertThatThrownBy(() -> GoodputMain.Options.parse("--rpm", "10"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("rpm must be at least 60 but was 10");
    assertThatThrownBy(() -> GoodputMain.Options.parse("--systems", "nope"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was 'nope'");
  }

  @Test
  void redisBenchmark_tinyRunCountsRoundTripsAndGrantsOnARealServer() throws IOException {
    RedisBenchmark.Options options = new RedisBenchmark.Options(0.3, List.of(1, 2), 1.0, 60);

    RedisBenchmark.Report report = RedisBenchmark.run(options, quiet());

    assertThat(report.cells()).hasSize(4);
    for (RedisBenchmark.Result r : report.cells()) {
      Map<String, Object> line = JSON.fromJson(r.json());
      assertThat((Double) line.get("ops_per_s")).as(r.system()).isPositive();
      assertThat((Double) line.get("round_trips_per_call")).as(r.system()).isGreaterThanOrEqualTo(1.0);
      assertThat((Double) line.get("commands_per_call"))
          .as(r.system()).isGreaterThanOrEqualTo((Double) line.get("round_trips_per_call") - 0.1);
      assertThat(line.get("degraded")).as(r.system()).isEqualTo(false);
      assertThat((String) line.get("redis")).as(r.system()).matches("(PATH redis-server|embedded-redis) .+");
    }
    Map<String, Object> over = JSON.fromJson(report.overAdmission().json());
    assertThat(over).containsKeys("grants", "allowed", "over_admitted", "grants_per_router", "refused");
    // the bucket starts full: 60 grants at least, shared by both routers
    assertThat((Double) over.get("grants")).isGreaterThanOrEqualTo(60.0);
    assertThat((List<?>) over.get("grants_per_router")).hasSize(2);
  }

  @Test
  void faultsMain_tinyLocalRunReportsEveryFieldWithinTheDeadline() throws Exception {
    FaultsMain.Options options = new FaultsMain.Options(6.0, 10, 600, Duration.ofMillis(3_000),
        Duration.ofMillis(800), Duration.ofMillis(2_000), Duration.ofSeconds(10), List.of("switchboard-local"));

    List<FaultsMain.Result> results = FaultsMain.run(options, quiet());

    assertThat(results).hasSize(1);
    Map<String, Object> line = JSON.fromJson(results.get(0).json());
    assertThat(line).containsKeys("system", "variant", "offered", "eligible", "succeeded", "success_ratio",
        "failures", "past_deadline", "p50_ms", "p99_ms", "revoked_key_uses_after_revoke",
        "revoked_key_uses_after_first_401", "revoked_key_reports", "in_flight_after", "admission_in_flight_after",
        "budget_pools", "budget_pools_above_limit", "budget_pools_not_refilled", "threads_before",
        "threads_after", "threads_leaked", "answered_529", "stalled_attempts");
    assertThat(line.get("system")).isEqualTo("switchboard-local");
    assertThat((Double) line.get("offered")).isEqualTo(60.0);
    assertThat((Double) line.get("success_ratio")).isBetween(0.0, 1.0);
    assertThat((Double) line.get("past_deadline")).isZero();
    assertThat((Double) line.get("revoked_key_uses_after_revoke")).as("uses of the revoked key after revoking")
        .isEqualTo(1.0);
    assertThat((Double) line.get("revoked_key_uses_after_first_401")).isZero();
    assertThat((Double) line.get("in_flight_after")).isZero();
    assertThat((Double) line.get("admission_in_flight_after")).isZero();
    assertThat((Double) line.get("budget_pools")).isPositive();
  }

  @Test
  void faultsOptions_defaultsAndBadArgumentsAreNamed() {
    assertThat(FaultsMain.Options.parse().systems()).containsExactly("switchboard-local", "tutorial-loop");
    assertThat(FaultsMain.Options.parse("--redis").systems()).containsExactly("switchboard-redis");
    assertThat(FaultsMain.Options.parse("--long").seconds()).isEqualTo(300.0);
    assertThatThrownBy(() -> FaultsMain.Options.parse("--attempt-timeout-ms", "5000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("attemptTimeout must be shorter than the deadline (PT4S) but was PT5S");
    assertThatThrownBy(() -> FaultsMain.Options.parse("--systems", "nope"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("but was 'nope'");
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }
}
