package dev.switchboard.retry;

import dev.switchboard.spi.ApiError;
import dev.switchboard.spi.ErrorClassifier;
import dev.switchboard.spi.Outcome;
import dev.switchboard.spi.ProviderResponse;
import dev.switchboard.spi.TransportException;
import dev.switchboard.spi.Verdict;
import java.util.Locale;

/**
 * Judges Anthropic Messages API results by the outcome table of {@code docs/architecture.md}.
 *
 * <ul>
 *   <li>Key faults first, which {@code x-should-retry} never overrides: 401, 403, 402 are {@link
 *       Outcome#KEY_FAULT}; a 429 carrying {@code error.details.error_code} and no {@code
 *       retry-after} (the spend cap), a 400 saying the credit balance is too low, and a 400 saying
 *       the organization's or workspace's API usage limits are reached are {@link
 *       Outcome#ORGANIZATION_FAULT}.
 *   <li>Then the status: 429 {@link Outcome#RATE_LIMITED}; 5xx and 529 {@link
 *       Outcome#SERVER_ERROR}; 408, 409 and a 2xx whose body could not be read {@link
 *       Outcome#NETWORK}; 404 naming a model {@link Outcome#MODEL_NOT_FOUND}; 400 "prompt is too
 *       long" {@link Outcome#CONTEXT_OVERFLOW}; every other status {@link Outcome#REQUEST_INVALID}.
 *   <li>Finally {@code x-should-retry: true/false} replaces the retryable flag.
 * </ul>
 *
 * <p>Reasons name the status, the error type and the start of the message; never a key. Stateless
 * and thread-safe; never throws.
 */
public final class AnthropicErrorClassifier implements ErrorClassifier {
  /** The shared instance. */
  public static final AnthropicErrorClassifier INSTANCE = new AnthropicErrorClassifier();

  private static final int MAX_MESSAGE = 160;
  /** The verdict of every 2xx (immutable, shared). */
  private static final Verdict SUCCESS = new Verdict(Outcome.SUCCESS, false, "ok");

  private AnthropicErrorClassifier() {}

  /** Returns the verdict for a response that arrived, whatever its status. */
  @Override
  public Verdict classify(ProviderResponse response) {
    int status = response.status();
    if (response.isSuccess()) {
      return SUCCESS;
    }
    ApiError error = response.error().orElse(ApiError.of("unknown", ""));
    String message = error.message().toLowerCase(Locale.ROOT);
    String reason = reason(status, error);
    if (status == 401 || status == 403 || status == 402) {
      return new Verdict(Outcome.KEY_FAULT, true, reason);
    }
    boolean hasRetryAfter = response.rateLimits().retryAfter().isPresent()
        || response.rateLimits().retryAfterMalformed();
    if (status == 429 && ("enforced_spend_limit_reached".equals(error.errorCode())
        || (error.errorCode() != null && !hasRetryAfter))) {
      return new Verdict(Outcome.ORGANIZATION_FAULT, true, reason);
    }
    if (status == 400 && (message.contains("credit balance is too low")
        || message.contains("reached your specified api usage limits")
        || message.contains("workspace api usage limits"))) {
      return new Verdict(Outcome.ORGANIZATION_FAULT, true, reason);
    }
    Verdict base;
    if (status >= 200 && status < 300) {
      base = new Verdict(Outcome.NETWORK, true, "HTTP " + status + " with an unreadable body");
    } else if (status == 429) {
      base = new Verdict(Outcome.RATE_LIMITED, true, reason);
    } else if (status >= 500) {
      base = new Verdict(Outcome.SERVER_ERROR, true, reason);
    } else if (status == 408 || status == 409) {
      base = new Verdict(Outcome.NETWORK, true, reason);
    } else if (status == 404 && (message.contains("model") || error.type().equals("not_found_error")
        && message.isEmpty())) {
      base = new Verdict(Outcome.MODEL_NOT_FOUND, true, reason);
    } else if (status == 400 && message.contains("prompt is too long")) {
      base = new Verdict(Outcome.CONTEXT_OVERFLOW, true, reason);
    } else {
      base = new Verdict(Outcome.REQUEST_INVALID, false, reason);
    }
    Boolean should = response.rateLimits().shouldRetry().orElse(null);
    if (should != null && should != base.retryable()) {
      return new Verdict(base.outcome(), should, base.reason() + " (x-should-retry: " + should + ")");
    }
    return base;
  }

  /** Returns the verdict for a failure in which no complete response arrived. */
  @Override
  public Verdict classify(TransportException failure) {
    String what = switch (failure.kind()) {
      case CONNECT -> "connect failed";
      case TIMEOUT -> "timed out";
      case RESET -> "connection reset";
      case INCOMPLETE_STREAM -> "stream incomplete";
      case CANCELLED -> "cancelled";
      case IO -> "I/O failure";
    };
    return new Verdict(Outcome.NETWORK, failure.kind() != TransportException.Kind.CANCELLED, what);
  }

  private static String reason(int status, ApiError error) {
    String m = error.message();
    if (m.length() > MAX_MESSAGE) {
      m = m.substring(0, MAX_MESSAGE) + "…";
    }
    return "HTTP " + status + " " + error.type() + (m.isEmpty() ? "" : ": " + m)
        + (error.errorCode() == null ? "" : " [" + error.errorCode() + "]");
  }
}
