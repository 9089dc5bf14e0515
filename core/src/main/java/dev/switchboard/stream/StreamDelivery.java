package dev.switchboard.stream;

import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.StreamEvent;
import dev.switchboard.spi.Ticker;
import dev.switchboard.spi.Usage;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;

/**
 * The caller's end of one routed stream: passes events to the {@link StreamHandler}, remembers
 * what the caller has seen (for {@link StreamInterruptedException}'s partial message and for a
 * {@link Continuation}), measures {@link StreamStats}, and guarantees the handler exactly one
 * terminal call whatever the router, the scheduler and the caller do at the same time.
 *
 * <p>The router creates one per call, gives {@link #deliver} as the {@linkplain
 * StreamGate.Builder#downstream downstream} of each attempt's gate (through
 * {@link Continuation#stitch} for a continuation), {@linkplain #attach attaches} the current gate
 * so that {@link #cancel()} reaches it, and ends it with {@link #complete}, {@link #interrupt} or
 * {@link #fail}.
 *
 * <p>Thread-safe. The handler is called under this object's lock, one call at a time.
 */
public final class StreamDelivery {
  private final StreamHandler handler;
  private final Ticker ticker;
  private final long startNanos;
  private final StreamAssembler seen = new StreamAssembler();
  private long firstTokenNanos = -1;
  private boolean done;
  private boolean cancelled;
  private StreamGate gate;

  private StreamDelivery(StreamHandler handler, Ticker ticker) {
    this.handler = Objects.requireNonNull(handler, "handler");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.startNanos = ticker.read();
  }

  /**
   * Returns a delivery to {@code handler}, whose call starts now on {@code ticker}.
   *
   * @throws NullPointerException if an argument is null
   */
  public static StreamDelivery to(StreamHandler handler, Ticker ticker) {
    return new StreamDelivery(handler, ticker);
  }

  /**
   * Passes one event to the handler, unless the stream has ended. An exception from the handler is
   * rethrown, so that the gate ends its attempt as {@link StreamOutcome.Kind#HANDLER_FAILED}.
   */
  public synchronized void deliver(StreamEvent event) {
    Objects.requireNonNull(event, "event");
    if (done) {
      return;
    }
    seen.accept(event);
    if (firstTokenNanos < 0 && seen.hasContent()) {
      firstTokenNanos = ticker.read();
    }
    handler.onEvent(event);
  }

  /**
   * Makes {@code current} the attempt that {@link #cancel()} cancels; if the caller has already
   * cancelled, cancels it at once.
   */
  public void attach(StreamGate current) {
    Objects.requireNonNull(current, "current");
    boolean cancelNow;
    synchronized (this) {
      gate = current;
      cancelNow = cancelled;
    }
    if (cancelNow) {
      current.cancel();
    }
  }

  /**
   * Cancels the stream for the caller: the attached attempt's connection is closed at once and
   * the handler gets {@link StreamHandler#onError} with a {@link CancellationException}. Does
   * nothing once the stream has ended. Idempotent.
   */
  public void cancel() {
    StreamGate current;
    synchronized (this) {
      if (done) {
        return;
      }
      done = true;
      cancelled = true;
      current = gate;
      terminal(() -> handler.onError(new CancellationException("stream cancelled by the caller")));
    }
    if (current != null) {
      current.cancel();
    }
  }

  /**
   * Ends the stream well: the handler gets {@link StreamHandler#onComplete} with the message the
   * caller saw.
   *
   * @param continued whether the answer was finished by a continuation
   * @return false when the stream had already ended (nothing is called)
   */
  public synchronized boolean complete(boolean continued) {
    if (done) {
      return false;
    }
    done = true;
    if (!seen.hasStarted()) {
      terminal(() -> handler.onError(new IllegalStateException("stream completed without message_start")));
      return true;
    }
    StreamResult result = new StreamResult(seen.message(), stats(), continued);
    terminal(() -> handler.onComplete(result));
    return true;
  }

  /**
   * Ends the stream with {@code error} as it is (a routing failure before any content, a handler
   * failure).
   *
   * @return false when the stream had already ended
   */
  public synchronized boolean fail(Throwable error) {
    Objects.requireNonNull(error, "error");
    if (done) {
      return false;
    }
    done = true;
    terminal(() -> handler.onError(error));
    return true;
  }

  /**
   * Ends the stream with a {@link StreamInterruptedException} carrying what the caller saw and the
   * outcome's cause.
   *
   * @return false when the stream had already ended
   * @throws IllegalArgumentException if the outcome is {@link StreamOutcome.Kind#COMPLETE}
   */
  public synchronized boolean interrupt(StreamOutcome outcome) {
    Objects.requireNonNull(outcome, "outcome");
    if (outcome.kind() == StreamOutcome.Kind.COMPLETE) {
      throw new IllegalArgumentException("outcome must not be COMPLETE to interrupt a stream");
    }
    if (done) {
      return false;
    }
    done = true;
    StreamInterruptedException e = new StreamInterruptedException(
        seen.hasStarted() ? seen.message() : null, seen.usage(), outcome.cause(), seen.hasContent());
    terminal(() -> handler.onError(e));
    return true;
  }

  /** Returns true once the handler has had (or is having) its terminal call. */
  public synchronized boolean isDone() {
    return done;
  }

  /** Returns true once content has reached the caller (failover is no longer invisible). */
  public synchronized boolean hasContent() {
    return seen.hasContent();
  }

  /** Returns the message the caller has seen so far; empty before {@code message_start}. */
  public synchronized Optional<MessageResponse> seenMessage() {
    return seen.hasStarted() ? Optional.of(seen.message()) : Optional.empty();
  }

  /** Returns the cumulative usage the caller has seen. */
  public synchronized Usage usage() {
    return seen.usage();
  }

  /** Returns the statistics up to now (total duration measured to this moment). */
  public synchronized StreamStats stats() {
    return StreamStats.measure(startNanos, firstTokenNanos, ticker.read(),
        seen.usage().outputTokens());
  }

  /** Returns the open block's index and the block count the caller has seen, for stitching. */
  synchronized int[] shape() {
    return new int[] {seen.openBlockIndex(), seen.blockCount()};
  }

  private static void terminal(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException ignored) {
      // the handler's terminal call threw: nothing further can be reported to it
    }
  }
}
