package dev.switchboard.spi;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one HTTP response from the provider said, in a form the router can act on: the status, the
 * parsed message (on success) or error (otherwise), the request id, the organization id and the
 * {@linkplain RateLimitInfo rate-limit facts}.
 *
 * <p>A transport returns one for every response it received, whatever the status; failures where
 * no response arrived (connect errors, timeouts, resets) are {@link TransportException}s instead.
 * A body that was not what the status promised (an HTML 502 page from a proxy, truncated JSON) is
 * never a parse exception: the status is kept, {@link #error()} describes the body, and
 * {@link #rawBody()} holds its first bytes for diagnostics. Instances are immutable.
 */
public final class ProviderResponse {
  private final int status;
  private final String requestId;
  private final String organizationId;
  private final RateLimitInfo rateLimits;
  private final MessageResponse message;
  private final ApiError error;
  private final long tokenCount;
  private final String rawBody;
  private final boolean bodyMalformed;

  private ProviderResponse(Builder b) {
    this.status = b.status;
    this.requestId = b.requestId;
    this.organizationId = b.organizationId;
    this.rateLimits = b.rateLimits;
    this.message = b.message;
    this.error = b.error;
    this.tokenCount = b.tokenCount;
    this.rawBody = b.rawBody;
    this.bodyMalformed = b.bodyMalformed;
  }

  /** Returns a new builder for a response with this HTTP status. */
  public static Builder builder(int status) {
    return new Builder(status);
  }

  /** Returns the HTTP status code. */
  public int status() { return status; }

  /** Returns true for a 2xx status with a usable body. */
  public boolean isSuccess() {
    return status >= 200 && status < 300 && !bodyMalformed;
  }

  /** Returns the {@code request-id} header (or the body's {@code request_id}), or null. */
  public String requestId() { return requestId; }

  /** Returns the {@code anthropic-organization-id} header, or null. */
  public String organizationId() { return organizationId; }

  /** Returns the parsed rate-limit headers; {@link RateLimitInfo#NONE} when there were none. */
  public RateLimitInfo rateLimits() { return rateLimits; }

  /** Returns the message of a successful non-streaming {@code /v1/messages} call. */
  public Optional<MessageResponse> message() { return Optional.ofNullable(message); }

  /** Returns the error of a failed call, or of a 2xx whose body could not be read. */
  public Optional<ApiError> error() { return Optional.ofNullable(error); }

  /** Returns {@code input_tokens} of a successful {@code count_tokens} call. */
  public OptionalLong tokenCount() {
    return tokenCount < 0 ? OptionalLong.empty() : OptionalLong.of(tokenCount);
  }

  /** Returns the first bytes (at most 512 chars) of a body that was not API-shaped, or null. */
  public String rawBody() { return rawBody; }

  /** Returns true when the body could not be parsed as what the status promised. */
  public boolean bodyMalformed() { return bodyMalformed; }

  @Override
  public String toString() {
    return "ProviderResponse[status=" + status + ", requestId=" + requestId
        + (error != null ? ", error=" + error.type() + ": " + error.message() : "")
        + (message != null ? ", message=" + message.id() : "")
        + (bodyMalformed ? ", malformed body" : "") + "]";
  }

  /** Builds {@link ProviderResponse}s; used by transports and test doubles. */
  public static final class Builder {
    private final int status;
    private String requestId;
    private String organizationId;
    private RateLimitInfo rateLimits = RateLimitInfo.NONE;
    private MessageResponse message;
    private ApiError error;
    private long tokenCount = -1;
    private String rawBody;
    private boolean bodyMalformed;

    private Builder(int status) {
      if (status < 100 || status > 999) {
        throw new IllegalArgumentException("HTTP status must be in [100, 999] but was " + status);
      }
      this.status = status;
    }

    public Builder requestId(String requestId) {
      this.requestId = requestId;
      return this;
    }

    public Builder organizationId(String organizationId) {
      this.organizationId = organizationId;
      return this;
    }

    public Builder rateLimits(RateLimitInfo rateLimits) {
      this.rateLimits = Objects.requireNonNull(rateLimits, "rateLimits");
      return this;
    }

    public Builder message(MessageResponse message) {
      this.message = message;
      return this;
    }

    public Builder error(ApiError error) {
      this.error = error;
      return this;
    }

    public Builder tokenCount(long tokenCount) {
      this.tokenCount = tokenCount;
      return this;
    }

    /** Marks the body as not API-shaped and keeps its first 512 characters. */
    public Builder malformedBody(String rawBody) {
      this.bodyMalformed = true;
      this.rawBody = rawBody == null ? "" : rawBody.length() > 512 ? rawBody.substring(0, 512) : rawBody;
      return this;
    }

    public ProviderResponse build() {
      if (requestId == null && error != null) {
        requestId = error.requestId();
      }
      return new ProviderResponse(this);
    }
  }
}
