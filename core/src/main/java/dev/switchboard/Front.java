package dev.switchboard;

import dev.switchboard.admission.AdmissionRejectedException;
import dev.switchboard.admission.AdmissionRequest;
import dev.switchboard.admission.Permit;
import dev.switchboard.cache.CacheKeys;
import dev.switchboard.spi.BreakerPermit;
import dev.switchboard.spi.BreakerState;
import dev.switchboard.spi.CachedResponse;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.Outcome;
import dev.switchboard.spi.RouterEvent;
import dev.switchboard.stream.StreamDelivery;
import dev.switchboard.stream.StreamStats;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The front of one call: the user's breaker, the response cache, single-flight and admission
 * before the attempt loop ({@link Call}); degraded answers, the user breaker's verdict and the
 * {@code CallFinished} event after it. Each path settles the user breaker's permit exactly once
 * (cancellation too) and the admission permit is released by the {@link Call} that holds it.
 */
final class Front {
  static final String CACHE_ALIAS = "(cache)";
  static final String FALLBACK_ALIAS = "(fallback)";

  private final Engine e;
  private final long id;
  private final MessageRequest request;
  private final CallOptions options;
  private final String tenant;
  private final String user;
  private final long start;
  private final long estimatedInput;
  final CompletableFuture<RoutedResponse> result = new CompletableFuture<>();
  private final AtomicBoolean settled = new AtomicBoolean();
  private String userBreaker;
  private BreakerPermit userPermit;
  /** The attempt loop run for this caller; null when served by the cache or another's flight. */
  private volatile Call call;
  /** The caller's end of a stream; null for {@code send}. */
  private final StreamDelivery delivery;

  Front(Engine e, long id, MessageRequest request, CallOptions options, StreamDelivery delivery) {
    this.e = e;
    this.delivery = delivery;
    this.id = id;
    this.request = request;
    this.options = options;
    this.tenant = options.effectiveTenant();
    this.user = options.userId();
    this.start = e.ticker.read();
    long est;
    try {
      est = Math.max(1, e.estimator.estimateInputTokens(request));
    } catch (RuntimeException ex) {
      Engine.LOG.warn("TokenEstimator {} threw {}; reserving 1 input token",
          e.estimator.getClass().getName(), ex.getClass().getName());
      est = 1;
    }
    this.estimatedInput = est;
  }

  CompletableFuture<RoutedResponse> start() {
    e.calls.incrementAndGet();
    if (e.userBreakerConfig != null && user != null) {
      String name = options.userBreakerName();
      BreakerPermit p = e.breakers.tryAcquire(name, e.userBreakerConfig);
      if (p.changed()) {
        e.listener.emit(new RouterEvent.BreakerStateChanged(name, p.previous(), p.state()));
      }
      if (!p.permitted()) {
        end(null, new UserCircuitOpenException(user, p.retryAfter()), false, false);
        return result;
      }
      userBreaker = name;
      userPermit = p;
    }
    String cacheKey = cacheKey();
    CompletableFuture<RoutedResponse> inner;
    boolean shared = false;
    if (cacheKey != null) {
      CachedResponse hit = lookup(cacheKey, false);
      if (hit != null && hit.fresh()) {
        end(fromCache(hit.response(), false), null, true, false);
        return result;
      }
      boolean[] leader = {false};
      inner = e.flights.execute(cacheKey, () -> {
        leader[0] = true;
        CompletableFuture<RoutedResponse> routed = routed(false);
        CompletableFuture<RoutedResponse> stored = routed.thenApply(r -> store(cacheKey, r));
        cancelWith(stored, routed);
        return stored;
      });
      shared = !leader[0];
    } else {
      inner = routed(true);
    }
    boolean follower = shared;
    result.whenComplete((r, ex) -> {
      if (ex instanceof CancellationException) {
        inner.cancel(false);
        releaseUser();
        if (delivery != null && !delivery.isDone()) {
          delivery.cancel();
          streamFinished(RouterEvent.StreamEnd.CANCELLED, null, null, false);
        }
      }
    });
    if (cacheKey != null || e.admission != null) {
      inner.whenComplete((r, ex) -> onRouted(r, ex, cacheKey, follower));
    } // else the call reports to onRouted itself
    return result;
  }

  private String cacheKey() {
    if (delivery != null || e.cachePolicy == null || !e.cachePolicy.isCacheable(request, options.cacheable())) {
      return null;
    }
    List<String> chain = e.tiers.stream().map(ModelTier::model).toList();
    return CacheKeys.key(e.cachePolicy.scopeFor(tenant), chain, request);
  }

