package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderResponseTest {
  private static final MessageResponse MESSAGE = new MessageResponse("msg_1", "claude-sonnet-4-5", null,
      List.of(ContentBlock.text("hi")), "end_turn", null, Usage.of(3, 4), Map.of());

  @Test
  void isSuccess_for2xxWithUsableBody() {
    assertThat(ProviderResponse.builder(200).message(MESSAGE).build().isSuccess()).isTrue();
    assertThat(ProviderResponse.builder(299).build().isSuccess()).isTrue();
  }

  @Test
  void isSuccess_falseOutside2xx() {
    assertThat(ProviderResponse.builder(199).build().isSuccess()).isFalse();
    assertThat(ProviderResponse.builder(300).build().isSuccess()).isFalse();
    assertThat(ProviderResponse.builder(429).build().isSuccess()).isFalse();
    assertThat(ProviderResponse.builder(529).build().isSuccess()).isFalse();
  }

  @Test
  void isSuccess_falseFor2xxWithMalformedBody() {
    ProviderResponse r = ProviderResponse.builder(200).malformedBody("{\"id\":\"msg_1\",\"con").build();

    assertThat(r.isSuccess()).isFalse();
    assertThat(r.bodyMalformed()).isTrue();
    assertThat(r.rawBody()).isEqualTo("{\"id\":\"msg_1\",\"con");
  }

  @Test
  void malformedBody_isTruncatedTo512Chars() {
    String html = "<html>" + "x".repeat(1000) + "</html>";

    ProviderResponse r = ProviderResponse.builder(502).malformedBody(html).build();

    assertThat(r.rawBody()).hasSize(512).isEqualTo(html.substring(0, 512));
  }

  @Test
  void malformedBody_ofExactly512IsKeptAndNullIsEmpty() {
    String body = "y".repeat(512);

    assertThat(ProviderResponse.builder(502).malformedBody(body).build().rawBody()).isEqualTo(body);
    assertThat(ProviderResponse.builder(502).malformedBody(null).build().rawBody()).isEmpty();
  }

  @Test
  void build_takesRequestIdFromTheErrorWhenNoHeader() {
    ProviderResponse r = ProviderResponse.builder(429)
        .error(new ApiError("rate_limit_error", "slow down", null, "req_body")).build();

    assertThat(r.requestId()).isEqualTo("req_body");
  }

  @Test
  void build_headerRequestIdWinsOverTheErrors() {
    ProviderResponse r = ProviderResponse.builder(500).requestId("req_header")
        .error(new ApiError("api_error", "boom", null, "req_body")).build();

    assertThat(r.requestId()).isEqualTo("req_header");
  }

  @Test
  void builder_defaults() {
    ProviderResponse r = ProviderResponse.builder(200).build();

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.requestId()).isNull();
    assertThat(r.organizationId()).isNull();
    assertThat(r.rateLimits()).isSameAs(RateLimitInfo.NONE);
    assertThat(r.message()).isEmpty();
    assertThat(r.error()).isEmpty();
    assertThat(r.tokenCount()).isEmpty();
    assertThat(r.rawBody()).isNull();
    assertThat(r.bodyMalformed()).isFalse();
  }

  @Test
  void builder_keepsEveryField() {
    RateLimitInfo limits = RateLimitInfo.parse(
        Map.of("anthropic-ratelimit-requests-remaining", "3")::get, Instant.EPOCH);

    ProviderResponse r = ProviderResponse.builder(200).requestId("req_1").organizationId("org-1")
        .rateLimits(limits).message(MESSAGE).tokenCount(1234).build();

    assertThat(r.organizationId()).isEqualTo("org-1");
    assertThat(r.rateLimits()).isSameAs(limits);
    assertThat(r.message()).contains(MESSAGE);
    assertThat(r.tokenCount()).hasValue(1234);
  }

  @Test
  void builder_statusOutOfRangeIsRefused() {
    assertThatThrownBy(() -> ProviderResponse.builder(99))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("HTTP status must be in [100, 999] but was 99");
    assertThatThrownBy(() -> ProviderResponse.builder(1000))
        .hasMessage("HTTP status must be in [100, 999] but was 1000");
  }

  @Test
  void rateLimits_nullIsRefused() {
    assertThatThrownBy(() -> ProviderResponse.builder(200).rateLimits(null))
        .isInstanceOf(NullPointerException.class).hasMessage("rateLimits");
  }

  @Test
  void toString_describesErrorAndMalformedBodyWithoutTheBody() {
    ProviderResponse r = ProviderResponse.builder(529).requestId("req_9")
        .error(ApiError.of("overloaded_error", "Overloaded")).malformedBody("<secret page>").build();

    assertThat(r.toString())
        .isEqualTo("ProviderResponse[status=529, requestId=req_9, error=overloaded_error: Overloaded, malformed body]")
        .doesNotContain("secret page");
  }
}
