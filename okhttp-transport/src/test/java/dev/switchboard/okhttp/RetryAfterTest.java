package dev.switchboard.okhttp;

import static dev.switchboard.okhttp.TestSupport.FAST;
import static dev.switchboard.okhttp.TestSupport.KEY;
import static dev.switchboard.okhttp.TestSupport.await;
import static dev.switchboard.okhttp.TestSupport.hello;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.RateLimitInfo;
import dev.switchboard.spi.Transport;
import dev.switchboard.testkit.FakeTicker;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transport hands every retry-after form to {@link RateLimitInfo}, measured on the injected clock. */
class RetryAfterTest {
  private static final String RATE_LIMITED = "{\"type\":\"error\",\"error\":{\"type\":"
      + "\"rate_limit_error\",\"message\":\"slow down\"}}";

  private final MockWebServer server = new MockWebServer();
  private final FakeTicker ticker = new FakeTicker();
  private Transport transport;

  @BeforeEach
  void start() throws Exception {
    server.start();
    transport = new OkHttpTransportProvider().create(TestSupport.config(server)
        .clock(ticker.clock()).build());
  }

  @AfterEach
  void stop() {
    transport.close();
    server.close();
  }

  private RateLimitInfo limitsOf(MockResponse.Builder response) throws Exception {
    server.enqueue(response.code(429).body(RATE_LIMITED).build());
    return await(transport.send(KEY, hello(), FAST)).rateLimits();
  }

  @Test
  void retryAfter_integerSeconds() throws Exception {
    RateLimitInfo limits = limitsOf(new MockResponse.Builder().addHeader("retry-after", "30"));

    assertThat(limits.retryAfter()).contains(Duration.ofSeconds(30));
    assertThat(limits.retryAfterMalformed()).isFalse();
  }

  @Test
  void retryAfter_millisecondsWinOverSeconds() throws Exception {
    RateLimitInfo limits = limitsOf(new MockResponse.Builder()
        .addHeader("retry-after-ms", "1500.5").addHeader("retry-after", "2"));

    assertThat(limits.retryAfter()).contains(Duration.ofNanos(1_500_500_000L));
  }

  @Test
  void retryAfter_httpDateIsMeasuredOnTheInjectedClock() throws Exception {
    ticker.advance(Duration.ofSeconds(12));

    RateLimitInfo limits = limitsOf(new MockResponse.Builder()
        .addHeader("retry-after", "Thu, 01 Jan 2026 00:00:42 GMT"));

    assertThat(limits.retryAfter()).contains(Duration.ofSeconds(30));
  }

  @Test
  void retryAfter_pastHttpDateIsZero() throws Exception {
    ticker.advance(Duration.ofMinutes(5));

    RateLimitInfo limits = limitsOf(new MockResponse.Builder()
        .addHeader("retry-after", "Thu, 01 Jan 2026 00:00:42 GMT"));

    assertThat(limits.retryAfter()).contains(Duration.ZERO);
  }

  @Test
  void retryAfter_garbageIsIgnoredAndReported() throws Exception {
    RateLimitInfo limits = limitsOf(new MockResponse.Builder().addHeader("retry-after", "soon-ish"));

    assertThat(limits.retryAfter()).isEmpty();
    assertThat(limits.retryAfterMalformed()).isTrue();
    assertThat(limits.retryAfterRaw()).isEqualTo("retry-after: soon-ish");
  }

  @Test
  void retryAfter_negativeIsZeroAndAbsurdIsClamped() throws Exception {
    assertThat(limitsOf(new MockResponse.Builder().addHeader("retry-after", "-5")).retryAfter())
        .contains(Duration.ZERO);

    RateLimitInfo absurd = limitsOf(new MockResponse.Builder().addHeader("retry-after", "99999999"));
    assertThat(absurd.retryAfter()).contains(RateLimitInfo.MAX_RETRY_AFTER);
    assertThat(absurd.retryAfterClamped()).isTrue();
  }

  @Test
  void retryAfter_firstOfRepeatedHeadersIsUsed() throws Exception {
    RateLimitInfo limits = limitsOf(new MockResponse.Builder()
        .addHeader("retry-after", "7").addHeader("retry-after", "99"));

    assertThat(limits.retryAfter()).contains(Duration.ofSeconds(7));
  }

  @Test
  void rateLimits_absentHeadersAreNone() throws Exception {
    assertThat(limitsOf(new MockResponse.Builder())).isSameAs(RateLimitInfo.NONE);
  }
}
