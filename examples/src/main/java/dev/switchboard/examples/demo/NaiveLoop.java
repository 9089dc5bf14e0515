package dev.switchboard.examples.demo;

import dev.switchboard.ModelPrice;
import dev.switchboard.spi.ApiKey;
import dev.switchboard.spi.AttemptOptions;
import dev.switchboard.spi.ProviderResponse;
import dev.switchboard.spi.StreamCall;
import dev.switchboard.spi.StreamEvent;
import dev.switchboard.spi.StreamListener;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.TransportException;
import dev.switchboard.spi.Usage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baseline: the retry loop of the tutorials, over the same keys and the same HTTP transport as
 * the router. Each call takes the next key round-robin and the primary model, and keeps them: on a
 * 429 it waits {@code retry-after} (1 s when absent) and tries again, up to 5 times; on any other
 * error (5xx, 529, 401, a timeout, a broken stream) it waits 1 s, 2 s, 4 s (the demo's backoff base
 * of 1 s, doubled) and tries again, up to 3 times. A streamed call streams each attempt through
 * the transport; when an attempt breaks, the whole request is sent again, so a caller that had
 * already seen part of the answer sees it start over. It knows nothing of organizations, budgets,
 * deadlines, fallbacks or stream watchdogs (the transport's 30 s timeouts only). Waits are
 * scheduled, not slept, so a waiting call holds no thread. Thread-safe.
 */
final class NaiveLoop implements Driver.Client {
  static final int MAX_RATE_LIMIT_RETRIES = 5;
  static final int MAX_ERROR_RETRIES = 3;
  /** The timeout of one attempt, as tutorials set it. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  /** The first wait after an error other than a 429, doubled for each retry. */
  static final Duration ERROR_BACKOFF = Duration.ofSeconds(1);

  private final Transport transport;
  private final List<ApiKey> keys;
  private final Tally tally;
  private final ScheduledExecutorService timer;
  private final Duration errorBackoff;
  private final AtomicLong next = new AtomicLong();

  NaiveLoop(Transport transport, List<ApiKey> keys, Tally tally, ScheduledExecutorService timer,
      Duration errorBackoff) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("keys must not be empty");
    }
    this.transport = transport;
    this.keys = List.copyOf(keys);
    this.tally = tally;
    this.timer = timer;
    this.errorBackoff = errorBackoff;
  }

  @Override
  public CompletableFuture<Driver.Ending> call(Workload.CallSpec spec) {
    ApiKey key = keys.get((int) (next.getAndIncrement() % keys.size()));
    CompletableFuture<Driver.Ending> result = new CompletableFuture<>();
    Seen seen = spec.stream() ? new Seen(System.nanoTime()) : null;
    attempt(spec, key, 0, 0, seen, result);
    if (seen == null) {
      return result;
    }
    return result.thenApply(e -> e.streamed(seen.streamed()));
  }

  /** How one attempt ended. */
  private record Tried(boolean ok, boolean rateLimited, Optional<Duration> retryAfter,
      double cost, String failure) {}

  private void attempt(Workload.CallSpec spec, ApiKey key, int rateLimitRetries, int errorRetries,
      Seen seen, CompletableFuture<Driver.Ending> result) {
    if (result.isDone()) {
      return;
    }
    long started = System.nanoTime();
    CompletableFuture<Tried> f;
    try {
      f = seen != null ? streamOnce(spec, key, seen) : sendOnce(spec, key);
    } catch (RuntimeException ex) {
      f = CompletableFuture.failedFuture(ex);
    }
    CompletableFuture<Tried> inFlight = f;
    result.whenComplete((r, ex) -> {
      if (result.isCancelled()) {
        inFlight.cancel(true); // the driver gave up on this call at the run's cap
      }
    });
    f.whenComplete((tried, err) -> {
      long nanos = System.nanoTime() - started;
      Tried t = tried != null ? tried
          : new Tried(false, false, Optional.empty(), 0, "network error");
      tally.attempts.increment();
      if (t.rateLimited()) {
        tally.rateLimitedAttempts.increment();
      }
      tally.row(key.alias(), spec.request().model()).attempt(t.ok(), t.rateLimited(), nanos);
      if (t.ok()) {
        result.complete(Driver.Ending.ok(false, t.cost()));
      } else if (t.rateLimited()) {
        if (rateLimitRetries >= MAX_RATE_LIMIT_RETRIES) {
          result.complete(Driver.Ending.failed("429 after " + MAX_RATE_LIMIT_RETRIES + " retries"));
          return;
        }
        Duration wait = t.retryAfter().orElse(Duration.ofSeconds(1));
        later(wait, () -> attempt(spec, key, rateLimitRetries + 1, errorRetries, seen, result));
      } else {
        if (errorRetries >= MAX_ERROR_RETRIES) {
          result.complete(Driver.Ending.failed(t.failure()));
          return;
        }
        later(errorBackoff.multipliedBy(1L << errorRetries),
            () -> attempt(spec, key, rateLimitRetries, errorRetries + 1, seen, result));
      }
    });
  }

  private CompletableFuture<Tried> sendOnce(Workload.CallSpec spec, ApiKey key) {
    CompletableFuture<ProviderResponse> sent = transport.send(key, spec.request(), options());
    CompletableFuture<Tried> out = sent.handle((resp, err) -> resp == null ? null
        : tried(resp, spec, resp.message().map(m -> m.usage()).orElse(Usage.ZERO)));
    out.whenComplete((t, ex) -> {
      if (out.isCancelled()) {
        sent.cancel(true); // closes the HTTP call
      }
    });
    return out;
  }

  private static Tried tried(ProviderResponse resp, Workload.CallSpec spec, Usage usage) {
    if (resp.isSuccess()) {
      return new Tried(true, false, Optional.empty(),
          ModelPrice.builtIn(spec.request().model()).cost(usage), null);
    }
    boolean limited = resp.status() == 429;
    return new Tried(false, limited, resp.rateLimits().retryAfter(), 0, "HTTP " + resp.status());
  }

  /**
   * Streams one attempt: a success needs {@code message_stop}; a non-2xx status is handled as for
   * a plain call; an {@code error} event or a broken connection is an error like any other.
   */
  private CompletableFuture<Tried> streamOnce(Workload.CallSpec spec, ApiKey key, Seen seen) {
    CompletableFuture<Tried> out = new CompletableFuture<>();
    StreamCall call = transport.stream(key, spec.request(), options(), new StreamListener() {
      private ProviderResponse head;
      private Usage usage = Usage.ZERO;
      private boolean content;
      private boolean stopped;
      private String error;

      @Override
      public void onResponse(ProviderResponse response) {
        head = response;
      }

      @Override
      public void onEvent(StreamEvent event) {
        seen.events.incrementAndGet();
        if (event.isContent()) {
          content = true;
          seen.firstToken();
        }
        if (event instanceof StreamEvent.MessageStart s) {
          usage = s.message().usage();
        } else if (event instanceof StreamEvent.MessageDelta d) {
          usage = usage.withOutputTokens(d.usage().outputTokens());
        } else if (event instanceof StreamEvent.MessageStop) {
          stopped = true;
        } else if (event instanceof StreamEvent.Error e) {
          error = e.error().type();
        }
      }

      @Override
      public void onComplete() {
        if (head != null && !head.isSuccess()) {
          out.complete(tried(head, spec, Usage.ZERO));
        } else if (stopped && error == null) {
          out.complete(new Tried(true, false, Optional.empty(),
              ModelPrice.builtIn(spec.request().model()).cost(usage), null));
        } else {
          broken("stream error " + (error != null ? error : "without message_stop"));
        }
      }

      @Override
      public void onFailure(TransportException failure) {
        broken(head == null ? "network error" : "stream broken");
      }

      private void broken(String failure) {
        if (content) {
          seen.interrupted.set(true);
        }
        out.complete(new Tried(false, false, Optional.empty(), 0, failure));
      }
    });
    out.whenComplete((t, ex) -> {
      if (out.isCancelled()) {
        call.cancel();
      }
    });
    return out;
  }

  private static AttemptOptions options() {
    return AttemptOptions.DEFAULT.withTimeout(TIMEOUT).withReadTimeout(TIMEOUT);
  }

  private void later(Duration wait, Runnable r) {
    try {
      timer.schedule(r, wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException ex) {
      // the run is over
    }
  }

  /** What the caller of one streamed call saw, over all its attempts. */
  private static final class Seen {
    final long startNanos;
    final AtomicLong events = new AtomicLong();
    final AtomicLong firstTokenNanos = new AtomicLong(Driver.Streamed.NO_TOKEN);
    final AtomicBoolean interrupted = new AtomicBoolean();

    Seen(long startNanos) {
      this.startNanos = startNanos;
    }

    void firstToken() {
      if (firstTokenNanos.get() == Driver.Streamed.NO_TOKEN) {
        firstTokenNanos.compareAndSet(Driver.Streamed.NO_TOKEN, System.nanoTime() - startNanos);
      }
    }

    Driver.Streamed streamed() {
      return new Driver.Streamed(firstTokenNanos.get(), events.get(), interrupted.get(), false);
    }
  }
}
