package dev.switchboard;

import dev.switchboard.admission.Permit;
import dev.switchboard.budget.ModelPools;
import dev.switchboard.retry.Cooldowns;
import dev.switchboard.schedule.Scheduler;
import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.BreakerState;
import dev.switchboard.spi.Demand;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.Outcome;
import dev.switchboard.spi.ProviderResponse;
import dev.switchboard.spi.RateLimitInfo;
import dev.switchboard.spi.RouteClaim;
import dev.switchboard.spi.RouteGrant;
import dev.switchboard.spi.RouteSettlement;
import dev.switchboard.spi.RouterEvent;
import dev.switchboard.spi.TransportException;
import dev.switchboard.spi.Verdict;
import dev.switchboard.spi.ApiError;
import dev.switchboard.spi.AttemptOptions;
import dev.switchboard.spi.StreamEvent;
import dev.switchboard.spi.Usage;
import dev.switchboard.stream.Continuation;
import dev.switchboard.stream.StreamDelivery;
import dev.switchboard.stream.StreamGate;
import dev.switchboard.stream.StreamInterruptedException;
import dev.switchboard.stream.StreamOutcome;
import dev.switchboard.stream.StreamTimeoutException;
import dev.switchboard.stream.StreamTimeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * One call's attempt loop: plan → acquire → attempt → settle → (plan again | wait | end). Runs on
 * the caller's thread for the first plan, then on transport callback and scheduler threads; never
 * blocks. Every method that touches the call's state holds the call's monitor.
 */
final class Call {
  private static final RouteSettlement.Verdict RECORD_SUCCESS = RouteSettlement.Verdict.SUCCESS;
  private static final RouteSettlement.Verdict RECORD_FAILURE = RouteSettlement.Verdict.FAILURE;
  private static final RouteSettlement.Verdict RELEASE = RouteSettlement.Verdict.RELEASE;
  private final Engine e;
  private final long id;
  private final MessageRequest request;
  private final String userId;
  private final long start;
  private final long deadline;
  private final int maxAttempts;
  private final long attemptTimeoutNanos;
  private final long estimatedInput;
  private final String tenant;
  private final Permit permit;
  private final String affinityKey;
  private final long affinityTtl;
  /** The organization this call prefers (its conversation's pin); null once that failed. */
  private String pinnedOrg;
  private long settledTokens;
  private double cost;
  final CompletableFuture<RoutedResponse> result = new CompletableFuture<>();
  /**
   * The front told directly when this call ends (set before {@link #start}); null when the front
   * listens on {@link #result} instead (admission, a shared cache flight).
   */
  Front owner;

  private final List<AttemptRecord> attempts = new ArrayList<>(2);
  /** Routes this call will not use again (a network failure on them); null until the first. */
  private Set<String> excludedRoutes;
  /** Per tier, server errors seen in this call; null until the first. */
  private int[] serverErrors;
  /** Per tier, true when this call skips the tier; null until a tier is skipped. */
  private boolean[] skippedTiers;
  /** What one attempt reserves (the same for every attempt of the call). */
  private final Demand demand;
  /** Per tier, the routes this call's tenant may use (static, health not checked). */
  private final List<List<RouteCandidate>> tenantRoutes;
  private int overflowWindow = -1;
  private int backoffRetries;
  private int lastTier = -1;
  private long waitedNanos;
  private boolean fellBack;
  private boolean degraded;
  private InFlight current;
  private Scheduler.Cancellable wake;
  private boolean awaitingProbe;
  /** The caller's end of a stream; null for {@code send}. */
  private final StreamDelivery delivery;
  private final StreamTimeouts streamTimeouts;
  private final boolean continueInterrupted;
  /** A prepared stream attempt to start once this call's lock is released; null when none. */
  private Runnable pendingStart;
  /** Set once an interrupted answer is being continued on another route. */
  private Continuation continuation;
  /** Set when a stream failed after content and is not continued: the call ends at the next plan. */
  private StreamOutcome interrupted;
  /** True when the call ends with an error the caller made (its handler threw): passed on as is. */
  private boolean callerFailure;
  /** One plan's accumulators (under the call's monitor): see {@link #plan}. */
  private long planMinWait;
  private long planBudgetWait;
  private boolean planBusy;
  private boolean planProbing;

  Call(Engine e, long id, MessageRequest request, CallOptions options, long start,
      long estimatedInput, Permit permit, StreamDelivery delivery) {
    this.e = e;
    this.delivery = delivery;
    this.streamTimeouts = options.streamTimeouts() != null ? options.streamTimeouts()
        : e.streamTimeouts;
    this.continueInterrupted = options.continueInterrupted() != null
        ? options.continueInterrupted() : e.continueStreams;
    this.id = id;
    this.request = request;
    this.userId = options.userId();
    this.tenant = options.effectiveTenant();
    this.permit = permit;
    this.start = start;
    if (e.affinity != null) {
      this.affinityKey = Affinity.key(tenant, options.sessionKey(), request);
      this.affinityTtl = affinityKey == null ? 0 : Affinity.ttlNanos(request);
      this.pinnedOrg = affinityKey == null ? null : e.affinity.pinned(affinityKey);
    } else {
      this.affinityKey = null;
      this.affinityTtl = 0;
    }
    Duration d = options.deadline() != null ? options.deadline() : e.defaultDeadline;
    this.deadline = start + saturatedNanos(d);
    this.maxAttempts = options.maxAttempts() > 0 ? options.maxAttempts() : e.defaultMaxAttempts;
    Duration at = options.attemptTimeout() != null ? options.attemptTimeout() : e.defaultAttemptTimeout;
    this.attemptTimeoutNanos = saturatedNanos(at);
    this.estimatedInput = estimatedInput;
    this.waitedNanos = permit == null ? 0 : permit.waitedNanos();
    long out = request.maxTokens();
    if (e.outputEstimate > 0) {
      out = Math.min(out, e.outputEstimate);
    }
    this.demand = new Demand(1, estimatedInput, out);
    this.tenantRoutes = e.routesOf(tenant);
  }

