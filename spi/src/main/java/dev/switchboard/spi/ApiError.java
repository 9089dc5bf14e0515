package dev.switchboard.spi;

import java.util.Objects;

/**
 * The {@code error} object of an API error response or of an SSE {@code error} event.
 *
 * @param type {@code error.type}, e.g. {@code rate_limit_error}; {@code "unknown"} when the body
 *     had none (a proxy's HTML page, an empty body)
 * @param message {@code error.message}, or a short description of a body that was not API-shaped
 * @param errorCode {@code error.details.error_code} (e.g. {@code enforced_spend_limit_reached}), or
 *     null
 * @param requestId {@code request_id} from the body, or null
 */
public record ApiError(String type, String message, String errorCode, String requestId) {

  /** Fills missing type and message with placeholders. */
  public ApiError {
    type = type == null || type.isBlank() ? "unknown" : type;
    message = Objects.requireNonNullElse(message, "");
  }

  /** Returns an error with just a type and a message. */
  public static ApiError of(String type, String message) {
    return new ApiError(type, message, null, null);
  }
}
