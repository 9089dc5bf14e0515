package dev.switchboard.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadTest {
  private static final String MODEL = "claude-opus-4-6";
  private static final Workload.Deadlines DEADLINES = new Workload.Deadlines(Duration.ofSeconds(6),
      Duration.ofSeconds(8), Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(3),
      Duration.ofSeconds(4));

  @Test
  void generate_sameSeed_sameCalls() {
    Workload a = Workload.generate(7, 200, 12, Duration.ofSeconds(5), MODEL, DEADLINES, 0, 0.25);
    Workload b = Workload.generate(7, 200, 12, Duration.ofSeconds(5), MODEL, DEADLINES, 0, 0.25);

    assertThat(a.calls()).isEqualTo(b.calls());
  }

  @Test
  void generate_spreadsCallsOverTheWindowInArrivalOrder() {
    Workload w = Workload.generate(1, 500, 36, Duration.ofSeconds(5), MODEL, DEADLINES, 0, 0.25);

    List<Workload.CallSpec> calls = w.calls();
    assertThat(calls).hasSize(500);
    assertThat(calls).isSortedAccordingTo(
        java.util.Comparator.comparingLong(Workload.CallSpec::arrivalNanos));
    assertThat(calls.get(calls.size() - 1).arrivalNanos())
        .isLessThan(Duration.ofSeconds(5).toNanos()).isGreaterThan(Duration.ofSeconds(4).toNanos());
    assertThat(calls.stream().map(Workload.CallSpec::tenant).distinct()).hasSize(36);
    assertThat(calls).extracting(Workload.CallSpec::index).doesNotHaveDuplicates();
  }

  @Test
  void generate_mixesServiceClassesAndRepeatsOnlyCacheableQuestions() {
    Workload w = Workload.generate(3, 1_000, 36, Duration.ofSeconds(5), "m", DEADLINES, 0, 0.25);

    assertThat(w.calls()).extracting(Workload.CallSpec::serviceClass)
        .contains(Workload.ServiceClass.INTERACTIVE, Workload.ServiceClass.STANDARD,
            Workload.ServiceClass.BATCH);
    assertThat(w.repeats()).isPositive();
    assertThat(w.calls()).filteredOn(Workload.CallSpec::repeat)
        .allSatisfy(c -> assertThat(c.cacheable()).isTrue());
    assertThat(w.calls()).filteredOn(Workload.CallSpec::cacheable)
        .allSatisfy(c -> assertThat(c.request().temperature()).hasValue(0.0));
    assertThat(w.calls()).filteredOn(c -> c.serviceClass() == Workload.ServiceClass.INTERACTIVE)
        .allSatisfy(c -> assertThat(c.deadline()).isEqualTo(Duration.ofSeconds(6)));
    assertThat(w.longestDeadline()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void generate_withMaxTokensCap_lowersEveryCall() {
    Workload w = Workload.generate(3, 100, 36, Duration.ofSeconds(5), "m", DEADLINES, 64, 0.25);

    assertThat(w.calls())
        .allSatisfy(c -> assertThat(c.request().maxTokens()).isLessThanOrEqualTo(64));
  }

  @Test
  void generate_streamsAboutTheShareAndTheShareChangesNothingElse() {
    Workload none = Workload.generate(5, 2_000, 36, Duration.ofSeconds(5), MODEL, DEADLINES, 0, 0);
    Workload quarter =
        Workload.generate(5, 2_000, 36, Duration.ofSeconds(5), MODEL, DEADLINES, 0, 0.25);
    Workload all = Workload.generate(5, 2_000, 36, Duration.ofSeconds(5), MODEL, DEADLINES, 0, 1);

    assertThat(none.streamed()).isZero();
    assertThat(all.streamed()).isEqualTo(2_000);
    assertThat(quarter.streamed()).isBetween(400L, 600L);
    assertThat(quarter.calls()).extracting(Workload.CallSpec::request)
        .isEqualTo(none.calls().stream().map(Workload.CallSpec::request).toList());
    assertThat(quarter.calls()).extracting(Workload.CallSpec::arrivalNanos)
        .isEqualTo(none.calls().stream().map(Workload.CallSpec::arrivalNanos).toList());
  }

  @Test
  void generate_withAShareOutsideZeroToOne_failsNamingTheValue() {
    assertThatThrownBy(() -> Workload.generate(5, 10, 4, Duration.ofSeconds(1), MODEL, DEADLINES,
        0, 1.5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("streamShare must be within [0, 1] but was 1.5");
  }
}
