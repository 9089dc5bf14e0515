package dev.switchboard.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.RateLimitInfo;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolLimitsTest {
  @Test
  void learn_headersReplaceConfiguredLimitsDimensionByDimension() {
    PoolLimits limits = new PoolLimits(Map.of("o/p", new BucketLimits(10, 20, 30)));
    RateLimitInfo info = RateLimitInfo.parse(
        Map.of("anthropic-ratelimit-input-tokens-limit", "50000")::get, Instant.EPOCH);

    assertThat(limits.learn("o/p", info)).isEqualTo(new BucketLimits(10, 50_000, 30));
    assertThat(limits.of("o/p")).isEqualTo(new BucketLimits(10, 50_000, 30));
    assertThat(limits.isLearned("o/p")).isTrue();
  }

  @Test
  void of_unknownPool_isUnknownUntilLearned() {
    PoolLimits limits = new PoolLimits(Map.of());
    assertThat(limits.of("x/y")).isEqualTo(BucketLimits.UNKNOWN);
    assertThat(limits.learn("x/y", RateLimitInfo.NONE)).isEqualTo(BucketLimits.UNKNOWN);
    assertThat(limits.isLearned("x/y")).isFalse();
  }

  @Test
  void defaultPool_groupsModelFamilies() {
    assertThat(ModelPools.defaultPool("claude-opus-4-6")).isEqualTo("opus-4");
    assertThat(ModelPools.defaultPool("claude-opus-4-7")).isEqualTo("opus-4");
    assertThat(ModelPools.defaultPool("claude-sonnet-4-5-20250929")).isEqualTo("sonnet-4");
    assertThat(ModelPools.defaultPool("claude-haiku-4-5-20251001")).isEqualTo("haiku-4-5");
    assertThat(ModelPools.defaultPool("claude-opus-5")).isEqualTo("claude-opus-5");
    assertThat(ModelPools.poolId("org-1", "opus-4")).isEqualTo("org-1/opus-4");
  }
}
