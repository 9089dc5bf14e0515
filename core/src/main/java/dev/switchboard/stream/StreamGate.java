package dev.switchboard.stream;

import dev.switchboard.schedule.Scheduler;
import dev.switchboard.spi.ApiError;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.ProviderResponse;
import dev.switchboard.spi.StreamCall;
import dev.switchboard.spi.StreamEvent;
import dev.switchboard.spi.StreamListener;
import dev.switchboard.spi.Ticker;
import dev.switchboard.spi.TransportException;
import dev.switchboard.spi.Usage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Watches one streaming attempt and decides what the caller sees of it: the {@link StreamListener}
 * the router hands to {@link dev.switchboard.spi.Transport#stream}.
 *
 * <ul>
 *   <li><b>Buffering.</b> Events are held back until the first content delta, then flushed
 *       downstream in order and passed through from then on. An attempt that fails before that
 *       point has shown the caller nothing, so the router can retry it elsewhere invisibly. A stream
 *       that completes without any content is flushed at {@code message_stop}. {@code ping} and
 *       {@code error} events are never passed downstream.
 *   <li><b>Watchdogs.</b> First byte, first token and idle gap (with its ping allowance), see
 *       {@link StreamTimeouts}, all capped by the deadline, measured on the injected {@link Ticker}
 *       and woken by the injected {@link Scheduler}. On expiry the {@link StreamCall} is
 *       cancelled (closing the connection) and the outcome is {@link StreamOutcome.Kind#TIMEOUT}
 *       with a {@link StreamTimeoutException} naming the phase.
 *   <li><b>Usage.</b> Each rise of the cumulative usage ({@code message_start},
 *       {@code message_delta}) is reported to {@link Observer#onUsage} as it arrives, so budgets can
 *       be settled during the stream.
 *   <li><b>Exactly one outcome.</b> {@link Observer#onOutcome} is called once; after it nothing is
 *       passed downstream, whatever the transport, the timer or a {@link #cancel()} do at the same
 *       time.
 * </ul>
 *
 * <p>Thread-safe: the transport thread, the scheduler thread and the caller may call in at once.
 * Downstream and observer callbacks (except {@code onOutcome}) run under the gate's lock and must be
 * fast; {@code onOutcome} runs without it, on whichever thread ended the attempt.
 *
 * <pre>{@code
 * StreamGate gate = StreamGate.builder(ticker, scheduler)
 *     .timeouts(timeouts).deadline(deadlineNanos)
 *     .downstream(delivery::deliver).observer(outcome -> next(outcome))
 *     .build();
 * gate.start(listener -> transport.stream(key, request, options, listener));
 * }</pre>
 */
public final class StreamGate implements StreamListener {

  /** Receives what the router needs from one attempt. Callbacks must be fast and must not throw. */
  public interface Observer {

    /** The response headers arrived (any status): rate-limit headers, request id. Default: nothing. */
    default void onHeaders(ProviderResponse response) {}

    /**
     * The cumulative usage rose by {@code increment} to {@code total}. Default: nothing.
     */
    default void onUsage(Usage increment, Usage total) {}

    /** The attempt ended; called exactly once. */
    void onOutcome(StreamOutcome outcome);
  }

  private final Ticker ticker;
  private final Scheduler scheduler;
  private final StreamTimeouts timeouts;
  private final boolean hasDeadline;
  private final long deadline;
  private final Consumer<StreamEvent> downstream;
  private final Observer observer;

  private final Object lock = new Object();
  private final StreamAssembler assembler = new StreamAssembler();
  private final List<StreamEvent> buffer = new ArrayList<>();
  private boolean started;
  private boolean terminal;
  private boolean committed;
  private boolean cancelOnAttach;
  private StreamCall call;
  private Scheduler.Cancellable timer;
  private long timerDue;
  private long startNanos;
  private long headersAt = -1;
  private long lastEventAt;
  private long lastProgressAt;
  private long firstContentAt = -1;
  private ProviderResponse response;
  private Usage reported = Usage.ZERO;

  private StreamGate(Builder b) {
    this.ticker = b.ticker;
    this.scheduler = b.scheduler;
    this.timeouts = b.timeouts;
    this.hasDeadline = b.hasDeadline;
    this.deadline = b.deadline;
    this.downstream = b.downstream;
    this.observer = b.observer;
  }

  /**
   * Returns a builder for a gate timed by {@code ticker} and woken by {@code scheduler}.
   *
   * @throws NullPointerException if an argument is null
   */
  public static Builder builder(Ticker ticker, Scheduler scheduler) {
    return new Builder(ticker, scheduler);
  }

  /**
   * Starts the watchdogs and the attempt: {@code starter} receives this gate as the listener and
   * returns the transport's {@link StreamCall}. If the gate ends before the call is returned (a
   * {@link #cancel()}, a timeout), the call is cancelled as soon as it is. A starter that throws
   * ends the attempt as {@link StreamOutcome.Kind#BROKEN} with that exception.
   *
   * @throws IllegalStateException if called twice
   * @throws NullPointerException if {@code starter} is null
   */
  public void start(Function<StreamListener, StreamCall> starter) {
    Objects.requireNonNull(starter, "starter");
    synchronized (lock) {
      if (started) {
        throw new IllegalStateException("a StreamGate starts one attempt only");
      }
      started = true;
      startNanos = ticker.read();
      rearm(startNanos);
    }
    StreamCall c;
    try {
      c = Objects.requireNonNull(starter.apply(this), "starter returned no StreamCall");
    } catch (RuntimeException e) {
      Runnable end;
      synchronized (lock) {
        end = finish(StreamOutcome.Kind.BROKEN, null, e, false);
      }
      run(end);
      return;
    }
    boolean cancel;
    synchronized (lock) {
      call = c;
      cancel = cancelOnAttach;
    }
    if (cancel) {
      c.cancel();
    }
  }

  /**
   * Cancels the attempt (the caller gave up): the connection is closed at once and the outcome is
   * {@link StreamOutcome.Kind#CANCELLED}, unless the attempt had already ended. Idempotent.
   */
  public void cancel() {
    Runnable end;
    synchronized (lock) {
      end = terminal ? null : finish(StreamOutcome.Kind.CANCELLED, null, null, true);
    }
    run(end);
  }

  /** Returns true once the outcome has been decided. */
  public boolean isDone() {
    synchronized (lock) {
      return terminal;
    }
  }

  /** Returns true once content of this attempt has been passed downstream. */
  public boolean contentDelivered() {
    synchronized (lock) {
      return committed && assembler.hasContent();
    }
  }

  // ------------------------------------------------------------------ StreamListener

  /** {@inheritDoc} Starts the idle watchdog; a non-2xx status ends the attempt as rejected. */
  @Override
  public void onResponse(ProviderResponse r) {
    Runnable end = null;
    synchronized (lock) {
      if (terminal || r == null) {
        return;
      }
      long now = ticker.read();
      response = r;
      headersAt = now;
      lastEventAt = now;
      lastProgressAt = now;
      observer.onHeaders(r);
      if (r.status() < 200 || r.status() >= 300) {
        end = finish(StreamOutcome.Kind.REJECTED, r.error().orElse(null), null, false);
      } else {
        rearm(now);
      }
    }
    run(end);
  }

  /** {@inheritDoc} Buffers, forwards, assembles and reports usage as described on the class. */
  @Override
  public void onEvent(StreamEvent event) {
    Runnable end = null;
    synchronized (lock) {
      if (terminal || event == null) {
        return;
      }
      long now = ticker.read();
      if (headersAt < 0) {
        headersAt = now;
        lastProgressAt = now;
      }
      lastEventAt = now;
      if (event instanceof StreamEvent.Ping) {
        return;
      }
      lastProgressAt = now;
      if (event instanceof StreamEvent.Error e) {
        end = finish(StreamOutcome.Kind.ERROR_EVENT, e.error(), null, true);
      } else {
        assembler.accept(event);
        reportUsage();
        end = forward(event, now);
        if (end == null && assembler.isComplete()) {
          end = flushAndComplete();
        }
      }
    }
    run(end);
  }

  /** {@inheritDoc} A clean end without {@code message_stop} counts as a broken stream. */
  @Override
  public void onComplete() {
    Runnable end;
    synchronized (lock) {
      if (terminal) {
        return;
      }
      end = assembler.isComplete() ? flushAndComplete()
          : finish(StreamOutcome.Kind.BROKEN, null, new TransportException(
              TransportException.Kind.INCOMPLETE_STREAM, "stream ended before message_stop"), false);
    }
    run(end);
  }

  /** {@inheritDoc} Classified as timeout, cancellation or broken by the failure's kind. */
  @Override
  public void onFailure(TransportException failure) {
    Runnable end;
    synchronized (lock) {
      if (terminal) {
        return;
      }
      TransportException.Kind k = failure == null ? TransportException.Kind.IO : failure.kind();
      StreamOutcome.Kind kind = switch (k) {
        case TIMEOUT -> StreamOutcome.Kind.TIMEOUT;
        case CANCELLED -> StreamOutcome.Kind.CANCELLED;
        default -> StreamOutcome.Kind.BROKEN;
      };
      end = finish(kind, null, failure, false);
    }
    run(end);
  }

  // ------------------------------------------------------------------ internals (under lock)

  private Runnable forward(StreamEvent event, long now) {
    if (committed) {
      return deliver(event);
    }
    if (event instanceof StreamEvent.ContentBlockDelta d && d.isContent()) {
      committed = true;
      firstContentAt = now;
      buffer.add(event);
      return flush();
    }
    buffer.add(event);
    return null;
  }

  private Runnable flush() {
    committed = true;
    List<StreamEvent> pending = List.copyOf(buffer);
    buffer.clear();
    for (StreamEvent e : pending) {
      Runnable end = deliver(e);
      if (end != null) {
        return end;
      }
    }
    return null;
  }

  private Runnable deliver(StreamEvent event) {
    try {
      downstream.accept(event);
      return null;
    } catch (RuntimeException e) {
      return finish(StreamOutcome.Kind.HANDLER_FAILED, null, e, true);
    }
  }

  private Runnable flushAndComplete() {
    Runnable end = committed ? null : flush();
    return end != null ? end : finish(StreamOutcome.Kind.COMPLETE, null, null, false);
  }

  private void reportUsage() {
    Usage total = assembler.usage();
    if (total.equals(reported)) {
      return;
    }
    Usage increment = new Usage(
        Math.max(0, total.inputTokens() - reported.inputTokens()),
        Math.max(0, total.outputTokens() - reported.outputTokens()),
        Math.max(0, total.cacheCreationInputTokens() - reported.cacheCreationInputTokens()),
        Math.max(0, total.cacheReadInputTokens() - reported.cacheReadInputTokens()),
        Math.max(0, total.cacheCreation5mInputTokens() - reported.cacheCreation5mInputTokens()),
        Math.max(0, total.cacheCreation1hInputTokens() - reported.cacheCreation1hInputTokens()),
        total.serviceTier());
    reported = total;
    observer.onUsage(increment, total);
  }

  /** Decides the outcome; returns what to run once the lock is released. */
  private Runnable finish(StreamOutcome.Kind kind, ApiError error, Throwable failure,
      boolean cancelCall) {
    terminal = true;
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
    buffer.clear();
    MessageResponse message = assembler.hasStarted() ? assembler.message() : null;
    StreamOutcome outcome = new StreamOutcome(kind, committed && assembler.hasContent(), message,
        assembler.usage(), response, error, failure);
    StreamCall toCancel = null;
    if (cancelCall) {
      if (call != null) {
        toCancel = call;
      } else {
        cancelOnAttach = true;
      }
    }
    StreamCall c = toCancel;
    return () -> {
      if (c != null) {
        c.cancel();
      }
      observer.onOutcome(outcome);
    };
  }

  private static void run(Runnable end) {
    if (end != null) {
      end.run();
    }
  }

  // ------------------------------------------------------------------ watchdogs

  private void rearm(long now) {
    long due = expiry().at;
    if (timer != null && timerDue <= due) {
      return;
    }
    if (timer != null) {
      timer.cancel();
    }
    timerDue = due;
    timer = scheduler.schedule(this::check, Math.max(0, due - now));
  }

  private void check() {
    Runnable end = null;
    synchronized (lock) {
      if (terminal) {
        return;
      }
      timer = null;
      long now = ticker.read();
      Expiry e = expiry();
      if (now - e.at >= 0) {
        end = finish(StreamOutcome.Kind.TIMEOUT, null,
            new StreamTimeoutException(e.phase, e.limit), true);
      } else {
        rearm(now);
      }
    }
    run(end);
  }

  private record Expiry(long at, StreamTimeoutException.Phase phase, Duration limit) {}

  private Expiry expiry() {
    Expiry best = null;
    if (headersAt < 0) {
      best = new Expiry(startNanos + timeouts.firstByte().toNanos(),
          StreamTimeoutException.Phase.FIRST_BYTE, timeouts.firstByte());
    }
    if (firstContentAt < 0) {
      best = earlier(best, new Expiry(startNanos + timeouts.firstToken().toNanos(),
          StreamTimeoutException.Phase.FIRST_TOKEN, timeouts.firstToken()));
    }
    if (headersAt >= 0) {
      long idle = timeouts.idle().toNanos();
      long byEvent = lastEventAt + idle;
      long byProgress = lastProgressAt + idle + timeouts.pingAllowance().toNanos();
      best = earlier(best, new Expiry(Math.min(byEvent, byProgress),
          StreamTimeoutException.Phase.IDLE,
          byEvent <= byProgress ? timeouts.idle() : timeouts.idle().plus(timeouts.pingAllowance())));
    }
    if (hasDeadline) {
      Expiry d = new Expiry(deadline, StreamTimeoutException.Phase.DEADLINE,
          Duration.ofNanos(Math.max(0, deadline - startNanos)));
      best = best == null || d.at - best.at <= 0 ? d : best;
    }
    return best;
  }

  private static Expiry earlier(Expiry a, Expiry b) {
    return a == null || b.at - a.at < 0 ? b : a;
  }

  /**
   * Builds {@link StreamGate}s. Defaults: {@link StreamTimeouts#DEFAULT}, no deadline, events
   * dropped, outcome ignored — set at least {@link #downstream} and {@link #observer}. Not
   * thread-safe.
   */
  public static final class Builder {
    private final Ticker ticker;
    private final Scheduler scheduler;
    private StreamTimeouts timeouts = StreamTimeouts.DEFAULT;
    private long deadline;
    private Consumer<StreamEvent> downstream = e -> { };
    private Observer observer = o -> { };
    private boolean hasDeadline;

    private Builder(Ticker ticker, Scheduler scheduler) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** Sets the watchdogs; default {@link StreamTimeouts#DEFAULT}. */
    public Builder timeouts(StreamTimeouts timeouts) {
      this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
      return this;
    }

    /**
     * Sets the call's deadline as a reading of the ticker (nanoseconds); default: none. A deadline
     * already past ends the attempt as soon as the scheduler runs.
     */
    public Builder deadline(long tickerNanos) {
      this.deadline = tickerNanos;
      this.hasDeadline = true;
      return this;
    }

    /** Sets where events go once the attempt has produced content (the caller's stream). */
    public Builder downstream(Consumer<StreamEvent> downstream) {
      this.downstream = Objects.requireNonNull(downstream, "downstream");
      return this;
    }

    /** Sets who hears about headers, usage and the outcome (the router). */
    public Builder observer(Observer observer) {
      this.observer = Objects.requireNonNull(observer, "observer");
      return this;
    }

    /** Returns a new gate, not yet started. Does not change this builder. */
    public StreamGate build() {
      return new StreamGate(this);
    }
  }
}