  void start() {
    e.retryBudget.deposit();
    e.live.add(this);
    result.whenComplete((r, ex) -> {
      e.live.remove(this);
      if (ex instanceof CancellationException) {
        onCancelled();
      }
      releaseAdmission(r != null);
      Front f = owner;
      if (f != null) {
        f.onRouted(r, ex, null, false);
      }
    });
    planSafely();
  }

  // ---------------------------------------------------------------- planning

  private void planSafely() {
    try {
      synchronized (this) {
        if (wake != null) {
          wake.cancel();
          wake = null;
        }
        plan();
      }
      startPending();
    } catch (RuntimeException | Error ex) {
      if (ex instanceof VirtualMachineError) {
        throw ex;
      }
      Engine.LOG.error("Switchboard call {} failed unexpectedly: {}", id, ex.toString());
      StreamGate gate;
      synchronized (this) {
        gate = abandonCurrent();
        finish(null, ex);
      }
      if (gate != null) {
        gate.cancel();
      }
    }
  }

  /** Plans again after a key's probe ended, unless the call moved on meanwhile. */
  void wakeFromProbe() {
    synchronized (this) {
      if (!awaitingProbe || current != null) {
        return;
      }
      awaitingProbe = false;
    }
    planSafely();
  }

  /** Finds a route that can serve now and sends, or waits for one, or ends the call. */
  private void plan() {
    if (result.isDone()) {
      return;
    }
    awaitingProbe = false;
    if (interrupted != null) {
      finish(null, interruption(interrupted.cause()));
      return;
    }
    long now = e.ticker.read();
    if (now - deadline >= 0) {
      fail(new DeadlineExceededException("deadline of " + Duration.ofNanos(deadline - start)
          + " passed after " + attempts.size() + " attempt(s)", attempts));
      return;
    }
    if (attempts.size() >= maxAttempts) {
      fail(new RetriesExhaustedException("maxAttempts " + maxAttempts + " reached", false, attempts));
      return;
    }
    planMinWait = Long.MAX_VALUE;
    planBusy = false;
    planProbing = false;
    boolean anyTier = false;
    for (int t = 0; t < e.tiers.size(); t++) {
      ModelTier tier = e.tiers.get(t);
      if (skippedTiers != null && skippedTiers[t]
          || overflowWindow >= 0 && tier.contextWindow() <= overflowWindow) {
        continue;
      }
      anyTier = true;
      String modelBreaker = e.modelBreakers[t];
      if (e.view.breakerState(modelBreaker, e.breakerConfig) == BreakerState.OPEN) {
        degraded |= t == 0;
        continue;
      }
      List<RouteCandidate> routes = tenantRoutes.get(t);
      if (routes.isEmpty()) {
        continue;
      }
      planBudgetWait = Long.MAX_VALUE;
      // the strategy chooses among the tier's static routes first: when its choice can serve now
      // (the usual case) no other route's health is read; otherwise every eligible route is
      // collected and the strategy chooses again among those
      RouteCandidate first = null;
      int tried = NEXT;
      if (pinnedOrg == null) {
        RouteCandidate c = routes.get(chooseAmong(routes, routes));
        if (eligible(c)) {
          first = c;
          tried = tryRoute(t, c, modelBreaker);
          if (tried == SENT) {
            return;
          }
        }
      }
      if (tried != TIER_OUT) {
        List<RouteCandidate> candidates = new ArrayList<>();
        long cooldownWait = collectEligible(routes, candidates, first);
        if (cooldownWait != Long.MAX_VALUE) {
          planBusy = true;
          planMinWait = Math.min(planMinWait, cooldownWait);
        }
        while (!candidates.isEmpty()) {
          int i = choose(candidates);
          RouteCandidate c = candidates.remove(i);
          int r = tryRoute(t, c, modelBreaker);
          if (r == SENT) {
            return;
          }
          if (r == TIER_OUT) {
            break;
          }
        }
      }
      long budgetWait = planBudgetWait;
      // a later tier that can serve now beats waiting for this one, unless the wait is within
      // the router's patience for its preferred tiers
      if (budgetWait != Long.MAX_VALUE && budgetWait <= deadline - now
          && budgetWait <= e.budgetPatienceNanos) {
        waitThenPlan(budgetWait, tier.model(), true);
        return;
      }
      planMinWait = Math.min(planMinWait, budgetWait);
    }
    long minWait = planMinWait;
    boolean busy = planBusy;
    boolean probing = planProbing;
    if (probing) {
      // a key still on probation is busy with its single probe: plan again when a probe ends
      // (or at the earliest refill, or at the deadline, whichever comes first)
      awaitingProbe = true;
      e.awaitProbe(this);
      long until = minWait != Long.MAX_VALUE && minWait < deadline - now ? minWait : deadline - now;
      wake = e.scheduler.schedule(this::planSafely, until);
      return;
    }
    if (minWait != Long.MAX_VALUE && minWait < deadline - now) {
      waitThenPlan(minWait, e.tiers.get(0).model(), true);
      return;
    }
    if (!anyTier && overflowWindow >= 0) {
      AttemptRecord last = attempts.get(attempts.size() - 1);
      fail(new RequestRejectedException("the prompt is too long for every model tier (largest "
          + "context window tried: " + overflowWindow + " tokens)", Outcome.CONTEXT_OVERFLOW,
          last.status(), attempts));
    } else if (busy) {
      Duration after = minWait == Long.MAX_VALUE ? Duration.ofSeconds(Long.MAX_VALUE)
          : Duration.ofNanos(minWait);
      fail(new BudgetExhaustedException(minWait == Long.MAX_VALUE
          ? "the request (" + estimatedInput + " input tokens estimated, " + demand().outputTokens()
              + " output tokens reserved) exceeds the capacity of every route"
          : "no route has budget before the deadline; capacity returns in " + after, after, attempts));
    } else if (!attempts.isEmpty()) {
      AttemptRecord last = attempts.get(attempts.size() - 1);
      fail(new RetriesExhaustedException("no healthy route left after " + last.outcome() + " ("
          + last.reason() + ")", false, attempts));
    } else {
      fail(new NoRouteException("no usable route: every key is disabled, lacks the models "
          + modelNames() + ", or every model's breaker is open", attempts));
    }
  }

