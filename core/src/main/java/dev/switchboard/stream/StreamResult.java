package dev.switchboard.stream;

import dev.switchboard.spi.MessageResponse;
import java.util.Objects;

/**
 * What a stream that ended well hands {@link StreamHandler#onComplete}.
 *
 * @param message the whole message the caller saw, assembled from the events (usage summed over
 *     every attempt that produced content, when continued)
 * @param stats time to first token, output rate and duration
 * @param continued true when the answer was finished on another route after an interruption
 *     (see {@link Continuation}); the text is then one answer produced by two or more responses
 */
public record StreamResult(MessageResponse message, StreamStats stats, boolean continued) {

  /** Validates. */
  public StreamResult {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(stats, "stats");
  }
}
