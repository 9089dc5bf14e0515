package dev.switchboard.examples.demo;

import dev.switchboard.ModelPrice;
import dev.switchboard.spi.ApiKey;
import dev.switchboard.spi.AttemptOptions;
import dev.switchboard.spi.ProviderResponse;
import dev.switchboard.spi.Transport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baseline: the retry loop of the tutorials, over the same keys and the same HTTP transport as
 * the router. Each call takes the next key round-robin and the primary model, and keeps them: on a
 * 429 it waits {@code retry-after} (1 s when absent) and tries again, up to 5 times; on any other
 * error (5xx, 529, 401, a timeout) it waits 1 s, 2 s, 4 s (the demo's backoff base of 1 s, doubled)
 * and tries again, up to 3 times. It knows
 * nothing of organizations, budgets, deadlines or fallbacks. Waits are scheduled, not slept, so a
 * waiting call holds no thread. Thread-safe.
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
    attempt(spec, key, 0, 0, result);
    return result;
  }

  private void attempt(Workload.CallSpec spec, ApiKey key, int rateLimitRetries, int errorRetries,
      CompletableFuture<Driver.Ending> result) {
    if (result.isDone()) {
      return;
    }
    long started = System.nanoTime();
    CompletableFuture<ProviderResponse> f;
    try {
      f = transport.send(key, spec.request(),
          AttemptOptions.DEFAULT.withTimeout(TIMEOUT).withReadTimeout(TIMEOUT));
    } catch (RuntimeException ex) {
      f = CompletableFuture.failedFuture(ex);
    }
    CompletableFuture<ProviderResponse> inFlight = f;
    result.whenComplete((r, ex) -> {
      if (result.isCancelled()) {
        inFlight.cancel(true); // the driver gave up on this call at the run's cap
      }
    });
    f.whenComplete((resp, err) -> {
      long nanos = System.nanoTime() - started;
      boolean ok = resp != null && resp.isSuccess();
      boolean limited = resp != null && resp.status() == 429;
      tally.attempts.increment();
      if (limited) {
        tally.rateLimitedAttempts.increment();
      }
      tally.row(key.alias(), spec.request().model()).attempt(ok, limited, nanos);
      if (ok) {
        double cost = resp.message()
            .map(m -> ModelPrice.builtIn(spec.request().model()).cost(m.usage())).orElse(0.0);
        result.complete(Driver.Ending.ok(false, cost));
      } else if (limited) {
        if (rateLimitRetries >= MAX_RATE_LIMIT_RETRIES) {
          result.complete(Driver.Ending.failed("429 after " + MAX_RATE_LIMIT_RETRIES + " retries"));
          return;
        }
        Duration wait = resp.rateLimits().retryAfter().orElse(Duration.ofSeconds(1));
        later(wait, () -> attempt(spec, key, rateLimitRetries + 1, errorRetries, result));
      } else {
        if (errorRetries >= MAX_ERROR_RETRIES) {
          result.complete(Driver.Ending.failed(resp != null ? "HTTP " + resp.status()
              : "network error"));
          return;
        }
        later(errorBackoff.multipliedBy(1L << errorRetries),
            () -> attempt(spec, key, rateLimitRetries, errorRetries + 1, result));
      }
    });
  }

  private void later(Duration wait, Runnable r) {
    try {
      timer.schedule(r, wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException ex) {
      // the run is over
    }
  }
}