  private static final int SENT = 0;
  private static final int NEXT = 1;
  private static final int TIER_OUT = 2;

  /**
   * Claims route {@code c} of tier {@code t} and sends on it when granted ({@link #SENT}). A
   * refusal is noted in the plan's accumulators; {@link #TIER_OUT} when the tier's model breaker
   * refused (no other route of the tier can serve), else {@link #NEXT}.
   */
  private int tryRoute(int t, RouteCandidate c, String modelBreaker) {
    KeyHealth kh = e.keyHealth.get(c.keyAlias());
    if (!kh.tryEnter()) {
      planProbing = true;
      return NEXT;
    }
    BucketLimits limits = e.limits.of(c.pool);
    KeyHealth pp = null;
    if (limits.isUnknown()) {
      pp = e.poolProbation.computeIfAbsent(c.pool, p -> new KeyHealth());
      if (!pp.tryEnter()) {
        kh.exit();
        planProbing = true;
        return NEXT;
      }
    }
    // one atomic claim: the key's health, the pool's cooldown, both breakers and the budget
    RouteClaim claim = c.claim(limits, demand, e.breakerConfig);
    RouteGrant g = e.state.claimRoute(claim);
    e.emitTransitions(g.transitions());
    if (g.status() == RouteGrant.Status.GRANTED) {
      send(t, c, new Lease(e, claim, g), pp);
      return SENT;
    }
    kh.exit();
    exit(pp);
    switch (g.status()) {
      case COOLING -> {
        planBusy = true;
        planMinWait = Math.min(planMinWait, g.waitNanos());
      }
      case BUDGET_SHORT -> {
        planBusy = true;
        planBudgetWait = Math.min(planBudgetWait, g.waitNanos());
      }
      case BREAKER_OPEN -> {
        if (modelBreaker.equals(g.scope())) {
          degraded |= t == 0;
          return TIER_OUT;
        }
      }
      default -> {
        // DISABLED since the view was read: this route is out
      }
    }
    return NEXT;
  }

  /** Returns the attempts made so far (for a call that ended with a stream interruption). */
  synchronized List<AttemptRecord> attemptsSoFar() {
    return List.copyOf(attempts);
  }

  /** Returns true when the call's fell back to a later tier at some point. */
  synchronized boolean fellBack() {
    return fellBack;
  }

  /** Releases the admission permit with the real usage (success) or what was spent (failure). */
  private void releaseAdmission(boolean success) {
    if (permit == null) {
      return;
    }
    long tokens;
    double spent;
    synchronized (this) {
      tokens = settledTokens;
      spent = cost;
      if (!success && attempts.isEmpty()) {
        permit.releaseUnused();
        return;
      }
    }
    if (success) {
      permit.release(tokens, spent);
    } else {
      // attempts were sent without a usable answer: a timed-out call may still be billed, so the
      // estimate stays charged to the tenant's budgets
      permit.close();
    }
  }

  /**
   * Adds the routes of {@code routes} (one tier's, already filtered by tenant) this call may use
   * now to {@code out}, except {@code skip}; returns the shortest cooldown among those skipped for
   * one (Long.MAX_VALUE when none).
   */
  private long collectEligible(List<RouteCandidate> routes, List<RouteCandidate> out,
      RouteCandidate skip) {
    long cooldownWait = Long.MAX_VALUE;
    for (RouteCandidate c : routes) {
      if (c == skip || excluded(c) || e.view.disabledReason(c.keyScope) != null
          || e.view.disabledReason(c.keyModelScope) != null) {
        continue;
      }
      long cd = e.view.cooldownNanos(c.poolScope);
      if (cd > 0) {
        cooldownWait = Math.min(cooldownWait, cd);
        continue;
      }
      if (e.view.breakerState(c.routeBreaker, e.breakerConfig) == BreakerState.OPEN) {
        continue;
      }
      out.add(c);
    }
    return cooldownWait;
  }

  /** Returns true when {@link #collectEligible} would collect {@code c}. */
  private boolean eligible(RouteCandidate c) {
    return !excluded(c) && e.view.disabledReason(c.keyScope) == null
        && e.view.disabledReason(c.keyModelScope) == null
        && e.view.cooldownNanos(c.poolScope) <= 0
        && e.view.breakerState(c.routeBreaker, e.breakerConfig) != BreakerState.OPEN;
  }

  private boolean excluded(RouteCandidate c) {
    return excludedRoutes != null && excludedRoutes.contains(c.route);
  }

