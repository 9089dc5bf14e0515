package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RateLimitInfoTest {
  private static final Instant NOW = Instant.parse("2026-04-24T00:00:00Z");

  /** Looks headers up the way an HTTP client does: case-insensitively. */
  private static RateLimitInfo parse(Map<String, String> headers) {
    TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(headers);
    return RateLimitInfo.parse(h::get, NOW);
  }

  private static RateLimitInfo.Window window(RateLimitInfo info, String family) {
    return switch (family) {
      case "requests" -> info.requests();
      case "tokens" -> info.tokens();
      case "input-tokens" -> info.inputTokens();
      case "output-tokens" -> info.outputTokens();
      default -> throw new IllegalArgumentException(family);
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"requests", "tokens", "input-tokens", "output-tokens"})
  void parse_readsEveryWindowFamily(String family) {
    RateLimitInfo info = parse(Map.of(
        "anthropic-ratelimit-" + family + "-limit", "4000",
        "anthropic-ratelimit-" + family + "-remaining", "3999",
        "anthropic-ratelimit-" + family + "-reset", "2026-04-24T00:00:15Z"));

    assertThat(window(info, family))
        .isEqualTo(new RateLimitInfo.Window(4000, 3999, Instant.parse("2026-04-24T00:00:15Z")));
    for (String other : List.of("requests", "tokens", "input-tokens", "output-tokens")) {
      if (!other.equals(family)) {
        assertThat(window(info, other)).isSameAs(RateLimitInfo.Window.ABSENT);
      }
    }
  }

  @Test
  void parse_readsAllFourWindowsOfOneResponse() {
    RateLimitInfo info = parse(Map.of(
        "anthropic-ratelimit-requests-limit", "50",
        "anthropic-ratelimit-requests-remaining", "49",
        "anthropic-ratelimit-tokens-limit", "90000",
        "anthropic-ratelimit-tokens-remaining", "88000",
        "anthropic-ratelimit-input-tokens-limit", "80000",
        "anthropic-ratelimit-input-tokens-remaining", "79000",
        "anthropic-ratelimit-output-tokens-limit", "10000",
        "anthropic-ratelimit-output-tokens-remaining", "9000"));

    assertThat(info.requests()).isEqualTo(new RateLimitInfo.Window(50, 49, null));
    assertThat(info.tokens()).isEqualTo(new RateLimitInfo.Window(90000, 88000, null));
    assertThat(info.inputTokens()).isEqualTo(new RateLimitInfo.Window(80000, 79000, null));
    assertThat(info.outputTokens()).isEqualTo(new RateLimitInfo.Window(10000, 9000, null));
    assertThat(info.retryAfter()).isEmpty();
    assertThat(info.retryAfterRaw()).isNull();
    assertThat(info.shouldRetry()).isEmpty();
  }

  @Test
  void parse_tokenRemainingAloneMakesWindowPresent() {
    RateLimitInfo info = parse(Map.of("anthropic-ratelimit-input-tokens-remaining", "39000"));

    assertThat(info.inputTokens().remaining()).isEqualTo(39000);
    assertThat(info.inputTokens().limit()).isEqualTo(-1);
    assertThat(info.inputTokens().reset()).isNull();
    assertThat(info.inputTokens().present()).isTrue();
  }

  @Test
  void parse_resetWithZuluAndWithZeroOffsetIsTheSameInstant() {
    RateLimitInfo zulu = parse(Map.of("anthropic-ratelimit-requests-reset", "2026-04-24T00:01:00Z"));
    RateLimitInfo offset = parse(Map.of("anthropic-ratelimit-requests-reset", "2026-04-24T00:01:00+00:00"));

    assertThat(zulu.requests().reset()).isEqualTo(Instant.parse("2026-04-24T00:01:00Z"));
    assertThat(offset.requests().reset()).isEqualTo(zulu.requests().reset());
  }

  @Test
  void parse_resetWithOtherOffsetAndFractionIsConvertedToUtc() {
    RateLimitInfo info = parse(Map.of(
        "anthropic-ratelimit-tokens-reset", "2026-04-24T02:00:30.250+02:00"));

    assertThat(info.tokens().reset()).isEqualTo(Instant.parse("2026-04-24T00:00:30.250Z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"tomorrow", "1745452800", "2026-04-24", "2026-04-24 00:01:00", "Fri, 24 Apr 2026 00:01:00 GMT"})
  void parse_garbageResetIsAbsent(String reset) {
    RateLimitInfo info = parse(Map.of(
        "anthropic-ratelimit-requests-limit", "50",
        "anthropic-ratelimit-requests-reset", reset));

    assertThat(info.requests()).isEqualTo(new RateLimitInfo.Window(50, -1, null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"lots", "12abc", "Infinity", "NaN", "0x10", ""})
  void parse_garbageCountIsAbsent(String count) {
    RateLimitInfo info = parse(Map.of(
        "anthropic-ratelimit-requests-limit", count,
        "anthropic-ratelimit-requests-remaining", "7"));

    assertThat(info.requests().limit()).isEqualTo(-1);
    assertThat(info.requests().remaining()).isEqualTo(7);
  }

  @Test
  void parse_onlyGarbageWindowHeadersIsNone() {
    RateLimitInfo info = parse(Map.of(
        "anthropic-ratelimit-requests-limit", "many",
        "anthropic-ratelimit-requests-remaining", "some",
        "anthropic-ratelimit-requests-reset", "later"));

    assertThat(info).isSameAs(RateLimitInfo.NONE);
  }

  @Test
  void parse_negativeCountIsZeroAndDecimalCountIsTruncated() {
    RateLimitInfo info = parse(Map.of(
        "anthropic-ratelimit-requests-remaining", "-3",
        "anthropic-ratelimit-requests-limit", "1.5e3",
        "anthropic-ratelimit-tokens-remaining", "1000.9"));

    assertThat(info.requests().remaining()).isZero();
    assertThat(info.requests().limit()).isEqualTo(1500);
    assertThat(info.tokens().remaining()).isEqualTo(1000);
  }

  @Test
  void parse_countsAndDatesAreTrimmed() {
    RateLimitInfo info = parse(Map.of(
        "anthropic-ratelimit-requests-limit", "  50 ",
        "anthropic-ratelimit-requests-remaining", "\t49",
        "anthropic-ratelimit-requests-reset", " 2026-04-24T00:00:01Z "));

    assertThat(info.requests())
        .isEqualTo(new RateLimitInfo.Window(50, 49, Instant.parse("2026-04-24T00:00:01Z")));
  }

  @Test
  void parse_retryAfterIntegerSeconds() {
    RateLimitInfo info = parse(Map.of("retry-after", "30"));

    assertThat(info.retryAfter()).contains(Duration.ofSeconds(30));
    assertThat(info.retryAfterRaw()).isEqualTo("retry-after: 30");
    assertThat(info.retryAfterMalformed()).isFalse();
    assertThat(info.retryAfterClamped()).isFalse();
  }

  @Test
  void parse_retryAfterFloatSeconds() {
    assertThat(parse(Map.of("retry-after", "1.5")).retryAfter()).contains(Duration.ofMillis(1500));
    assertThat(parse(Map.of("retry-after", "0.001")).retryAfter()).contains(Duration.ofMillis(1));
  }

  @Test
  void parse_retryAfterMsTakesPrecedenceOverRetryAfter() {
    RateLimitInfo info = parse(Map.of("retry-after-ms", "1500", "retry-after", "30"));

    assertThat(info.retryAfter()).contains(Duration.ofMillis(1500));
    assertThat(info.retryAfterRaw()).isEqualTo("retry-after-ms: 1500");
    assertThat(info.retryAfterMalformed()).isFalse();
  }

  @Test
  void parse_retryAfterMsFractionIsSubMillisecond() {
    assertThat(parse(Map.of("retry-after-ms", "0.5")).retryAfter()).contains(Duration.ofNanos(500_000));
  }

  @Test
  void parse_invalidRetryAfterMsFallsBackToRetryAfter() {
    RateLimitInfo info = parse(Map.of("retry-after-ms", "soon", "retry-after", "2"));

    assertThat(info.retryAfter()).contains(Duration.ofSeconds(2));
    assertThat(info.retryAfterRaw()).isEqualTo("retry-after-ms: soon, retry-after: 2");
    assertThat(info.retryAfterMalformed()).isFalse();
  }

  @Test
  void parse_invalidRetryAfterMsAloneIsMalformed() {
    RateLimitInfo info = parse(Map.of("retry-after-ms", "soon"));

    assertThat(info.retryAfter()).isEmpty();
    assertThat(info.retryAfterMalformed()).isTrue();
    assertThat(info.retryAfterRaw()).isEqualTo("retry-after-ms: soon");
  }

  @Test
  void parse_bothRetryAfterHeadersInvalidIsMalformedAndKeepsBothRaw() {
    RateLimitInfo info = parse(Map.of("retry-after-ms", "x", "retry-after", "y"));

    assertThat(info.retryAfter()).isEmpty();
    assertThat(info.retryAfterMalformed()).isTrue();
    assertThat(info.retryAfterRaw()).isEqualTo("retry-after-ms: x, retry-after: y");
    assertThat(info.toString()).contains("(malformed: retry-after-ms: x, retry-after: y)");
  }

  @Test
  void parse_retryAfterHttpDateInTheFutureIsTheDifferenceToNow() {
    RateLimitInfo info = parse(Map.of("retry-after", "Fri, 24 Apr 2026 00:00:30 GMT"));

    assertThat(info.retryAfter()).contains(Duration.ofSeconds(30));
    assertThat(info.retryAfterMalformed()).isFalse();
  }

  @Test
  void parse_retryAfterHttpDateInThePastIsZero() {
    RateLimitInfo info = parse(Map.of("retry-after", "Thu, 23 Apr 2026 23:59:00 GMT"));

    assertThat(info.retryAfter()).contains(Duration.ZERO);
    assertThat(info.retryAfterMalformed()).isFalse();
  }

  @Test
  void parse_retryAfterHttpDateFarAwayIsClamped() {
    RateLimitInfo info = parse(Map.of("retry-after", "Fri, 01 Jan 2100 00:00:00 GMT"));

    assertThat(info.retryAfter()).contains(RateLimitInfo.MAX_RETRY_AFTER);
    assertThat(info.retryAfterClamped()).isTrue();
  }

  @Test
  void parse_retryAfterHttpDateExactlyOneDayAwayIsKeptUnclamped() {
    RateLimitInfo info = parse(Map.of("retry-after", "Sat, 25 Apr 2026 00:00:00 GMT"));

    assertThat(info.retryAfter()).contains(RateLimitInfo.MAX_RETRY_AFTER);
    assertThat(info.retryAfterClamped()).isFalse();
  }

  @Test
  void toString_ofNoneShowsEveryPartAbsent() {
    assertThat(RateLimitInfo.NONE.toString()).isEqualTo("RateLimitInfo[requests=" + RateLimitInfo.Window.ABSENT
        + ", tokens=" + RateLimitInfo.Window.ABSENT + ", input=" + RateLimitInfo.Window.ABSENT
        + ", output=" + RateLimitInfo.Window.ABSENT + ", retryAfter=null, shouldRetry=null]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-5", "-0.5", "0", "-1e300"})
  void parse_negativeOrZeroRetryAfterIsZero(String value) {
    RateLimitInfo info = parse(Map.of("retry-after", value));

    assertThat(info.retryAfter()).contains(Duration.ZERO);
    assertThat(info.retryAfterMalformed()).isFalse();
    assertThat(info.retryAfterClamped()).isFalse();
  }

  @Test
  void parse_negativeRetryAfterMsIsZero() {
    assertThat(parse(Map.of("retry-after-ms", "-250", "retry-after", "9")).retryAfter())
        .contains(Duration.ZERO);
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", "Infinity", "-Infinity", "NaN", "10d", "5f", "0x1F", "1,5", "Fri, 32 Apr 2026 00:00:00 GMT"})
  void parse_garbageRetryAfterIsEmptyAndMalformed(String value) {
    RateLimitInfo info = parse(Map.of("retry-after", value));

    assertThat(info.retryAfter()).isEmpty();
    assertThat(info.retryAfterMalformed()).isTrue();
    assertThat(info.retryAfterClamped()).isFalse();
    assertThat(info.retryAfterRaw()).isEqualTo("retry-after: " + value);
    assertThat(info).isNotSameAs(RateLimitInfo.NONE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e9", "1e300", "86401", "999999999999999999999"})
  void parse_absurdRetryAfterIsClampedAndReported(String value) {
    RateLimitInfo info = parse(Map.of("retry-after", value));

    assertThat(info.retryAfter()).contains(RateLimitInfo.MAX_RETRY_AFTER);
    assertThat(info.retryAfterClamped()).isTrue();
    assertThat(info.retryAfterMalformed()).isFalse();
    assertThat(info.toString()).contains("(clamped)");
  }

  @Test
  void parse_absurdRetryAfterMsIsClamped() {
    RateLimitInfo info = parse(Map.of("retry-after-ms", "1e300"));

    assertThat(info.retryAfter()).contains(RateLimitInfo.MAX_RETRY_AFTER);
    assertThat(info.retryAfterClamped()).isTrue();
  }

  @Test
  void parse_retryAfterJustBelowTheCapIsKept() {
    RateLimitInfo info = parse(Map.of("retry-after", "86399"));

    assertThat(info.retryAfter()).contains(Duration.ofSeconds(86399));
    assertThat(info.retryAfterClamped()).isFalse();
  }

  @Test
  void parse_retryAfterIsTrimmed() {
    RateLimitInfo info = parse(Map.of("retry-after", "  7 \t"));

    assertThat(info.retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(info.retryAfterRaw()).isEqualTo("retry-after: 7");
  }

  @Test
  void parse_blankRetryAfterIsAbsent() {
    RateLimitInfo info = parse(Map.of("retry-after", "   ", "retry-after-ms", ""));

    assertThat(info).isSameAs(RateLimitInfo.NONE);
    assertThat(info.retryAfterMalformed()).isFalse();
  }

  @Test
  void parse_shouldRetryTrueAndFalse() {
    assertThat(parse(Map.of("x-should-retry", "true")).shouldRetry()).contains(true);
    assertThat(parse(Map.of("x-should-retry", "false")).shouldRetry()).contains(false);
  }

  @Test
  void parse_shouldRetryIgnoresCaseAndWhiteSpace() {
    assertThat(parse(Map.of("x-should-retry", "TRUE")).shouldRetry()).contains(true);
    assertThat(parse(Map.of("x-should-retry", " False ")).shouldRetry()).contains(false);
  }

  @ParameterizedTest
  @ValueSource(strings = {"yes", "1", "maybe", "truee"})
  void parse_shouldRetryGarbageIsEmpty(String value) {
    RateLimitInfo info = parse(Map.of("x-should-retry", value));

    assertThat(info.shouldRetry()).isEmpty();
    assertThat(info).isSameAs(RateLimitInfo.NONE);
  }

  @Test
  void parse_asksOnlyForLowerCaseNames() {
    List<String> asked = new ArrayList<>();
    Function<String, String> header = name -> {
      asked.add(name);
      return null;
    };

    RateLimitInfo.parse(header, NOW);

    assertThat(asked).isNotEmpty().allSatisfy(name -> assertThat(name).isEqualTo(name.toLowerCase()));
    assertThat(asked).contains("retry-after", "retry-after-ms", "x-should-retry",
        "anthropic-ratelimit-requests-limit", "anthropic-ratelimit-output-tokens-reset");
  }

  @Test
  void parse_mixedCaseHeadersAreFoundThroughACaseInsensitiveLookup() {
    RateLimitInfo info = parse(Map.of(
        "Retry-After", "4",
        "X-Should-Retry", "true",
        "Anthropic-RateLimit-Requests-Remaining", "12"));

    assertThat(info.retryAfter()).contains(Duration.ofSeconds(4));
    assertThat(info.shouldRetry()).contains(true);
    assertThat(info.requests().remaining()).isEqualTo(12);
  }

  @Test
  void parse_nothingPresentIsNone() {
    RateLimitInfo info = RateLimitInfo.parse(name -> null, NOW);

    assertThat(info).isSameAs(RateLimitInfo.NONE);
    assertThat(info.requests().present()).isFalse();
    assertThat(info.tokens().present()).isFalse();
    assertThat(info.inputTokens().present()).isFalse();
    assertThat(info.outputTokens().present()).isFalse();
    assertThat(info.retryAfter()).isEmpty();
    assertThat(info.retryAfterMalformed()).isFalse();
    assertThat(info.retryAfterClamped()).isFalse();
    assertThat(info.shouldRetry()).isEmpty();
  }

  @Test
  void parse_unrelatedHeadersAreNone() {
    assertThat(parse(Map.of("content-type", "application/json", "request-id", "req_1")))
        .isSameAs(RateLimitInfo.NONE);
  }

  @Test
  void window_presentWhenAnyPartParsed() {
    assertThat(RateLimitInfo.Window.ABSENT.present()).isFalse();
    assertThat(new RateLimitInfo.Window(0, -1, null).present()).isTrue();
    assertThat(new RateLimitInfo.Window(-1, 0, null).present()).isTrue();
    assertThat(new RateLimitInfo.Window(-1, -1, NOW).present()).isTrue();
  }
}
