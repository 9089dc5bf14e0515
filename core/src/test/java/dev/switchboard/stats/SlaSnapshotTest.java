package dev.switchboard.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlaSnapshotTest {

  @Test
  void new_copiesMapsSortedAndUnmodifiable() {
    Map<String, SlaSnapshot.Scope> models = new HashMap<>();
    models.put("b", SlaSnapshot.Scope.EMPTY);
    models.put("a", SlaSnapshot.Scope.EMPTY);

    SlaSnapshot snapshot = new SlaSnapshot(Duration.ofSeconds(1), SlaSnapshot.Scope.EMPTY, models,
        Map.of());
    models.put("c", SlaSnapshot.Scope.EMPTY);

    assertThat(snapshot.byModel().keySet()).containsExactly("a", "b");
    assertThatThrownBy(() -> snapshot.byModel().remove("a"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void new_nonPositiveWindow_failsNamingTheValue() {
    assertThatThrownBy(() -> new SlaSnapshot(Duration.ZERO, SlaSnapshot.Scope.EMPTY, Map.of(),
        Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("window must be positive but was PT0S");
  }

  @Test
  void counts_negative_failsNamingTheField() {
    assertThatThrownBy(() -> new SlaSnapshot.Counts(1, 1, 0, 0, 0, 0, 0, 0, -3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rateLimited must be >= 0 but was -3");
  }

  @Test
  void latency_unorderedPercentiles_failsNamingTheValues() {
    assertThatThrownBy(() -> new SlaSnapshot.Latency(3, 5, 4, 6, 7))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("percentiles must be ordered p50 <= p95 <= p99 <= max but were 5, 4, 6, 7");
  }

  @Test
  void counts_ratios() {
    SlaSnapshot.Counts counts = new SlaSnapshot.Counts(4, 3, 1, 0, 0, 0, 0, 0, 0);

    assertThat(counts.availability()).isEqualTo(0.75);
    assertThat(counts.errorRate()).isEqualTo(0.25);
    assertThat(SlaSnapshot.Counts.ZERO.availability()).isEqualTo(1.0);
    assertThat(SlaSnapshot.Counts.ZERO.errorRate()).isZero();
  }

  @Test
  void routeKey_joinsAliasAndModel() {
    assertThat(SlaSnapshot.routeKey("prod-1", "claude-opus-4-6"))
        .isEqualTo("prod-1/claude-opus-4-6");
  }
}