  /**
   * Chooses among the candidates of the pinned organization when there are any (prompt-cache
   * affinity), else among all.
   */
  private int choose(List<RouteCandidate> candidates) {
    if (pinnedOrg != null && candidates.size() > 1) {
      List<Integer> pinned = new ArrayList<>();
      for (int i = 0; i < candidates.size(); i++) {
        if (candidates.get(i).organization().equals(pinnedOrg)) {
          pinned.add(i);
        }
      }
      if (!pinned.isEmpty() && pinned.size() < candidates.size()) {
        List<RouteCandidate> sub = new ArrayList<>();
        for (int i : pinned) {
          sub.add(candidates.get(i));
        }
        return pinned.get(chooseAmong(sub, Collections.unmodifiableList(sub)));
      }
    }
    return chooseAmong(candidates, Collections.unmodifiableList(candidates));
  }

  /** Asks the strategy to choose among {@code candidates}, shown to it as {@code view}. */
  private int chooseAmong(List<RouteCandidate> candidates, List<RouteCandidate> view) {
    if (candidates.size() == 1) {
      return 0;
    }
    try {
      int i = e.strategy.choose(view);
      return i >= 0 && i < candidates.size() ? i : 0;
    } catch (RuntimeException ex) {
      Engine.LOG.warn("RoutingStrategy {} threw {}; taking the first candidate",
          e.strategy.getClass().getName(), ex.getClass().getName());
      return 0;
    }
  }

  private Demand demand() {
    return demand;
  }

  private void waitThenPlan(long nanos, String model, boolean budgetWait) {
    waitedNanos += nanos;
    if (budgetWait) {
      e.budgetWaits.incrementAndGet();
      e.listener.emit(new RouterEvent.BudgetWaited(id, model, nanos));
    }
    wake = e.scheduler.schedule(this::planSafely, nanos);
  }

  // ---------------------------------------------------------------- attempt

  private void exit(KeyHealth poolProbe) {
    if (poolProbe != null) {
      poolProbe.exit();
    }
  }

  private void send(int t, RouteCandidate c, Lease lease, KeyHealth poolProbe) {
    ModelTier tier = c.tier;
    if (t != lastTier && (t > 0 || lastTier > 0)) {
      String from = lastTier >= 0 ? e.tiers.get(lastTier).model() : e.tiers.get(0).model();
      if (t > 0 && !fellBack) {
        e.fallbacks.incrementAndGet();
      }
      fellBack |= t > 0;
      e.listener.emit(new RouterEvent.FellBack(id, from, tier.model(), t > 0
          ? "no route of the earlier tiers could serve now" : "the primary model can serve again"));
    }
    lastTier = t;
    int attemptNo = attempts.size() + 1;
    if (attemptNo > 1) {
      e.retries.incrementAndGet();
    }
    e.attempts.incrementAndGet();
    c.stats.inFlight.incrementAndGet();
    e.listener.emit(new RouterEvent.AttemptStarted(id, attemptNo, c.keyAlias(), c.organization(),
        tier.model(), userId));
    long now = e.ticker.read();
    long timeout = Math.max(1, Math.min(attemptTimeoutNanos, deadline - now));
    InFlight f = new InFlight(t, c, lease, now, attemptNo);
    f.poolProbe = poolProbe;
    current = f;
    if (delivery != null) {
      startStream(f, now);
      return;
    }
    CompletableFuture<ProviderResponse> future;
    try {
      AttemptOptions options = timeout == e.defaultAttemptTimeoutNanos ? e.defaultTimeoutOptions
          : e.attemptOptions.withTimeout(Duration.ofNanos(timeout));
      future = e.transport.send(c.key.key(), request.withModel(tier.model()), options);
      if (future == null) {
        future = CompletableFuture.failedFuture(
            new TransportException(TransportException.Kind.IO, "transport returned no future"));
      }
    } catch (RuntimeException ex) {
      future = CompletableFuture.failedFuture(ex);
    }
    f.future = future;
    if (future.isDone()) {
      // answered already (or failed at once): nothing left to time out
      ProviderResponse resp = null;
      Throwable err = null;
      try {
        resp = future.getNow(null);
      } catch (CancellationException | CompletionException ex) {
        err = ex;
      }
      onAttemptDone(f, resp, err);
      return;
    }
    CompletableFuture<ProviderResponse> fut = future;
    f.timer = e.scheduler.schedule(() -> {
      f.timedOut = true;
      fut.cancel(true);
    }, timeout);
    future.whenComplete((resp, err) -> onAttemptDone(f, resp, err));
  }

  /**
   * Starts one streaming attempt: a {@link StreamGate} watches it (timeouts, buffering until the
   * first content delta) and reports its outcome to {@link #onStreamDone}.
   */
  private void startStream(InFlight f, long now) {
    RouteCandidate c = f.candidate;
    MessageRequest req = (continuation != null ? continuation.request() : request)
        .withModel(c.tier.model());
    Consumer<StreamEvent> down = continuation == null ? delivery::deliver
        : continuation.stitch(delivery::deliver);
    long remaining = Math.max(1, deadline - now);
    // the transport's own timers are a backstop in real time; the gate's watchdogs decide
    AttemptOptions options = e.attemptOptions
        .withTimeout(Duration.ofNanos(Math.min(saturatedNanos(streamTimeouts.firstByte()),
            remaining)))
        .withReadTimeout(streamTimeouts.idle().plus(streamTimeouts.pingAllowance())
            .plusSeconds(5));
    StreamGate gate = StreamGate.builder(e.ticker, e.scheduler).timeouts(streamTimeouts)
        .deadline(deadline).downstream(down).observer(new AttemptObserver(f)).build();
    f.gate = gate;
    // started by whoever holds this call's lock, once it has let go of it: a transport may call
    // the gate back (and the gate this call) while holding a lock of its own, so starting or
    // cancelling a stream under this call's lock could deadlock
    pendingStart = () -> {
      if (gate.isDone()) {
        return;
      }
      delivery.attach(gate);
      gate.start(l -> e.transport.stream(c.key.key(), req, options, l));
    };
  }

