package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiErrorTest {

  @Test
  void constructor_missingTypeIsUnknown() {
    assertThat(new ApiError(null, "m", null, null).type()).isEqualTo("unknown");
    assertThat(new ApiError("  ", "m", null, null).type()).isEqualTo("unknown");
  }

  @Test
  void constructor_missingMessageIsEmpty() {
    assertThat(new ApiError("api_error", null, null, null).message()).isEmpty();
  }

  @Test
  void of_setsTypeAndMessageOnly() {
    ApiError e = ApiError.of("rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit");

    assertThat(e.type()).isEqualTo("rate_limit_error");
    assertThat(e.message()).startsWith("Number of request tokens");
    assertThat(e.errorCode()).isNull();
    assertThat(e.requestId()).isNull();
  }

  @Test
  void constructor_keepsErrorCodeAndRequestId() {
    ApiError e = new ApiError("rate_limit_error", "cap", "enforced_spend_limit_reached", "req_011");

    assertThat(e.errorCode()).isEqualTo("enforced_spend_limit_reached");
    assertThat(e.requestId()).isEqualTo("req_011");
    assertThat(e).isEqualTo(new ApiError("rate_limit_error", "cap", "enforced_spend_limit_reached", "req_011"));
  }
}
