package dev.switchboard.examples.demo;

import dev.switchboard.CallOptions;
import dev.switchboard.NoRouteException;
import dev.switchboard.Switchboard;
import dev.switchboard.admission.Priority;
import dev.switchboard.spi.StreamEvent;
import dev.switchboard.stream.StreamHandler;
import dev.switchboard.stream.StreamInterruptedException;
import dev.switchboard.stream.StreamResult;
import dev.switchboard.stream.StreamTimeouts;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends the workload's calls through one router, or spreads them over several routers that share
 * state (the cluster mode), each call with its tenant as the user, its deadline and its attempt
 * timeout; the calls the workload marks as streamed go through {@link Switchboard#stream} with a
 * handler that counts the events and notes when the first token arrived. Thread-safe.
 */
final class RouterClient implements Driver.Client {
  /** The longest gap between two events of a simulated stream that make progress. */
  static final Duration STREAM_IDLE = Duration.ofSeconds(1);
  /** How much longer than {@link #STREAM_IDLE} pings alone may keep a simulated stream open. */
  static final Duration STREAM_PING_ALLOWANCE = Duration.ofSeconds(1);
  /** The time allowed for the first token beyond a class's attempt timeout (first byte). */
  static final Duration STREAM_FIRST_TOKEN_EXTRA = Duration.ofSeconds(1);

  private final List<Switchboard> routers;
  private final boolean perClassStreamTimeouts;

  /**
   * Returns a client over {@code routers}; with {@code perClassStreamTimeouts} each stream's
   * watchdogs follow its service class ({@link #streamTimeouts}), else the router's apply.
   */
  RouterClient(List<Switchboard> routers, boolean perClassStreamTimeouts) {
    if (routers.isEmpty()) {
      throw new IllegalArgumentException("routers must not be empty");
    }
    this.routers = List.copyOf(routers);
    this.perClassStreamTimeouts = perClassStreamTimeouts;
  }

  /**
   * Returns the options of one call of the workload: the tenant (its user breaker, cache scope and
   * fair share), the admission priority of its service class, its deadline and attempt timeout,
   * and the cache opt-in of the FAQ bots.
   */
  static CallOptions options(Workload.CallSpec spec) {
    return CallOptions.forUser(spec.tenant())
        .tenant(spec.tenant())
        .priority(priority(spec.serviceClass()))
        .cacheable(spec.cacheable())
        .deadline(spec.deadline())
        .attemptTimeout(spec.attemptTimeout());
  }

  /**
   * Returns the stream watchdogs of a call of the simulated world: the headers within the class's
   * attempt timeout (as for a plain call), the first token {@link #STREAM_FIRST_TOKEN_EXTRA} later,
   * then at most {@link #STREAM_IDLE} between tokens, stretched by {@link #STREAM_PING_ALLOWANCE}
   * while pings arrive. The simulator sends tokens without pauses, so a gap that long is a stall
   * to move away from, not a slow model.
   */
  static StreamTimeouts streamTimeouts(Workload.CallSpec spec) {
    return new StreamTimeouts(spec.attemptTimeout(),
        spec.attemptTimeout().plus(STREAM_FIRST_TOKEN_EXTRA), STREAM_IDLE, STREAM_PING_ALLOWANCE);
  }

  private static Priority priority(Workload.ServiceClass serviceClass) {
    return switch (serviceClass) {
      case INTERACTIVE -> Priority.INTERACTIVE;
      case STANDARD -> Priority.STANDARD;
      case BATCH -> Priority.BATCH;
    };
  }

  @Override
  public CompletableFuture<Driver.Ending> call(Workload.CallSpec spec) {
    Switchboard router = routers.get(spec.index() % routers.size());
    if (spec.stream()) {
      return stream(router, spec);
    }
    return router.sendAsync(spec.request(), options(spec))
        .handle((response, ex) -> ex == null ? Driver.Ending.ok(response.cached(), response.cost())
            : failure(ex));
  }

  private CompletableFuture<Driver.Ending> stream(Switchboard router, Workload.CallSpec spec) {
    CallOptions options = options(spec);
    if (perClassStreamTimeouts) {
      options = options.streamTimeouts(streamTimeouts(spec));
    }
    CountingHandler handler = new CountingHandler(System.nanoTime());
    return router.stream(spec.request(), options, handler).handle((response, ex) -> {
      Driver.Ending ending = ex == null ? Driver.Ending.ok(false, response.cost()) : failure(ex);
      boolean interrupted = ex != null && unwrap(ex) instanceof StreamInterruptedException si
          && si.contentDelivered();
      boolean continued = ex == null && response.continued();
      return ending.streamed(new Driver.Streamed(handler.timeToFirstTokenNanos(),
          handler.events.get(), interrupted, continued));
    });
  }

  private static Driver.Ending failure(Throwable ex) {
    Throwable cause = unwrap(ex);
    String name = cause.getClass().getSimpleName().replace("Exception", "");
    return new Driver.Ending(name, false, cause instanceof NoRouteException, 0.0);
  }

  private static Throwable unwrap(Throwable ex) {
    Throwable cause = ex;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /**
   * The caller's side of one demo stream: counts the events and notes the first token. The router
   * delivers one event at a time; the fields are atomic because those calls may come from
   * different threads.
   */
  private static final class CountingHandler implements StreamHandler {
    private final long startNanos;
    final AtomicLong events = new AtomicLong();
    private final AtomicLong firstTokenNanos = new AtomicLong(Driver.Streamed.NO_TOKEN);

    CountingHandler(long startNanos) {
      this.startNanos = startNanos;
    }

    @Override
    public void onEvent(StreamEvent event) {
      events.incrementAndGet();
      if (event.isContent() && firstTokenNanos.get() == Driver.Streamed.NO_TOKEN) {
        firstTokenNanos.compareAndSet(Driver.Streamed.NO_TOKEN, System.nanoTime() - startNanos);
      }
    }

    @Override
    public void onComplete(StreamResult result) {
      // the routed response carries the same facts; the driver reads them from the future
    }

    @Override
    public void onError(Throwable error) {
      // likewise: the future completes exceptionally with this error
    }

    long timeToFirstTokenNanos() {
      return firstTokenNanos.get();
    }
  }
}
