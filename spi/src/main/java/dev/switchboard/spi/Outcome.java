package dev.switchboard.spi;

/**
 * What one attempt's result means for routing. See the outcome table in
 * {@code docs/architecture.md}.
 */
public enum Outcome {
  /** The call succeeded. */
  SUCCESS,
  /** 429 {@code rate_limit_error}: cool that pool down, go to another key at once. */
  RATE_LIMITED,
  /** 529 {@code overloaded_error}, 500, 502, 503, 504: back off; counts against the model. */
  SERVER_ERROR,
  /** No response, or a stream that broke: try another key. */
  NETWORK,
  /** 401, 403, 402: the key is unusable until re-enabled. */
  KEY_FAULT,
  /** A spend cap or usage limit: every key of the organization is unusable until re-enabled. */
  ORGANIZATION_FAULT,
  /** 404 for the model: skip that model for that key. */
  MODEL_NOT_FOUND,
  /** 400, 413, 422: the request itself is at fault; fails the same everywhere. */
  REQUEST_INVALID,
  /** The prompt is longer than the model's context window: only a larger window can help. */
  CONTEXT_OVERFLOW
}
