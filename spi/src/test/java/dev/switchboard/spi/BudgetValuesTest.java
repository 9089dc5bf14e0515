package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.spi.BucketLimits.Dimension;
import org.junit.jupiter.api.Test;

/** {@link BucketLimits}, {@link Demand}, {@link BudgetGrant} and {@link BudgetLevels}. */
class BudgetValuesTest {
  private static final BucketLimits LIMITS = new BucketLimits(60, 80_000, 10_000);

  @Test
  void bucketLimits_limitByDimension() {
    assertThat(LIMITS.limit(Dimension.REQUESTS)).isEqualTo(60);
    assertThat(LIMITS.limit(Dimension.INPUT_TOKENS)).isEqualTo(80_000);
    assertThat(LIMITS.limit(Dimension.OUTPUT_TOKENS)).isEqualTo(10_000);
  }

  @Test
  void bucketLimits_withReplacesOneDimension() {
    assertThat(LIMITS.with(Dimension.REQUESTS, 1)).isEqualTo(new BucketLimits(1, 80_000, 10_000));
    assertThat(LIMITS.with(Dimension.INPUT_TOKENS, 2)).isEqualTo(new BucketLimits(60, 2, 10_000));
    assertThat(LIMITS.with(Dimension.OUTPUT_TOKENS, 3)).isEqualTo(new BucketLimits(60, 80_000, 3));
  }

  @Test
  void bucketLimits_unknownOnlyWhenAllZero() {
    assertThat(BucketLimits.UNKNOWN.isUnknown()).isTrue();
    assertThat(new BucketLimits(0, 0, 1).isUnknown()).isFalse();
    assertThat(LIMITS.isUnknown()).isFalse();
  }

  @Test
  void bucketLimits_negativeIsRefusedNamingTheField() {
    assertThatThrownBy(() -> new BucketLimits(-1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("requestsPerMinute must be >= 0 (0 = unknown) but was -1");
    assertThatThrownBy(() -> new BucketLimits(0, -2, 0))
        .hasMessage("inputTokensPerMinute must be >= 0 (0 = unknown) but was -2");
    assertThatThrownBy(() -> LIMITS.with(Dimension.OUTPUT_TOKENS, -3))
        .hasMessage("outputTokensPerMinute must be >= 0 (0 = unknown) but was -3");
  }

  @Test
  void demand_amountByDimension() {
    Demand d = new Demand(1, 2_000, 1_024);

    assertThat(d.amount(Dimension.REQUESTS)).isEqualTo(1);
    assertThat(d.amount(Dimension.INPUT_TOKENS)).isEqualTo(2_000);
    assertThat(d.amount(Dimension.OUTPUT_TOKENS)).isEqualTo(1_024);
    assertThat(Demand.NONE).isEqualTo(new Demand(0, 0, 0));
  }

  @Test
  void demand_negativeIsRefusedShowingAllThree() {
    assertThatThrownBy(() -> new Demand(1, -5, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("demand must not be negative but was 1 requests, -5 input tokens, 0 output tokens");
  }

  @Test
  void budgetGrant_grantedHasNoWaitNorDimension() {
    assertThat(BudgetGrant.GRANTED.granted()).isTrue();
    assertThat(BudgetGrant.GRANTED.waitNanos()).isZero();
    assertThat(BudgetGrant.GRANTED.limitedBy()).isNull();
  }

  @Test
  void budgetGrant_refusedKeepsWaitAndDimensionAndFloorsNegativeWait() {
    assertThat(BudgetGrant.refused(1_500_000_000L, Dimension.INPUT_TOKENS))
        .isEqualTo(new BudgetGrant(false, 1_500_000_000L, Dimension.INPUT_TOKENS));
    assertThat(BudgetGrant.refused(-7, Dimension.REQUESTS).waitNanos()).isZero();
    assertThat(BudgetGrant.refused(Long.MAX_VALUE, Dimension.OUTPUT_TOKENS).waitNanos()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void headroom_unknownLimitsIsFull() {
    assertThat(new BudgetLevels(BucketLimits.UNKNOWN, 0, -50, 0).headroom()).isEqualTo(1.0);
  }

  @Test
  void headroom_isTheTightestKnownDimension() {
    BudgetLevels levels = new BudgetLevels(LIMITS, 30, 20_000, 9_000);

    assertThat(levels.headroom()).isCloseTo(0.25, within(1e-12));
  }

  @Test
  void headroom_ignoresUnknownDimensions() {
    BudgetLevels levels = new BudgetLevels(new BucketLimits(0, 1_000, 0), 0, 500, -10);

    assertThat(levels.headroom()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void headroom_debtIsZero() {
    assertThat(new BudgetLevels(LIMITS, 60, 80_000, -2_000).headroom()).isZero();
  }

  @Test
  void headroom_overfullIsClampedToOne() {
    assertThat(new BudgetLevels(LIMITS, 120, 160_000, 20_000).headroom()).isEqualTo(1.0);
  }

  @Test
  void level_byDimension() {
    BudgetLevels levels = new BudgetLevels(LIMITS, 1.5, 2.5, -3.5);

    assertThat(levels.level(Dimension.REQUESTS)).isEqualTo(1.5);
    assertThat(levels.level(Dimension.INPUT_TOKENS)).isEqualTo(2.5);
    assertThat(levels.level(Dimension.OUTPUT_TOKENS)).isEqualTo(-3.5);
  }
}
