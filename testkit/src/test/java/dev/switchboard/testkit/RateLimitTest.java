package dev.switchboard.testkit;

import static dev.switchboard.testkit.Api.body;
import static dev.switchboard.testkit.Api.errorMessage;
import static dev.switchboard.testkit.Api.errorType;
import static dev.switchboard.testkit.Api.header;
import static dev.switchboard.testkit.Api.messages;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RateLimitTest {
  static final String OPUS6 = "claude-opus-4-6";
  static final String OPUS5 = "claude-opus-4-5";
  static final String HAIKU = "claude-haiku-4-5";
  static final String A = "sk-ant-test-aaa";
  static final String B = "sk-ant-test-bbb";
  static final String C = "sk-ant-test-ccc";

  final FakeTicker ticker = new FakeTicker();
  Simulator sim;

  Simulator start(long rpm, long itpm, long otpm, Simulator.OtpmMode mode) {
    sim = Simulator.builder().ticker(ticker).clock(ticker.clock())
        .model(OPUS6, "opus-4", 200_000)
        .model(OPUS5, "opus-4", 200_000)
        .model(HAIKU, "haiku-4-5", 200_000)
        .limits("org-1", "opus-4", rpm, itpm, otpm)
        .limits("org-2", "opus-4", rpm, itpm, otpm)
        .key("team-a", A, "org-1")
        .key("team-b", B, "org-1")
        .key("team-c", C, "org-2")
        .otpmMode(mode)
        .responseTokens(10, 10)
        .start();
    return sim;
  }

  @AfterEach
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  @Test
  void requests_overRpm_return429WithRetryAfterAndReferenceMessage() {
    start(2, 100_000, 100_000, Simulator.OtpmMode.RESERVE_MAX_TOKENS);
    messages(sim, A, body(OPUS6, 10, "one"));
    messages(sim, A, body(OPUS6, 10, "two"));

    HttpResponse<String> r = messages(sim, A, body(OPUS6, 10, "three"));

    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(errorType(r)).isEqualTo("rate_limit_error");
    assertThat(errorMessage(r)).isEqualTo("This request would exceed the rate limit for your "
        + "organization (" + sim.organizationId("org-1") + ") of 2 requests per minute. For details, "
        + "refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers "
        + "for current usage. Please reduce the prompt length or the maximum tokens requested, or "
        + "try again later. You may also contact sales at https://www.anthropic.com/contact-sales "
        + "to discuss your options for a rate limit increase.");
    // 1 request at 2/60 per second takes 30 s
    assertThat(header(r, "retry-after")).isEqualTo("30");
    assertThat(header(r, "anthropic-ratelimit-requests-remaining")).isEqualTo("0");
  }

  @Test
  void requests_refillContinuouslyWithTheTicker() {
    start(2, 100_000, 100_000, Simulator.OtpmMode.RESERVE_MAX_TOKENS);
    messages(sim, A, body(OPUS6, 10, "one"));
    messages(sim, A, body(OPUS6, 10, "two"));

    ticker.advance(Duration.ofSeconds(29));
    assertThat(messages(sim, A, body(OPUS6, 10, "x")).statusCode()).isEqualTo(429);
    ticker.advance(Duration.ofSeconds(1));

    assertThat(messages(sim, A, body(OPUS6, 10, "x")).statusCode()).isEqualTo(200);
  }

  @Test
  void inputTokens_overItpm_return429WithCeilOfDeficitOverRate() {
    // 6,000 ITPM refills 100 tokens/s; each request is 4,000 input tokens (16,000 chars)
    start(100, 6_000, 100_000, Simulator.OtpmMode.RESERVE_MAX_TOKENS);
    String prompt = "x".repeat(16_000);
    assertThat(messages(sim, A, body(OPUS6, 10, prompt)).statusCode()).isEqualTo(200);

    HttpResponse<String> r = messages(sim, A, body(OPUS6, 10, prompt));

    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(errorMessage(r)).contains("of 6,000 input tokens per minute.");
    assertThat(header(r, "retry-after")).isEqualTo("20");
    ticker.advance(Duration.ofSeconds(19));
    assertThat(header(messages(sim, A, body(OPUS6, 10, prompt)), "retry-after")).isEqualTo("1");
    ticker.advance(Duration.ofSeconds(1));
    assertThat(messages(sim, A, body(OPUS6, 10, prompt)).statusCode()).isEqualTo(200);
  }

  @Test
  void reserveMode_maxTokensMustFitTheOutputBucket() {
    start(100, 100_000, 1_000, Simulator.OtpmMode.RESERVE_MAX_TOKENS);

    HttpResponse<String> tooBig = messages(sim, A, body(OPUS6, 1_001, "hi"));

    assertThat(tooBig.statusCode()).isEqualTo(429);
    assertThat(errorMessage(tooBig)).contains("of 1,000 output tokens per minute.");
    assertThat(messages(sim, A, body(OPUS6, 1_000, "hi")).statusCode()).isEqualTo(200);
  }

  @Test
  void reserveMode_refundsTheUnusedPartOfMaxTokens() {
    start(100, 100_000, 1_000, Simulator.OtpmMode.RESERVE_MAX_TOKENS);
    // reserves 1,000, produces 10, gets 990 back
    assertThat(messages(sim, A, body(OPUS6, 1_000, "hi")).statusCode()).isEqualTo(200);

    HttpResponse<String> full = messages(sim, A, body(OPUS6, 1_000, "hi"));
    HttpResponse<String> fits = messages(sim, A, body(OPUS6, 990, "hi"));

    assertThat(full.statusCode()).isEqualTo(429);
    assertThat(header(full, "retry-after")).isEqualTo("1");
    assertThat(fits.statusCode()).isEqualTo(200);
  }

  @Test
  void actualMode_chargesRealOutputOnlyAndMayGoNegative() {
    start(100, 100_000, 5, Simulator.OtpmMode.ACTUAL);
    // max_tokens does not matter; 10 tokens produced from a bucket of 5 leaves -5
    assertThat(messages(sim, A, body(OPUS6, 4_000, "hi")).statusCode()).isEqualTo(200);

    HttpResponse<String> r = messages(sim, A, body(OPUS6, 1, "hi"));

    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(errorMessage(r)).contains("output tokens per minute");
    // from -5 to 1 token at 5/60 per second: 72 s
    assertThat(header(r, "retry-after")).isEqualTo("72");
    assertThat(header(r, "anthropic-ratelimit-output-tokens-remaining")).isEqualTo("0");
  }

  @Test
  void headers_fullSetWithRoundedRemainderAndRfc3339Reset() {
    start(50, 30_000, 8_000, Simulator.OtpmMode.RESERVE_MAX_TOKENS);

    // 4,000 chars = 1,000 input tokens; 100 reserved, 10 produced
    HttpResponse<String> r = messages(sim, A, body(OPUS6, 100, "x".repeat(4_000)));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "request-id")).startsWith("req_");
    assertThat(header(r, "anthropic-organization-id")).isEqualTo(sim.organizationId("org-1"));
    assertThat(header(r, "anthropic-ratelimit-requests-limit")).isEqualTo("50");
    assertThat(header(r, "anthropic-ratelimit-requests-remaining")).isEqualTo("49");
    // one request at 50/60 per second: 1.2 s to full, rounded up to whole seconds
    assertThat(header(r, "anthropic-ratelimit-requests-reset")).isEqualTo("2026-01-01T00:00:02Z");
    assertThat(header(r, "anthropic-ratelimit-input-tokens-limit")).isEqualTo("30000");
    assertThat(header(r, "anthropic-ratelimit-input-tokens-remaining")).isEqualTo("29000");
    assertThat(header(r, "anthropic-ratelimit-input-tokens-reset")).isEqualTo("2026-01-01T00:00:02Z");
    assertThat(header(r, "anthropic-ratelimit-output-tokens-limit")).isEqualTo("8000");
    // 7,990 rounds to the nearest thousand
    assertThat(header(r, "anthropic-ratelimit-output-tokens-remaining")).isEqualTo("8000");
    assertThat(header(r, "anthropic-ratelimit-output-tokens-reset")).isEqualTo("2026-01-01T00:00:01Z");
    // tokens-*: the most restrictive of input and output
    assertThat(header(r, "anthropic-ratelimit-tokens-limit")).isEqualTo("8000");
    assertThat(header(r, "anthropic-ratelimit-tokens-remaining")).isEqualTo("8000");
    assertThat(header(r, "anthropic-ratelimit-tokens-reset")).isNotNull();
  }

  @Test
  void headers_arePresentOnErrorsToo() {
    start(50, 30_000, 8_000, Simulator.OtpmMode.RESERVE_MAX_TOKENS);
    sim.faults().add(Fault.overloaded());

    HttpResponse<String> r = messages(sim, A, body(OPUS6, 10, "hi"));

    assertThat(r.statusCode()).isEqualTo(529);
    for (String dim : new String[] {"requests", "tokens", "input-tokens", "output-tokens"}) {
      for (String part : new String[] {"limit", "remaining", "reset"}) {
        assertThat(header(r, "anthropic-ratelimit-" + dim + "-" + part)).as(dim + "-" + part)
            .isNotNull();
      }
    }
  }

  @Test
  void pool_isSharedByKeysOfOneOrganization() {
    start(2, 100_000, 100_000, Simulator.OtpmMode.RESERVE_MAX_TOKENS);
    messages(sim, A, body(OPUS6, 10, "one"));
    messages(sim, A, body(OPUS6, 10, "two"));

    HttpResponse<String> otherKey = messages(sim, B, body(OPUS6, 10, "three"));

    assertThat(otherKey.statusCode()).isEqualTo(429);
  }

  @Test
  void pool_isSharedByModelsOfOnePool() {
    start(2, 100_000, 100_000, Simulator.OtpmMode.RESERVE_MAX_TOKENS);
    messages(sim, A, body(OPUS6, 10, "one"));
    messages(sim, A, body(OPUS6, 10, "two"));

    assertThat(messages(sim, A, body(OPUS5, 10, "three")).statusCode()).isEqualTo(429);
    // another pool has its own buckets (default limits)
    assertThat(messages(sim, A, body(HAIKU, 10, "three")).statusCode()).isEqualTo(200);
  }

  @Test
  void organizations_haveIndependentBuckets() {
    start(2, 100_000, 100_000, Simulator.OtpmMode.RESERVE_MAX_TOKENS);
    messages(sim, A, body(OPUS6, 10, "one"));
    messages(sim, A, body(OPUS6, 10, "two"));

    HttpResponse<String> r = messages(sim, C, body(OPUS6, 10, "three"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "anthropic-ratelimit-requests-remaining")).isEqualTo("1");
  }

  @Test
  void rejectedRequests_doNotConsumeBudget() {
    start(2, 100_000, 100_000, Simulator.OtpmMode.RESERVE_MAX_TOKENS);
    sim.faults().add(Fault.overloaded().times(5));
    for (int i = 0; i < 5; i++) {
      assertThat(messages(sim, A, body(OPUS6, 10, "x")).statusCode()).isEqualTo(529);
    }

    HttpResponse<String> r = messages(sim, A, body(OPUS6, 10, "x"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(header(r, "anthropic-ratelimit-requests-remaining")).isEqualTo("1");
  }

  @Test
  void setLimits_atRunTime_changesCapacity() {
    start(2, 100_000, 100_000, Simulator.OtpmMode.RESERVE_MAX_TOKENS);

    sim.setLimits("org-1", "opus-4", 1, 100_000, 100_000);

    assertThat(messages(sim, A, body(OPUS6, 10, "x")).statusCode()).isEqualTo(200);
    HttpResponse<String> r = messages(sim, A, body(OPUS6, 10, "x"));
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(header(r, "anthropic-ratelimit-requests-limit")).isEqualTo("1");
    assertThat(header(r, "retry-after")).isEqualTo("60");
  }

  @Test
  void countTokens_hasItsOwnRequestBucketPerOrganization() {
    sim = Simulator.builder().ticker(ticker).clock(ticker.clock())
        .model(OPUS6, "opus-4", 200_000)
        .limits("org-1", "opus-4", 1, 100_000, 100_000)
        .key("team-a", A, "org-1")
        .countTokensRpm(2)
        .start();
    String count = "{\"model\":\"" + OPUS6 + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    assertThat(messages(sim, A, body(OPUS6, 10, "x")).statusCode()).isEqualTo(200);

    HttpResponse<String> first = Api.countTokens(sim, A, count);
    HttpResponse<String> second = Api.countTokens(sim, A, count);
    HttpResponse<String> third = Api.countTokens(sim, A, count);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(header(first, "anthropic-ratelimit-requests-limit")).isEqualTo("2");
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(header(third, "retry-after")).isEqualTo("30");
    // the messages bucket was not touched by count_tokens, nor the reverse
    assertThat(messages(sim, A, body(OPUS6, 10, "x")).statusCode()).isEqualTo(429);
  }

  @Test
  void reserveMode_brokenStream_refundsAllButTheTokensSent() {
    start(100, 100_000, 1_000, Simulator.OtpmMode.RESERVE_MAX_TOKENS);
    sim.faults().add(Fault.streamDisconnect(1).times(1));
    // one delta of 3 words goes out before the connection is cut: 3 of 1,000 are kept
    try {
      messages(sim, A, Api.streamBody(OPUS6, 1_000, "hi"));
    } catch (java.io.UncheckedIOException expected) {
      assertThat(expected).hasCauseInstanceOf(java.io.IOException.class);
    }

    assertThat(messages(sim, A, body(OPUS6, 998, "hi")).statusCode()).isEqualTo(429);
    assertThat(messages(sim, A, body(OPUS6, 997, "hi")).statusCode()).isEqualTo(200);
  }

  @Test
  void actualMode_streamDebitsEachDeltaAsItIsSent() {
    start(100, 100_000, 12, Simulator.OtpmMode.ACTUAL);
    sim.faults().add(Fault.streamError(2).times(1));
    // two deltas of 3 tokens each: 6 of 12 taken, then the stream errors
    messages(sim, A, Api.streamBody(OPUS6, 1_000, "hi"));

    HttpResponse<String> r = messages(sim, A, body(OPUS6, 1_000, "hi"));

    // 6 left: enough for 1 request; it then takes 10 more and leaves -4
    assertThat(r.statusCode()).isEqualTo(200);
    HttpResponse<String> blocked = messages(sim, A, body(OPUS6, 1_000, "hi"));
    assertThat(blocked.statusCode()).isEqualTo(429);
    // from -4 to 1 at 12/60 per second: 25 s
    assertThat(header(blocked, "retry-after")).isEqualTo("25");
  }

  @Test
  void streamFault_isNotUsedUpByARateLimitedRequest() {
    start(1, 100_000, 100_000, Simulator.OtpmMode.RESERVE_MAX_TOKENS);
    messages(sim, A, body(OPUS6, 10, "uses the only request"));
    Fault broken = Fault.streamError(0).times(1);
    sim.faults().add(broken);

    HttpResponse<String> r = messages(sim, A, Api.streamBody(OPUS6, 10, "x"));

    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(sim.faults().hits(broken)).isZero();
    assertThat(sim.faults().active()).containsExactly(broken);
  }
}