  /** Starts the stream attempt that {@link #startStream} prepared, outside this call's lock. */
  private void startPending() {
    Runnable start;
    synchronized (this) {
      start = pendingStart;
      pendingStart = null;
    }
    if (start != null) {
      start.run();
    }
  }

  /** Hears one streaming attempt: usage as it arrives, then its outcome. */
  private final class AttemptObserver implements StreamGate.Observer {
    private final InFlight f;

    AttemptObserver(InFlight f) {
      this.f = f;
    }

    /**
     * Corrects the budget lease as usage arrives: the real input at {@code message_start}, and
     * output beyond the reservation. Runs under the gate's lock, so it takes no lock of the call.
     */
    @Override
    public void onUsage(Usage increment, Usage total) {
      f.streamUsage = total;
      Demand held = f.lease.reserved();
      long input = total.rateLimitedInputTokens();
      long output = Math.max(held.outputTokens(), total.outputTokens());
      if (input > 0 && (input != held.inputTokens() || output != held.outputTokens())) {
        f.lease.adjust(new Demand(held.requests(), input, output));
      }
    }

    @Override
    public void onOutcome(StreamOutcome outcome) {
      onStreamDone(f, outcome);
    }
  }

  /**
   * Turns a streaming attempt's outcome into what {@link #handle} understands. Before content
   * reached the caller, any failure is an ordinary failed attempt (retried elsewhere, invisibly).
   * After, the call either continues the answer on another route or ends interrupted.
   */
  private void onStreamDone(InFlight f, StreamOutcome o) {
    onStreamDoneLocked(f, o);
    startPending();
  }

  private synchronized void onStreamDoneLocked(InFlight f, StreamOutcome o) {
    if (f.done) {
      return;
    }
    f.done = true;
    Usage used = o.usage();
    if (o.kind() != StreamOutcome.Kind.COMPLETE
        && (used.inputTokens() > 0 || used.outputTokens() > 0)) {
      // the stream said what it used: that is what the attempt costs, the rest goes back
      f.reported = new Demand(1, used.rateLimitedInputTokens(), used.outputTokens());
    }
    ProviderResponse resp = null;
    Throwable err = null;
    Throwable terminal = null;
    switch (o.kind()) {
      case COMPLETE -> resp = completed(o);
      case REJECTED -> {
        resp = o.response().orElse(null);
        if (resp == null) {
          err = new TransportException(TransportException.Kind.IO, "rejected without a response");
        }
      }
      case ERROR_EVENT -> resp = fromErrorEvent(o);
      case TIMEOUT -> err = new TransportException(TransportException.Kind.TIMEOUT,
          o.cause().getMessage(), o.cause());
      case BROKEN -> err = o.cause();
      case CANCELLED -> terminal = new CancellationException("stream cancelled");
      case HANDLER_FAILED -> {
        terminal = o.cause();
        callerFailure = true;
      }
    }
    if (terminal == null && o.kind() != StreamOutcome.Kind.COMPLETE && o.contentDelivered()) {
      if (continueInterrupted && Continuation.isPossible(request, delivery)) {
        continuation = Continuation.of(request, delivery);
      } else {
        interrupted = o;
      }
    }
    attemptEnded(f, resp, err, terminal);
  }

  /** A synthetic 200 carrying the attempt's complete message and its headers' facts. */
  private static ProviderResponse completed(StreamOutcome o) {
    ProviderResponse headers = o.response().orElse(null);
    ProviderResponse.Builder b = ProviderResponse.builder(headers != null ? headers.status() : 200)
        .message(o.message().orElse(null));
    if (headers != null) {
      b.rateLimits(headers.rateLimits()).requestId(headers.requestId())
          .organizationId(headers.organizationId());
    }
    return b.build();
  }

  /**
   * An SSE {@code error} event as the response it would have been, had it come before the
   * stream: {@code overloaded_error} a 529, {@code rate_limit_error} a 429, and so on.
   */
  static ProviderResponse fromErrorEvent(StreamOutcome o) {
    ApiError error = o.error().orElse(ApiError.of("api_error", "error event without a body"));
    int status = switch (error.type()) {
      case "overloaded_error" -> 529;
      case "rate_limit_error" -> 429;
      case "invalid_request_error" -> 400;
      case "authentication_error" -> 401;
      case "permission_error" -> 403;
      case "not_found_error" -> 404;
      case "request_too_large" -> 413;
      case "timeout_error" -> 504;
      default -> 500;
    };
    ProviderResponse headers = o.response().orElse(null);
    ProviderResponse.Builder b = ProviderResponse.builder(status).error(error);
    if (headers != null) {
      b.rateLimits(headers.rateLimits()).requestId(headers.requestId())
          .organizationId(headers.organizationId());
    }
    return b.build();
  }

  private StreamInterruptedException interruption(Throwable cause) {
    return new StreamInterruptedException(delivery.seenMessage().orElse(null), delivery.usage(),
        cause, delivery.hasContent());
  }

  private void onAttemptDone(InFlight f, ProviderResponse resp, Throwable err) {
    onAttemptDoneLocked(f, resp, err);
    startPending();
  }

  private synchronized void onAttemptDoneLocked(InFlight f, ProviderResponse resp,
      Throwable err) {
    if (f.done) {
      return;
    }
    f.done = true;
    if (f.timer != null) {
      f.timer.cancel();
    }
    attemptEnded(f, resp, err, null);
  }

