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

  @Test
  void fields_countStreamsAndTheirTimeToFirstToken() {
    Tally t = new Tally("t");
    t.streamed.add(3);
    t.streamEnded(new Driver.Streamed(Duration.ofMillis(1).toNanos(), 9, false, true));
    t.streamEnded(new Driver.Streamed(Duration.ofMillis(2).toNanos(), 4, true, false));
    t.streamEnded(new Driver.Streamed(Driver.Streamed.NO_TOKEN, 0, false, false));

    Map<String, Object> f = Report.fields(t);

    assertThat(f).containsEntry("streamed", 3L).containsEntry("stream_interrupted", 1L)
        .containsEntry("stream_continued", 1L).containsEntry("stream_events", 13L)
        .containsEntry("ttft_p50_ms", 1.0).containsEntry("ttft_p95_ms", 2.0);
  }

  @Test
  void fields_withoutStreams_reportZeroTimeToFirstToken() {
    Map<String, Object> f = Report.fields(new Tally("t"));

    assertThat(f).containsEntry("streamed", 0L).containsEntry("ttft_p50_ms", 0.0);
  }
}
