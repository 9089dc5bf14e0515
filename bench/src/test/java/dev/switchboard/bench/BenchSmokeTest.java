package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import com.squareup.moshi.Types;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
  void redisBenchmark_tinyRunCountsRoundTripsOnARealServer() throws IOException {
    assumeThat(onPath("redis-server")).as("redis-server on the PATH").isTrue();
    RedisBenchmark.Options options = new RedisBenchmark.Options(0.3, List.of(1, 2), "redis-server");

    List<RedisBenchmark.Result> results = RedisBenchmark.run(options, quiet());

    assertThat(results).hasSize(4);
    for (RedisBenchmark.Result r : results) {
      Map<String, Object> line = JSON.fromJson(r.json());
      assertThat((Double) line.get("ops_per_s")).as(r.system()).isPositive();
      assertThat((Double) line.get("round_trips_per_call")).as(r.system()).isGreaterThanOrEqualTo(1.0);
      assertThat((Double) line.get("commands_per_call"))
          .as(r.system()).isGreaterThanOrEqualTo((Double) line.get("round_trips_per_call") - 0.1);
      assertThat(line.get("degraded")).as(r.system()).isEqualTo(false);
    }
  }

  private static boolean onPath(String binary) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(dir -> new File(dir, binary).canExecute());
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }
}