  /**
   * The common end of an attempt: slots and probes given back, then {@link #handle}, or the call
   * ended with {@code terminal} (a cancelled stream, a handler that threw).
   */
  private void attemptEnded(InFlight f, ProviderResponse resp, Throwable err, Throwable terminal) {
    f.candidate.stats.inFlight.decrementAndGet();
    // the key's slot is given back only after handle() has disabled a faulty key, so no other
    // call can take the slot of a key about to be disabled
    KeyHealth kh = e.keyHealth.get(f.candidate.keyAlias());
    KeyHealth pp = f.poolProbe;
    boolean wasProbe = !kh.proven || pp != null && !pp.proven;
    if (resp != null && !isKeyFault(resp)) {
      kh.proven = true;
      if (pp != null) {
        pp.proven = true;
      }
    }
    // a pool's probe slot is given back at once, so this call's own retry may take it
    exit(pp);
    if (current == f) {
      current = null;
    }
    try {
      if (result.isDone()) {
        release(f, Demand.NONE);
        return;
      }
      if (terminal != null) {
        release(f, Lease.KEEP);
        finish(null, terminal);
        return;
      }
      handle(f, resp, err);
      if (interrupted != null && !result.isDone()) {
        // breakers, cooldowns and budgets have learned from the failure; the caller's stream
        // ends now rather than after a backoff
        if (wake != null) {
          wake.cancel();
          wake = null;
        }
        finish(null, interruption(interrupted.cause()));
      }
    } catch (RuntimeException | Error ex) {
      if (ex instanceof VirtualMachineError) {
        throw ex;
      }
      Engine.LOG.error("Switchboard call {} failed unexpectedly: {}", id, ex.toString());
      release(f, Lease.KEEP);
      finish(null, ex);
    } finally {
      kh.exit();
      if (wasProbe) {
        e.probeEnded();
      }
    }
  }

  private void handle(InFlight f, ProviderResponse resp, Throwable err) {
    long latency = e.ticker.read() - f.started;
    RouteCandidate c = f.candidate;
    String model = c.tier.model();
    Verdict v;
    int status = 0;
    TransportException failure = null;
    if (err != null || resp == null) {
      failure = asTransportException(f, err);
      v = classify(failure);
      if (failure.getCause() instanceof StreamTimeoutException ste) {
        v = new Verdict(v.outcome(), v.retryable(), v.reason() + ": " + ste.getMessage());
      }
    } else {
      status = resp.status();
      v = classify(resp);
    }
    attempts.add(new AttemptRecord(c.keyAlias(), model, v.outcome(), status,
        Duration.ofNanos(latency), v.reason()));
    e.listener.emit(new RouterEvent.AttemptFinished(id, f.attemptNo, c.keyAlias(), model,
        v.outcome(), status, latency, v.reason()));
    if (v.outcome() != Outcome.SUCCESS && c.organization().equals(pinnedOrg)) {
      pinnedOrg = null; // re-pinned to whichever organization answers next
    }
    RateLimitInfo info = resp == null ? RateLimitInfo.NONE : resp.rateLimits();
    BucketLimits learned = info == RateLimitInfo.NONE ? null : e.limits.learn(c.pool, info);
    switch (v.outcome()) {
      case SUCCESS -> {
        MessageResponse m = resp.message().orElse(null);
        end(f, m == null ? Lease.KEEP : new Demand(1, m.usage().rateLimitedInputTokens(),
            m.usage().outputTokens()), RECORD_SUCCESS, RECORD_SUCCESS, info, learned);
        onSuccess(f, resp, latency);
      }
      case RATE_LIMITED -> {
        e.rateLimited.incrementAndGet();
        end(f, Demand.NONE, RELEASE, RELEASE, info, learned);
        safeOnResult(c, false, latency);
        coolDown(c, info, v.reason());
        retryAtOnce(v, false);
      }
      case SERVER_ERROR -> {
        // the model is at fault, not the route; its usage is unknown, so the budget stays spent
        end(f, Lease.KEEP, RECORD_FAILURE, RELEASE, info, learned);
        safeOnResult(c, false, latency);
        onServerError(f, v, resp);
      }
      case NETWORK -> {
        // a connection never made costs nothing; anything later may have been billed
        boolean neverSent = resp == null && (failure == null
            || failure.kind() == TransportException.Kind.CONNECT
            || failure.kind() == TransportException.Kind.CANCELLED);
        end(f, neverSent ? Demand.NONE : Lease.KEEP, RELEASE, RECORD_FAILURE, info,
            learned);
        safeOnResult(c, false, latency);
        if (excludedRoutes == null) {
          excludedRoutes = new HashSet<>();
        }
        excludedRoutes.add(c.route);
        retryAtOnce(v, true);
      }
      case KEY_FAULT -> {
        end(f, Demand.NONE, RELEASE, RELEASE, info, learned);
        e.disableKey(c.key, v.outcome(), v.reason());
        planOrFail();
      }
      case ORGANIZATION_FAULT -> {
        end(f, Demand.NONE, RELEASE, RELEASE, info, learned);
        e.disableOrganization(c.organization(), v.outcome(), v.reason());
        planOrFail();
      }
      case MODEL_NOT_FOUND -> {
        end(f, Demand.NONE, RELEASE, RELEASE, info, learned);
        e.health.disable(c.keyModelScope, v.reason());
        Engine.LOG.warn("Switchboard skips model '{}' for key '{}' from now on: {}", model,
            c.keyAlias(), v.reason());
        e.listener.emit(new RouterEvent.ModelDisabled(c.keyAlias(), model, v.reason()));
        planOrFail();
      }
      case CONTEXT_OVERFLOW -> {
        end(f, Demand.NONE, RELEASE, RELEASE, info, learned);
        overflowWindow = Math.max(overflowWindow, c.tier.contextWindow());
        planOrFail();
      }
      case REQUEST_INVALID -> {
        end(f, Demand.NONE, RELEASE, RELEASE, info, learned);
        if (v.retryable()) {
          backOffThenPlan(f, v, resp);
        } else {
          fail(new RequestRejectedException("the request was rejected: " + v.reason(), v.outcome(),
              status, attempts));
        }
      }
    }
  }