  /**
   * Admission (when configured), then the attempt loop.
   *
   * @param direct true when the call, without admission, is to report its end straight to {@link
   *     #onRouted} (no cache key); false to listen on the returned future
   */
  private CompletableFuture<RoutedResponse> routed(boolean direct) {
    if (e.admission == null) {
      Call c = new Call(e, id, request, options, start, estimatedInput, null, delivery);
      call = c;
      if (direct) {
        c.owner = this;
      }
      c.start();
      return c.result;
    }
    long output = request.maxTokens();
    Duration d = options.deadline() != null ? options.deadline() : e.defaultDeadline;
    long deadline = start + Call.saturatedNanos(d);
    double estimatedCost = e.price(e.tiers.get(0).model()).estimate(estimatedInput, output);
    AdmissionRequest ar = new AdmissionRequest(tenant, options.priority(), estimatedInput + output,
        estimatedCost, deadline);
    CompletableFuture<RoutedResponse> out = new CompletableFuture<>();
    CompletableFuture<Permit> admitted = e.admission.acquire(ar);
    admitted.whenComplete((permit, ex) -> {
      if (ex != null) {
        Throwable cause = unwrap(ex);
        out.completeExceptionally(cause instanceof AdmissionRejectedException are
            ? new AdmissionDeniedException(are) : cause);
        return;
      }
      if (out.isDone()) {
        permit.releaseUnused();
        return;
      }
      Call c = new Call(e, id, request, options, start, estimatedInput, permit, delivery);
      call = c;
      c.result.whenComplete((r, x) -> {
        if (r != null) {
          out.complete(r);
        } else {
          out.completeExceptionally(unwrap(x));
        }
      });
      c.start();
      if (out.isCancelled()) {
        c.result.cancel(false);
      }
    });
    out.whenComplete((r, ex) -> {
      if (ex instanceof CancellationException) {
        admitted.cancel(false);
        Call c = call;
        if (c != null) {
          c.result.cancel(false);
        }
      }
    });
    return out;
  }

  void onRouted(RoutedResponse r, Throwable ex, String cacheKey, boolean follower) {
    if (result.isDone()) {
      return;
    }
    if (r != null) {
      if (follower) {
        r = new RoutedResponse(r.response(), r.model(), r.keyAlias(), List.of(), r.fellBack(),
            Duration.ZERO, r.degraded(), true, 0.0);
      }
      end(r, null, follower, false);
      return;
    }
    Throwable cause = unwrap(ex);
    if (delivery == null && options.allowDegraded() && degradable(cause)) {
      CachedResponse stale = cacheKey == null ? null : lookup(cacheKey, true);
      if (stale != null) {
        end(fromCache(stale.response(), true), null, true, true);
        return;
      }
      if (options.fallback() != null) {
        MessageResponse m = null;
        try {
          m = options.fallback().apply(request);
        } catch (RuntimeException fx) {
          Engine.LOG.warn("Switchboard call {}: the fallback function threw {}", id,
              fx.getClass().getName());
        }
        if (m != null) {
          List<AttemptRecord> attempts = cause instanceof SwitchboardException se ? se.attempts()
              : List.of();
          end(new RoutedResponse(m, e.tiers.get(0).model(), FALLBACK_ALIAS, attempts, false,
              Duration.ZERO, true, false, 0.0), null, false, true);
          return;
        }
      }
    }
    end(null, cause, false, false);
  }

  /** Errors after which a degraded answer may stand in: no route could answer in time. */
  private static boolean degradable(Throwable cause) {
    return cause instanceof NoRouteException || cause instanceof BudgetExhaustedException
        || cause instanceof RetriesExhaustedException || cause instanceof DeadlineExceededException
        || cause instanceof AdmissionDeniedException;
  }

  private RoutedResponse fromCache(MessageResponse m, boolean degraded) {
    String model = m.model() != null ? m.model() : e.tiers.get(0).model();
    return new RoutedResponse(m, model, CACHE_ALIAS, List.of(), false, Duration.ZERO, degraded, true,
        0.0);
  }

  private CachedResponse lookup(String key, boolean allowStale) {
    try {
      return e.responses.get(key, allowStale).orElse(null);
    } catch (RuntimeException ex) {
      Engine.LOG.warn("Switchboard response cache lookup failed: {}", ex.getClass().getName());
      return null;
    }
  }

