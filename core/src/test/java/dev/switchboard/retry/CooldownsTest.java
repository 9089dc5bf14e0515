package dev.switchboard.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.RateLimitInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every bad retry-after is survived: no exception, no negative wait, no absurd wait. */
class CooldownsTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration MAX = Duration.ofSeconds(60);
  private static final Duration FALLBACK = Duration.ofMillis(500);

  private static Cooldowns.Cooldown cooldown(String... headers) {
    Map<String, String> h = new HashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      h.put(headers[i], headers[i + 1]);
    }
    RateLimitInfo info = RateLimitInfo.parse(h::get, NOW);
    return Cooldowns.forRateLimit(info, NOW, MAX, FALLBACK, new SplittableRandom(7));
  }

  @Test
  void forRateLimit_retryAfterIsAFloorWithPositiveJitterOfAtMostTwentyPercent() {
    for (int i = 0; i < 50; i++) {
      Cooldowns.Cooldown c = Cooldowns.forRateLimit(
          RateLimitInfo.parse(Map.of("retry-after", "10")::get, NOW), NOW, MAX, FALLBACK,
          new SplittableRandom(i));
      assertThat(c.duration()).isBetween(Duration.ofMillis(10_001), Duration.ofSeconds(12));
      assertThat(c.source()).isEqualTo("retry-after");
    }
  }

  @Test
  void forRateLimit_jitterSpreadsAFleet() {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < 100; i++) {
      long n = Cooldowns.forRateLimit(RateLimitInfo.parse(Map.of("retry-after", "10")::get, NOW),
          NOW, MAX, FALLBACK, new SplittableRandom(i)).nanos();
      min = Math.min(min, n);
      max = Math.max(max, n);
    }
    assertThat(max - min).isGreaterThan(Duration.ofSeconds(1).toNanos());
  }

  @Test
  void forRateLimit_negative_isZeroPlusJitter() {
    Cooldowns.Cooldown c = cooldown("retry-after", "-5");
    assertThat(c.duration()).isBetween(Duration.ofMillis(1), Duration.ofMillis(2));
  }

  @Test
  void forRateLimit_garbage_fallsBackToTheFallback() {
    Cooldowns.Cooldown c = cooldown("retry-after", "soon-ish");
    assertThat(c.source()).isEqualTo("backoff");
    assertThat(c.duration()).isEqualTo(FALLBACK);
  }

  @Test
  void forRateLimit_httpDateInThePast_isZeroPlusJitter() {
    Cooldowns.Cooldown c = cooldown("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT");
    assertThat(c.source()).isEqualTo("retry-after");
    assertThat(c.duration()).isBetween(Duration.ofMillis(1), Duration.ofMillis(2));
  }

  @Test
  void forRateLimit_httpDateInTheFuture_isHonoured() {
    Cooldowns.Cooldown c = cooldown("retry-after", "Thu, 01 Jan 2026 00:00:04 GMT");
    assertThat(c.duration()).isBetween(Duration.ofMillis(4_001), Duration.ofMillis(4_800));
  }

  @Test
  void forRateLimit_absurdValue_isCappedAndReported() {
    Cooldowns.Cooldown c = cooldown("retry-after", "1e9");
    assertThat(c.duration()).isEqualTo(MAX);
    assertThat(c.capped()).isTrue();
  }

  @Test
  void forRateLimit_retryAfterMsTakesPrecedence() {
    Cooldowns.Cooldown c = cooldown("retry-after-ms", "250", "retry-after", "30");
    assertThat(c.duration()).isBetween(Duration.ofMillis(251), Duration.ofMillis(300));
  }

  @Test
  void forRateLimit_garbageMs_fallsBackToRetryAfterSeconds() {
    Cooldowns.Cooldown c = cooldown("retry-after-ms", "NaN", "retry-after", "3");
    assertThat(c.duration()).isBetween(Duration.ofMillis(3_001), Duration.ofMillis(3_600));
  }

  @Test
  void forRateLimit_withoutRetryAfter_usesTheExhaustedWindowsReset() {
    Cooldowns.Cooldown c = cooldown(
        "anthropic-ratelimit-input-tokens-remaining", "0",
        "anthropic-ratelimit-input-tokens-reset", "2026-01-01T00:00:07Z",
        "anthropic-ratelimit-requests-remaining", "10",
        "anthropic-ratelimit-requests-reset", "2026-01-01T00:00:02Z");
    assertThat(c.source()).isEqualTo("reset");
    assertThat(c.duration()).isEqualTo(Duration.ofSeconds(7).plusMillis(1));
  }

  @Test
  void forRateLimit_resetInThePast_fallsBack() {
    Cooldowns.Cooldown c = cooldown(
        "anthropic-ratelimit-requests-remaining", "0",
        "anthropic-ratelimit-requests-reset", "2025-12-31T23:59:00Z");
    assertThat(c.source()).isEqualTo("backoff");
  }
}