  /**
   * Ends the attempt's lease with one settlement; a stream that reported its usage is charged
   * exactly that, whatever {@code actual} the outcome alone would give.
   */
  private void end(InFlight f, Demand actual, RouteSettlement.Verdict model,
      RouteSettlement.Verdict route, RateLimitInfo info,
      BucketLimits learned) {
    f.lease.end(f.reported != null ? f.reported : actual, model, route, info, learned);
  }

  /** Ends an attempt that never produced an outcome: slots back, budget as {@code actual}. */
  private void release(InFlight f, Demand actual) {
    end(f, actual, RELEASE, RELEASE, RateLimitInfo.NONE, null);
  }

  private boolean isKeyFault(ProviderResponse resp) {
    Outcome o = classify(resp).outcome();
    return o == Outcome.KEY_FAULT || o == Outcome.ORGANIZATION_FAULT;
  }

  private void onSuccess(InFlight f, ProviderResponse resp, long latency) {
    RouteCandidate c = f.candidate;
    c.stats.recordLatency(latency);
    safeOnResult(c, true, latency);
    MessageResponse m = delivery != null ? delivery.seenMessage().orElse(null)
        : resp.message().orElse(null);
    if (m == null) {
      fail(new RetriesExhaustedException("HTTP " + resp.status() + " carried no message", false,
          attempts));
      return;
    }
    settledTokens = m.usage().totalInputTokens() + m.usage().outputTokens();
    cost = e.tierPrices[f.tier].cost(m.usage());
    if (affinityKey != null) {
      e.affinity.pin(affinityKey, c.organization(), affinityTtl);
    }
    // one attempt (the usual case): its immutable list directly, not a copy of the array list
    List<AttemptRecord> made = attempts.size() == 1 ? List.of(attempts.get(0)) : attempts;
    RoutedResponse r = new RoutedResponse(m, c.tier.model(), c.keyAlias(), made, f.tier > 0,
        Duration.ofNanos(waitedNanos), degraded && f.tier > 0, false, cost, continuation != null,
        delivery == null ? java.util.Optional.empty() : java.util.Optional.of(delivery.stats()));
    finish(r, null);
  }

  private void onServerError(InFlight f, Verdict v, ProviderResponse resp) {
    if (!v.retryable()) {
      fail(new RequestRejectedException("the server said not to retry: " + v.reason(), v.outcome(),
          resp == null ? 0 : resp.status(), attempts));
      return;
    }
    if (serverErrors == null) {
      serverErrors = new int[e.tiers.size()];
    }
    serverErrors[f.tier]++;
    boolean open = e.view.breakerState(f.candidate.modelBreaker, e.breakerConfig)
        == BreakerState.OPEN;
    if (open || serverErrors[f.tier] >= Engine.SERVER_ERRORS_PER_TIER) {
      if (f.tier + 1 < e.tiers.size()) {
        skipTier(f.tier);
        degraded |= f.tier == 0;
      }
    }
    if (skippedTiers != null && skippedTiers[f.tier]) {
      if (!withdrawRetry(v)) {
        return;
      }
      plan();
      return;
    }
    backOffThenPlan(f, v, resp);
  }

  private void backOffThenPlan(InFlight f, Verdict v, ProviderResponse resp) {
    if (!withdrawRetry(v)) {
      return;
    }
    long delay = e.backoff.delayNanos(backoffRetries++, e.random);
    if (resp != null) {
      RateLimitInfo info = resp.rateLimits();
      if (info.retryAfter().isPresent()) {
        long floor = Cooldowns.forRateLimit(info, e.clock.instant(), e.maxCooldown,
            Duration.ofNanos(delay), e.random).nanos();
        delay = Math.max(delay, floor);
      }
    }
    long remaining = deadline - e.ticker.read();
    if (delay >= remaining) {
      if (f.tier + 1 < e.tiers.size()) {
        skipTier(f.tier);
        plan();
      } else {
        fail(new DeadlineExceededException("the next retry (in " + Duration.ofNanos(delay)
            + ") would pass the deadline", attempts));
      }
      return;
    }
    waitThenPlan(delay, f.candidate.tier.model(), false);
  }

  private void skipTier(int t) {
    if (skippedTiers == null) {
      skippedTiers = new boolean[e.tiers.size()];
    }
    skippedTiers[t] = true;
  }

  private void retryAtOnce(Verdict v, boolean costsRetryBudget) {
    if (!v.retryable()) {
      AttemptRecord last = attempts.get(attempts.size() - 1);
      fail(new RequestRejectedException("not retried: " + v.reason(), v.outcome(), last.status(),
          attempts));
      return;
    }
    if (costsRetryBudget && !withdrawRetry(v)) {
      return;
    }
    plan();
  }

  private void planOrFail() {
    plan();
  }

  private boolean withdrawRetry(Verdict v) {
    if (attempts.size() >= maxAttempts) {
      fail(new RetriesExhaustedException("maxAttempts " + maxAttempts + " reached; last: "
          + v.reason(), false, attempts));
      return false;
    }
    if (e.retryBudget.tryWithdraw()) {
      return true;
    }
    e.listener.emit(new RouterEvent.RetryBudgetExhausted(id, v.reason()));
    Engine.LOG.warn("Switchboard retry budget exhausted; call {} fails after {}", id, v.reason());
    fail(new RetriesExhaustedException("the router's retry budget is exhausted; last: "
        + v.reason(), true, attempts));
    return false;
  }