  private RoutedResponse store(String key, RoutedResponse r) {
    if (e.cachePolicy.isStorable(r.response())) {
      try {
        e.responses.put(key, r.response(), e.cachePolicy.ttl(), e.cachePolicy.staleFor());
      } catch (RuntimeException ex) {
        Engine.LOG.warn("Switchboard response cache store failed: {}", ex.getClass().getName());
      }
    }
    return r;
  }

  /**
   * Ends the call once: settles the user's breaker, emits {@code CallFinished}, completes the
   * result.
   *
   * @param substitute true for a stale or fallback answer standing in for a real one
   */
  private void end(RoutedResponse r, Throwable ex, boolean cached, boolean substitute) {
    if (!settled.compareAndSet(false, true)) {
      return;
    }
    if (userPermit != null) {
      if (r != null && !substitute) {
        recordUser(false);
      } else if (isUserFault(ex)) {
        recordUser(true);
      } else {
        e.breakers.release(userBreaker, e.userBreakerConfig, userPermit);
      }
    }
    long latency = e.ticker.read() - start;
    Call c = call;
    List<AttemptRecord> attempts = r != null ? r.attempts()
        : ex instanceof SwitchboardException se ? se.attempts()
        : c != null ? c.attemptsSoFar() : List.of();
    AttemptRecord last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
    Outcome outcome = r != null ? Outcome.SUCCESS
        : last != null ? last.outcome()
        : ex instanceof UserCircuitOpenException ? Outcome.REQUEST_INVALID
        : ex instanceof AdmissionDeniedException ? Outcome.RATE_LIMITED : Outcome.NETWORK;
    String model = r != null ? r.model() : last != null ? last.model() : e.tiers.get(0).model();
    String alias = r != null ? r.keyAlias() : last != null ? last.keyAlias() : null;
    boolean fellBack = r != null ? r.fellBack() : c != null && c.fellBack();
    if (delivery != null) {
      // the handler's terminal call comes before the future completes
      if (r != null) {
        delivery.complete(r.continued());
        streamFinished(RouterEvent.StreamEnd.COMPLETE, model, alias, r.continued());
      } else {
        boolean afterContent = delivery.hasContent();
        delivery.fail(ex);
        streamFinished(afterContent ? RouterEvent.StreamEnd.INTERRUPTED
            : RouterEvent.StreamEnd.FAILED, model, alias, false);
      }
    }
    e.listener.emit(new RouterEvent.CallFinished(id, user, model, alias, r != null, outcome,
        attempts.size(), latency, fellBack, cached, r != null && r.degraded()));
    if (r != null) {
      if (!cached && !substitute) {
        e.costs.add(tenant, r.keyAlias(), r.model(), r.cost());
      }
      result.complete(r);
    } else {
      result.completeExceptionally(ex);
    }
  }

  private void streamFinished(RouterEvent.StreamEnd end, String model, String alias,
      boolean continued) {
    StreamStats st = delivery.stats();
    e.listener.emit(new RouterEvent.StreamFinished(id, model, alias,
        st.timeToFirstToken().map(Duration::toNanos).orElse(-1L), delivery.usage().outputTokens(),
        st.outputTokensPerSecond(), st.totalDuration().toNanos(), end, continued));
  }

  /** A call that ended on a request fault or a prompt too long: the user's doing. */
  private static boolean isUserFault(Throwable ex) {
    if (!(ex instanceof SwitchboardException se) || se.attempts().isEmpty()) {
      return false;
    }
    Outcome last = se.attempts().get(se.attempts().size() - 1).outcome();
    return last == Outcome.REQUEST_INVALID || last == Outcome.CONTEXT_OVERFLOW;
  }

  private void recordUser(boolean failure) {
    BreakerState before = e.breakers.state(userBreaker, e.userBreakerConfig);
    BreakerState after = e.breakers.record(userBreaker, e.userBreakerConfig, userPermit, failure);
    if (after != before) {
      e.listener.emit(new RouterEvent.BreakerStateChanged(userBreaker, before, after));
    }
  }

  private void releaseUser() {
    if (settled.compareAndSet(false, true) && userPermit != null) {
      e.breakers.release(userBreaker, e.userBreakerConfig, userPermit);
    }
  }

  private static void cancelWith(CompletableFuture<?> derived, CompletableFuture<?> source) {
    derived.whenComplete((r, ex) -> {
      if (ex instanceof CancellationException) {
        source.cancel(false);
      }
    });
  }

  static Throwable unwrap(Throwable ex) {
    Throwable t = ex;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return Objects.requireNonNullElse(t, ex);
  }
}
