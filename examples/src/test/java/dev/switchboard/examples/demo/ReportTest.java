package dev.switchboard.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

  @Test
  void summaryLine_writesNestedJsonWithEscapes() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("requests", 3L);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("mode", "sim \"quoted\"\n");
    fields.put("streaming", false);
    fields.put("p50_ms", 12.5);
    fields.put("baseline", nested);

    assertThat(Report.summaryLine(fields)).isEqualTo(
        "SUMMARY {\"mode\":\"sim \\\"quoted\\\"\\n\",\"streaming\":false,\"p50_ms\":12.5,"
            + "\"baseline\":{\"requests\":3}}");
  }

  @Test
  void fields_countPastDeadlineOnlyBeyondTheTolerance() {
    Tally t = new Tally("t");
    long deadline = Duration.ofSeconds(1).toNanos();
    t.requests.add(3);
    t.callEnded(deadline + Tally.DEADLINE_TOLERANCE_NANOS, deadline, null, false);
    t.callEnded(deadline + Tally.DEADLINE_TOLERANCE_NANOS + 1, deadline, "DeadlineExceeded", false);
    t.callEnded(Duration.ofMillis(10).toNanos(), deadline, null, true);

    Map<String, Object> f = Report.fields(t);

    assertThat(f).containsEntry("requests", 3L).containsEntry("succeeded", 2L)
        .containsEntry("failed", 1L).containsEntry("past_deadline", 1L)
        .containsEntry("cache_hits", 1L).containsEntry("success_rate", 0.6667);
    assertThat(t.failures()).containsExactly(Map.entry("DeadlineExceeded", 1L));
    assertThat((double) f.get("p50_ms")).isEqualTo(10.0);
  }
}
