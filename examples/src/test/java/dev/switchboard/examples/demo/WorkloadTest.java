package dev.switchboard.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

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
    Workload a = Workload.generate(7, 200, 12, Duration.ofSeconds(5), MODEL, DEADLINES, 0);
    Workload b = Workload.generate(7, 200, 12, Duration.ofSeconds(5), MODEL, DEADLINES, 0);

    assertThat(a.calls()).isEqualTo(b.calls());
  }

  @Test
  void generate_spreadsCallsOverTheWindowInArrivalOrder() {
    Workload w = Workload.generate(1, 500, 36, Duration.ofSeconds(5), MODEL, DEADLINES, 0);

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
    Workload w = Workload.generate(3, 1_000, 36, Duration.ofSeconds(5), "m", DEADLINES, 0);

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
    Workload w = Workload.generate(3, 100, 36, Duration.ofSeconds(5), "m", DEADLINES, 64);

    assertThat(w.calls())
        .allSatisfy(c -> assertThat(c.request().maxTokens()).isLessThanOrEqualTo(64));
  }
}
