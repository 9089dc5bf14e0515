package dev.switchboard.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import com.squareup.moshi.Types;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import dev.switchboard.testkit.Simulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoTest {
  private static final JsonAdapter<Map<String, Object>> JSON = new Moshi.Builder().build()
      .adapter(Types.newParameterizedType(Map.class, String.class, Object.class));

  @Test
  void help_explainsEveryOption() {
    Output o = run("--help");

    assertThat(o.code).isZero();
    CommandLine cl = Demo.commandLine(new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(new ByteArrayOutputStream()));
    List<CommandLine.Model.OptionSpec> options = cl.getCommandSpec().options();
    assertThat(options).hasSizeGreaterThanOrEqualTo(12);
    for (CommandLine.Model.OptionSpec option : options) {
      assertThat(o.out).contains(option.longestName());
      assertThat(String.join(" ", option.description())).as(option.longestName()).isNotBlank();
    }
    assertThat(o.out).contains("--calls", "--duration", "--quick", "--redis", "--keys-file",
        "--stream-share", "SUMMARY {json}");
  }

  @Test
  void run_quick_meetsTheBarAndBeatsTheNaiveLoop() throws IOException {
    Output o = run("--calls", "300", "--quick", "--simulate", "--progress", "lines", "--seed", "7");

    assertThat(o.code).as(o.err).isZero();
    Map<String, Object> s = summary(o.out);
    assertThat(s).containsKeys("requests", "succeeded", "failed", "past_deadline",
        "rate_limited_attempts", "fallbacks", "cache_hits", "keys_disabled", "p50_ms", "p95_ms",
        "p99_ms", "baseline");
    assertThat(num(s, "requests")).isEqualTo(300);
    assertThat(num(s, "past_deadline")).isZero();
    assertThat(num(s, "keys_disabled")).isGreaterThanOrEqualTo(1);
    assertThat(num(s, "fallbacks")).isPositive();
    assertThat(num(s, "cache_hits")).isPositive();
    assertThat(num(s, "succeeded"))
        .isGreaterThanOrEqualTo(0.99 * (num(s, "requests") - num(s, "no_healthy_route")));
    assertThat(num(s, "p50_ms")).isPositive().isLessThanOrEqualTo(num(s, "p99_ms"));
    // a quarter of the calls streamed through router.stream, with continuation on
    assertThat(s.get("streaming")).isEqualTo(true);
    assertThat(s.get("continue_interrupted")).isEqualTo(true);
    assertThat(num(s, "streamed")).isBetween(40.0, 110.0);
    assertThat(num(s, "stream_events")).isGreaterThan(5 * num(s, "streamed"));
    assertThat(num(s, "ttft_p50_ms")).isPositive().isLessThanOrEqualTo(num(s, "ttft_p95_ms"));
    assertThat(num(s, "stream_continued")).isGreaterThanOrEqualTo(1);

    @SuppressWarnings("unchecked")
    Map<String, Object> b = (Map<String, Object>) s.get("baseline");
    assertThat(num(b, "requests")).isEqualTo(300);
    assertThat(num(b, "succeeded")).isLessThan(num(s, "succeeded") - 10);
    assertThat(num(b, "past_deadline")).isPositive();
    assertThat(num(b, "p99_ms")).isGreaterThan(num(s, "p99_ms"));
    assertThat(num(b, "keys_disabled")).isZero();
    assertThat(num(b, "cache_hits")).isZero();
    assertThat(num(b, "attempts")).isGreaterThan(num(s, "attempts"));
    assertThat(num(b, "streamed")).isEqualTo(num(s, "streamed"));
    assertThat(num(b, "stream_continued")).isZero();
    assertThat(num(b, "ttft_p50_ms")).isPositive();
    assertThat(num(b, "stream_interrupted")).isPositive();
    assertThat(o.err).contains("mid-stream faults begin");
    assertThat(o.out).contains("continueInterruptedStreams is on",
        "streams continued on another route", "time to first token p95 ms");
    assertThat(o.err).contains("key north-2 is revoked", "KEY DISABLED north-2");
    assertThat(o.out).contains("Switchboard, per key / model:", "north-1 / claude-opus-4-6");
  }

  @Test
  void run_withBadCalls_failsNamingTheOptionAndValue() {
    Output o = run("--calls", "0");

    assertThat(o.code).isEqualTo(2);
    assertThat(o.err).contains("--calls must be >= 1 but was 0");
  }

  @Test
  void run_withStreamShareOutOfRange_failsNamingTheOptionAndValue() {
    Output o = run("--stream-share", "101");

    assertThat(o.code).isEqualTo(2);
    assertThat(o.err).contains("--stream-share must be between 0 and 100 but was 101");
  }

  @Test
  void run_withoutStreams_saysSoInTheSummary() throws IOException {
    Output o = run("--quick", "--simulate", "--calls", "40", "--duration", "2", "--stream-share",
        "0", "--no-baseline", "--progress", "none");

    assertThat(o.code).as(o.err).isZero();
    Map<String, Object> s = summary(o.out);
    assertThat(s.get("streaming")).isEqualTo(false);
    assertThat(num(s, "streamed")).isZero();
    assertThat(num(s, "ttft_p50_ms")).isZero();
    assertThat(o.out).contains("streaming: off (--stream-share 0)");
  }

  @Test
  void run_withUnknownStrategy_failsListingTheKnownOnes() {
    Output o = run("--strategy", "fastest");

    assertThat(o.code).isEqualTo(2);
    assertThat(o.err).contains("--strategy must be one of [", "headroom", "but was fastest");
  }

  @Test
  void run_redis_twoRoutersShareTheDisabledKey() throws IOException {
    Output o = run("--redis", "--quick", "--simulate", "--calls", "120", "--no-baseline",
        "--progress", "none");

    assertThat(o.code).as(o.err).isZero();
    Map<String, Object> s = summary(o.out);
    assertThat(s.get("mode")).isEqualTo("simulator+redis");
    assertThat(s).doesNotContainKey("baseline");
    assertThat(num(s, "past_deadline")).isZero();
    assertThat(num(s, "keys_disabled")).isGreaterThanOrEqualTo(1);
    assertThat(num(s, "succeeded")).isGreaterThanOrEqualTo(0.99 * num(s, "requests"));
    assertThat(num(s, "streamed")).isPositive();
    for (String router : List.of("router-a", "router-b")) {
      assertThat(o.out.lines().filter(l -> l.startsWith("  " + router + " sees disabled: ")))
          .as(router).singleElement().asString().contains("key:north-2");
    }
  }

  @Test
  void run_keysFile_sendsTheSmallRealWorkloadToTheBaseUrl(@TempDir Path dir) throws IOException {
    try (Simulator sim = Simulator.withDefaults()) {
      Path keys = dir.resolve("keys.txt");
      Files.writeString(keys, "# alias organization secret\n"
          + "team-a org-1 " + Simulator.Builder.PRESET_KEYS.get("team-a") + "\n\n"
          + "team-c org-2 " + Simulator.Builder.PRESET_KEYS.get("team-c") + "\n");

      Output o = run("--keys-file", keys.toString(), "--base-url", sim.baseUrl().toString(),
          "--calls", "6", "--duration", "1", "--progress", "none");

      assertThat(o.code).as(o.err).isZero();
      Map<String, Object> s = summary(o.out);
      assertThat(s.get("mode")).isEqualTo("real-api");
      assertThat(num(s, "succeeded")).isEqualTo(6);
      assertThat(s).containsKeys("streamed", "ttft_p50_ms");
      @SuppressWarnings("unchecked")
      Map<String, Object> b = (Map<String, Object>) s.get("baseline");
      assertThat(num(b, "succeeded")).isEqualTo(6);
      assertThat(sim.calls()).hasSize(12).allSatisfy(c -> assertThat(c.model())
          .isEqualTo("claude-sonnet-4-6"));
      assertThat(o.out + o.err).doesNotContain(Simulator.Builder.PRESET_KEYS.get("team-a"));
    }
  }

  @Test
  void run_keysFileWithABadLine_failsNamingTheLine(@TempDir Path dir) throws IOException {
    Path keys = dir.resolve("keys.txt");
    Files.writeString(keys, "team-a sk-ant-only-two-fields\n");

    Output o = run("--keys-file", keys.toString());

    assertThat(o.code).isEqualTo(2);
    assertThat(o.err).contains("line 1 must be 'alias organization secret' but has 2 field(s)")
        .doesNotContain("sk-ant-only-two-fields");
  }

  private static Output run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Demo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Output(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  /** Parses the last line, which must be {@code SUMMARY {json}}. */
  private static Map<String, Object> summary(String out) throws IOException {
    String[] lines = out.strip().split("\n");
    String last = lines[lines.length - 1];
    assertThat(last).startsWith("SUMMARY {");
    return JSON.fromJson(last.substring("SUMMARY ".length()));
  }

  private static double num(Map<String, Object> m, String field) {
    Object v = m.get(field);
    assertThat(v).as(field).isInstanceOf(Number.class);
    return ((Number) v).doubleValue();
  }

  private record Output(int code, String out, String err) {}
}