  private void coolDown(RouteCandidate c, RateLimitInfo info, String reason) {
    Cooldowns.Cooldown cd = Cooldowns.forRateLimit(info, e.clock.instant(), e.maxCooldown,
        e.backoff.base(), e.random);
    String scope = Engine.poolScope(c.pool);
    e.health.coolDown(scope, cd.duration());
    String why = reason + " (cooldown from " + cd.source() + (cd.capped() ? ", capped" : "")
        + (info.retryAfterMalformed() ? ", malformed " + info.retryAfterRaw() : "") + ")";
    e.listener.emit(new RouterEvent.CooledDown(scope, c.keyAlias(), c.tier.model(), cd.duration(),
        why));
  }

  private void safeOnResult(RouteCandidate c, boolean success, long latency) {
    try {
      e.strategy.onResult(c, success, latency);
    } catch (RuntimeException ex) {
      Engine.LOG.warn("RoutingStrategy {} threw {} in onResult", e.strategy.getClass().getName(),
          ex.getClass().getName());
    }
  }

  private Verdict classify(ProviderResponse resp) {
    try {
      return e.classifier.classify(resp);
    } catch (RuntimeException ex) {
      return fallbackVerdict(resp.status(), ex);
    }
  }

  private Verdict classify(TransportException failure) {
    try {
      return e.classifier.classify(failure);
    } catch (RuntimeException ex) {
      return new Verdict(Outcome.NETWORK, true, failure.kind() + " (classifier threw "
          + ex.getClass().getSimpleName() + ")");
    }
  }

  private static Verdict fallbackVerdict(int status, RuntimeException ex) {
    String why = "HTTP " + status + " (classifier threw " + ex.getClass().getSimpleName() + ")";
    if (status >= 200 && status < 300) {
      return new Verdict(Outcome.SUCCESS, false, why);
    }
    return status == 429 ? new Verdict(Outcome.RATE_LIMITED, true, why)
        : status >= 500 ? new Verdict(Outcome.SERVER_ERROR, true, why)
        : new Verdict(Outcome.REQUEST_INVALID, false, why);
  }

  private static TransportException asTransportException(InFlight f, Throwable err) {
    Throwable t = err;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (f.timedOut) {
      return new TransportException(TransportException.Kind.TIMEOUT, "attempt timed out", null);
    }
    if (t instanceof TransportException te) {
      return te;
    }
    if (t instanceof CancellationException) {
      return new TransportException(TransportException.Kind.CANCELLED, "attempt cancelled", null);
    }
    return new TransportException(TransportException.Kind.IO,
        t == null ? "no response" : "transport failed: " + t.getClass().getName(), null);
  }

  // ---------------------------------------------------------------- end

  private void fail(SwitchboardException ex) {
    finish(null, ex);
  }

  private void finish(RoutedResponse r, Throwable ex) {
    if (result.isDone()) {
      return;
    }
    if (r == null && delivery != null && delivery.hasContent() && !callerFailure
        && !(ex instanceof StreamInterruptedException) && !(ex instanceof CancellationException)) {
      // content already reached the caller: whatever ended the call interrupted its answer
      ex = interruption(ex);
    }
    // the CallFinished event is emitted by the Front, which may still answer degraded
    if (r != null) {
      result.complete(r);
    } else {
      result.completeExceptionally(ex);
    }
  }

  private void onCancelled() {
    StreamGate gate;
    synchronized (this) {
      if (wake != null) {
        wake.cancel();
        wake = null;
      }
      gate = abandonCurrent();
    }
    if (gate != null) {
      gate.cancel(); // closes the connection; its outcome finds the call done
    }
  }

  /**
   * Cancels the attempt in flight, giving its budget and breaker slots back (a stream keeps what
   * it reported using). Returns the attempt's stream gate, for the caller to cancel outside this
   * call's lock.
   */
  private StreamGate abandonCurrent() {
    pendingStart = null;
    InFlight f = current;
    if (f == null) {
      return null;
    }
    current = null;
    Usage used = f.streamUsage;
    release(f, used != null && (used.inputTokens() > 0 || used.outputTokens() > 0)
        ? new Demand(1, used.rateLimitedInputTokens(), used.outputTokens()) : Demand.NONE);
    if (f.future != null) {
      f.future.cancel(true);
    }
    return f.gate;
  }

  private String modelNames() {
    List<String> names = new ArrayList<>();
    for (ModelTier t : e.tiers) {
      names.add(t.model());
    }
    return names.toString();
  }

  static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException ex) {
      return Long.MAX_VALUE / 4;
    }
  }

  /** One attempt in flight and the leases it holds. */
  private static final class InFlight {
    final int tier;
    final RouteCandidate candidate;
    final Lease lease;
    final long started;
    final int attemptNo;
    volatile CompletableFuture<ProviderResponse> future;
    volatile Scheduler.Cancellable timer;
    volatile boolean timedOut;
    /** A streaming attempt's gate; null for send. */
    volatile StreamGate gate;
    /** A streaming attempt's cumulative usage as reported so far; null before any. */
    volatile Usage streamUsage;
    KeyHealth poolProbe;
    boolean done;
    /** What a stream said it used, when it ended before completing; null otherwise. */
    Demand reported;

    InFlight(int tier, RouteCandidate candidate, Lease lease, long started, int attemptNo) {
      this.tier = tier;
      this.candidate = candidate;
      this.lease = lease;
      this.started = started;
      this.attemptNo = attemptNo;
    }
  }
}
