package dev.switchboard.admission;

import dev.switchboard.admission.AdmissionRejectedException.Reason;
import dev.switchboard.schedule.Scheduler;
import dev.switchboard.spi.Ticker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Admits calls in front of the router: at most {@code maxInFlight} at once, the rest waiting in a
 * bounded queue ordered by {@link Priority} and, within a class, by weighted fair share between
 * tenants; each tenant's token rate and spend cap are enforced at the same point.
 *
 * <pre>{@code
 * AdmissionController admission = AdmissionController.builder()
 *     .maxInFlight(64).maxQueued(1_000)
 *     .tenant("acme", TenantPolicy.builder().weight(2).tokensPerMinute(400_000).build())
 *     .build();
 * admission.acquire(AdmissionRequest.builder("acme").priority(Priority.INTERACTIVE)
 *         .estimatedTokens(1_200).deadlineNanos(deadline).build())
 *     .thenCompose(permit -> callTheApi().whenComplete((r, e) -> permit.release(tokens(r), cost(r))));
 * }</pre>
 *
 * <h2>Order of admission</h2>
 * Classes are strict: a waiter is admitted only while no waiter of a higher class is eligible.
 * Within a class, tenants are served by start-time fair queuing: each tenant's queue carries a
 * virtual start tag that grows by {@code 1/weight} per admission, and the eligible tenant with the
 * smallest tag goes next, so a tenant sending ten times more than the others still gets only its
 * weighted share of admissions while they wait. A tenant that was idle (or blocked on its budget)
 * re-enters at the class's current virtual time: it gets no credit for the time it did not wait.
 * Each tenant's calls of one class are admitted in arrival order.
 *
 * <h2>Waiting</h2>
 * Waiting is event-driven: {@link Permit} release hands the slot to the next eligible waiter at
 * once; a waiter whose deadline passes is removed by a timer and fails with
 * {@link Reason#DEADLINE_UNREACHABLE}; a tenant whose token bucket or spend window is short waits
 * (when the refill fits its deadline) without holding up other tenants, woken by a timer at the
 * exact refill time. Cancelling the returned future removes the waiter; a slot granted at the same
 * moment is given back. When a slot is free and the caller's tenant has no call queued in its class,
 * admission takes a few arithmetic steps under the lock and touches no queue.
 *
 * <h2>Full queue</h2>
 * When {@code maxQueued} calls wait, a newcomer displaces the newest waiter of the tenant holding
 * the most of a lower class (by queued calls per weight); failing that, the newest waiter of the
 * tenant holding the most of its own class when that tenant holds more than the newcomer's tenant
 * would after queueing. Otherwise the newcomer is rejected. Either way the loser fails with
 * {@link Reason#QUEUE_FULL}, so a noisy tenant absorbs the shedding.
 *
 * <p>Thread-safe. Futures are completed outside the lock; a caller's callbacks may re-enter the
 * controller (completions triggered on one thread are run one after the other, never nested, so
 * chained releases do not grow the stack).
 */
public final class AdmissionController implements AutoCloseable {
  private static final Priority[] PRIORITIES = Priority.values();
  private static final Reason[] REASONS = Reason.values();
  /** Completions queued on this thread while another completion of it is running. */
  private static final ThreadLocal<ArrayDeque<Runnable>> DELIVERING = new ThreadLocal<>();

  private final int maxInFlight;
  private final int maxQueued;
  private final Ticker ticker;
  private final Scheduler scheduler;
  private final TenantPolicy defaultPolicy;
  private final Map<String, TenantPolicy> policies;

  private final ReentrantLock lock = new ReentrantLock();
  // Everything below is guarded by lock.
  private final Map<String, Tenant> tenants = new HashMap<>();
  private final PriorityClass[] classes = new PriorityClass[PRIORITIES.length];
  private final long[] admitted = new long[PRIORITIES.length];
  private final long[] waitTotal = new long[PRIORITIES.length];
  private final long[] waitMax = new long[PRIORITIES.length];
  private final long[] rejected = new long[REASONS.length];
  private long cancelled;
  private int inFlight;
  private int queued;
  private long sequence;
  private boolean shutdown;

  private AdmissionController(Builder b) {
    this.maxInFlight = b.maxInFlight;
    this.maxQueued = b.maxQueued;
    this.ticker = b.ticker;
    this.scheduler = b.scheduler;
    this.defaultPolicy = b.defaultPolicy;
    this.policies = Map.copyOf(b.policies);
    for (int i = 0; i < classes.length; i++) {
      classes[i] = new PriorityClass();
    }
  }

  /** Returns a builder: 64 in flight, 1,024 queued, system ticker, shared scheduler. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the most calls admitted at once. */
  public int maxInFlight() {
    return maxInFlight;
  }

  /** Returns the most calls waiting at once. */
  public int maxQueued() {
    return maxQueued;
  }

  /** Returns the policy applied to {@code tenant}: its own, or the default. */
  public TenantPolicy policy(String tenant) {
    return policies.getOrDefault(Objects.requireNonNull(tenant, "tenant"), defaultPolicy);
  }

  /**
   * Asks to admit one call. The returned future completes with a {@link Permit} — at once when a
   * slot and the tenant's budget are free, else when they become free — or exceptionally with an
   * {@link AdmissionRejectedException}. It never completes with the caller's lock or thread held
   * by the controller. Cancelling it withdraws the call.
   *
   * @throws NullPointerException if {@code request} is null
   */
  public CompletableFuture<Permit> acquire(AdmissionRequest request) {
    Objects.requireNonNull(request, "request");
    List<Runnable> out = new ArrayList<>();
    Waiter waiter;
    lock.lock();
    try {
      Priority priority = request.priority();
      if (shutdown) {
        return reject(request, Reason.SHUTDOWN, null, "the controller is closed");
      }
      long now = ticker.read();
      if (request.hasDeadline() && request.deadlineNanos() - now <= 0) {
        return reject(request, Reason.DEADLINE_UNREACHABLE, null,
            "the deadline passed " + Duration.ofNanos(now - request.deadlineNanos()) + " ago");
      }
      Tenant tenant = tenant(request.tenant());
      long delay = tenant.readyDelay(request, now);
      if (delay == Long.MAX_VALUE) {
        String why = tenant.neverFits(request);
        forgetIfIdle(tenant, now);
        return reject(request, Reason.TENANT_BUDGET, null, why);
      }
      if (delay > 0 && request.hasDeadline() && delay > request.deadlineNanos() - now) {
        return reject(request, Reason.TENANT_BUDGET, Duration.ofNanos(delay),
            "the tenant's budget refills after the deadline");
      }
      Flow flow = tenant.flow(priority);
      if (delay == 0 && inFlight < maxInFlight && flow.waiters.isEmpty()) {
        Permit permit = admit(tenant, request, now, 0);
        return CompletableFuture.completedFuture(permit);
      }
      if (queued >= maxQueued) {
        Waiter victim = victim(tenant, priority);
        if (victim == null) {
          forgetIfIdle(tenant, now);
          return reject(request, Reason.QUEUE_FULL, null,
              "the queue holds maxQueued=" + maxQueued + " calls");
        }
        dequeue(victim, true);
        rejectLater(victim, Reason.QUEUE_FULL, null,
            "displaced from the full queue by a call of higher priority or a lesser tenant", out);
        if (victim.tenant != tenant) {
          forgetIfIdle(victim.tenant, now);
        }
      }
      waiter = new Waiter(request, tenant, flow, now);
      enqueue(waiter, now);
      dispatch(now, out);
    } finally {
      lock.unlock();
    }
    waiter.future.whenComplete((p, e) -> {
      if (e instanceof CancellationException) {
        onCancelled(waiter);
      }
    });
    deliver(out);
    return waiter.future;
  }

  /** Returns a consistent snapshot of the counters. */
  public AdmissionStats stats() {
    lock.lock();
    try {
      Map<Priority, AdmissionStats.WaitStats> waits = new EnumMap<>(Priority.class);
      for (Priority p : PRIORITIES) {
        int i = p.ordinal();
        waits.put(p, new AdmissionStats.WaitStats(admitted[i], waitTotal[i], waitMax[i]));
      }
      Map<Reason, Long> rejections = new EnumMap<>(Reason.class);
      for (Reason r : REASONS) {
        rejections.put(r, rejected[r.ordinal()]);
      }
      return new AdmissionStats(inFlight, queued, waits, rejections, cancelled);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops admitting: every waiting call fails with {@link Reason#SHUTDOWN}, as does every later
   * {@link #acquire}. Permits already granted stay valid and are released as usual. Idempotent.
   */
  @Override
  public void close() {
    List<Runnable> out = new ArrayList<>();
    lock.lock();
    try {
      if (shutdown) {
        return;
      }
      shutdown = true;
      for (Tenant t : tenants.values()) {
        for (Flow f : t.flows) {
          if (f == null) {
            continue;
          }
          while (!f.waiters.isEmpty()) {
            Waiter w = f.waiters.peekFirst();
            dequeue(w, true);
            rejectLater(w, Reason.SHUTDOWN, null, "the controller was closed", out);
          }
        }
        t.cancelWake();
      }
    } finally {
      lock.unlock();
    }
    deliver(out);
  }

  /** Returns how many tenants have state held now (queued, in flight or budget not yet refilled). */
  int trackedTenants() {
    lock.lock();
    try {
      return tenants.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    AdmissionStats s = stats();
    return "AdmissionController[inFlight=" + s.inFlight() + "/" + maxInFlight + ", queued="
        + s.queued() + "/" + maxQueued + "]";
  }

  // ---- called by Permit ----

  void release(Permit permit, long actualTokens, double actualCost) {
    List<Runnable> out = new ArrayList<>();
    lock.lock();
    try {
      long now = ticker.read();
      Tenant t = permit.tenant();
      inFlight--;
      t.inFlight--;
      t.settle(permit, actualTokens, actualCost, now);
      unblock(t);
      dispatch(now, out);
      forgetIfIdle(t, now);
    } finally {
      lock.unlock();
    }
    deliver(out);
  }

  // ---- internals, all called with the lock held unless said otherwise ----

  private CompletableFuture<Permit> reject(AdmissionRequest r, Reason reason, Duration retryAfter,
      String detail) {
    rejected[reason.ordinal()]++;
    return CompletableFuture.failedFuture(
        new AdmissionRejectedException(reason, r.tenant(), r.priority(), retryAfter, detail));
  }

  private void rejectLater(Waiter w, Reason reason, Duration retryAfter, String detail,
      List<Runnable> out) {
    rejected[reason.ordinal()]++;
    AdmissionRejectedException e = new AdmissionRejectedException(reason, w.request.tenant(),
        w.request.priority(), retryAfter, detail);
    out.add(() -> w.future.completeExceptionally(e));
  }

  private Tenant tenant(String id) {
    Tenant t = tenants.get(id);
    if (t == null) {
      t = new Tenant(id, policy(id), ticker.read());
      tenants.put(id, t);
    }
    return t;
  }

  private Permit admit(Tenant tenant, AdmissionRequest request, long now, long waited) {
    long windowStart = tenant.charge(request, now);
    inFlight++;
    tenant.inFlight++;
    int p = request.priority().ordinal();
    admitted[p]++;
    waitTotal[p] += waited;
    waitMax[p] = Math.max(waitMax[p], waited);
    return new Permit(this, tenant, request, windowStart, waited);
  }

  private void enqueue(Waiter w, long now) {
    Flow f = w.flow;
    boolean wasEmpty = f.waiters.isEmpty();
    f.waiters.addLast(w);
    queued++;
    w.tenant.queued++;
    PriorityClass c = classes[f.priority.ordinal()];
    if (wasEmpty) {
      c.active.add(f);
      schedule(c, f);
    }
    if (w.request.hasDeadline()) {
      long timeout = w.request.deadlineNanos() - now;
      w.deadlineTimer = scheduler.schedule(() -> onDeadline(w), timeout);
    }
  }

  /** Puts a non-empty, non-blocked flow into its class's ready heap at the current virtual time. */
  private void schedule(PriorityClass c, Flow f) {
    f.start = Math.max(c.virtualTime, f.start);
    f.order = sequence++;
    f.blocked = false;
    c.ready.add(f);
  }

  /** Removes a queued waiter from its flow; the caller completes its future. */
  private void dequeue(Waiter w, boolean cancelTimer) {
    Flow f = w.flow;
    PriorityClass c = classes[f.priority.ordinal()];
    boolean wasHead = f.waiters.peekFirst() == w;
    f.waiters.remove(w);
    w.queued = false;
    queued--;
    w.tenant.queued--;
    if (cancelTimer && w.deadlineTimer != null) {
      w.deadlineTimer.cancel();
    }
    if (f.waiters.isEmpty()) {
      c.ready.remove(f);
      c.active.remove(f);
      f.blocked = false;
    } else if (wasHead && f.blocked) {
      schedule(c, f);
    }
  }

  /** Admits eligible waiters while slots are free. */
  private void dispatch(long now, List<Runnable> out) {
    while (inFlight < maxInFlight && queued > 0) {
      Waiter next = null;
      for (PriorityClass c : classes) {
        while (next == null && !c.ready.isEmpty()) {
          Flow f = c.ready.peek();
          Waiter head = f.waiters.peekFirst();
          long delay = f.tenant.readyDelay(head.request, now);
          if (delay == 0) {
            next = head;
          } else {
            c.ready.poll();
            f.blocked = true;
            f.tenant.wakeAt(now, delay);
          }
        }
        if (next != null) {
          break;
        }
      }
      if (next == null) {
        return;
      }
      grant(next, now, out);
    }
  }

  private void grant(Waiter w, long now, List<Runnable> out) {
    Flow f = w.flow;
    PriorityClass c = classes[f.priority.ordinal()];
    c.ready.poll();
    f.waiters.pollFirst();
    w.queued = false;
    queued--;
    w.tenant.queued--;
    if (w.deadlineTimer != null) {
      w.deadlineTimer.cancel();
    }
    c.virtualTime = Math.max(c.virtualTime, f.start);
    f.start += 1.0 / w.tenant.policy.weight();
    if (f.waiters.isEmpty()) {
      c.active.remove(f);
    } else {
      f.order = sequence++;
      c.ready.add(f);
    }
    Permit permit = admit(w.tenant, w.request, now, now - w.enqueuedAt);
    out.add(() -> {
      if (!w.future.complete(permit)) {
        permit.releaseUnused();
      }
    });
  }

  /** Puts a tenant's blocked flows back into their ready heaps (its budget may fit now). */
  private void unblock(Tenant t) {
    for (Flow f : t.flows) {
      if (f != null && f.blocked) {
        schedule(classes[f.priority.ordinal()], f);
      }
    }
  }

  /**
   * Picks the waiter a newcomer of {@code tenant} at {@code priority} displaces from a full queue,
   * or null.
   */
  private Waiter victim(Tenant tenant, Priority priority) {
    for (int p = PRIORITIES.length - 1; p > priority.ordinal(); p--) {
      Flow longest = longest(classes[p].active, null);
      if (longest != null) {
        return longest.waiters.peekLast();
      }
    }
    Flow own = tenant.flow(priority);
    Flow longest = longest(classes[priority.ordinal()].active, tenant);
    if (longest != null
        && longest.share(longest.waiters.size()) > own.share(own.waiters.size() + 1)) {
      return longest.waiters.peekLast();
    }
    return null;
  }

  private static Flow longest(Set<Flow> flows, Tenant except) {
    Flow best = null;
    for (Flow f : flows) {
      if (f.tenant != except
          && (best == null || f.share(f.waiters.size()) > best.share(best.waiters.size()))) {
        best = f;
      }
    }
    return best;
  }

  private void forgetIfIdle(Tenant t, long now) {
    if (t.isIdle(now) && tenants.get(t.id) == t) {
      tenants.remove(t.id);
    }
  }

  private void onDeadline(Waiter w) {
    List<Runnable> out = new ArrayList<>();
    lock.lock();
    try {
      if (!w.queued) {
        return;
      }
      long now = ticker.read();
      dequeue(w, false);
      rejectLater(w, Reason.DEADLINE_UNREACHABLE, null, "the deadline passed while queued for "
          + Duration.ofNanos(now - w.enqueuedAt), out);
      dispatch(now, out);
      forgetIfIdle(w.tenant, now);
    } finally {
      lock.unlock();
    }
    deliver(out);
  }

  private void onCancelled(Waiter w) {
    List<Runnable> out = new ArrayList<>();
    lock.lock();
    try {
      if (!w.queued) {
        return;
      }
      long now = ticker.read();
      dequeue(w, true);
      cancelled++;
      dispatch(now, out);
      forgetIfIdle(w.tenant, now);
    } finally {
      lock.unlock();
    }
    deliver(out);
  }

  private void onWake(Tenant t, long at) {
    List<Runnable> out = new ArrayList<>();
    lock.lock();
    try {
      if (t.wake == null || t.wakeAt != at) {
        return;
      }
      t.wake = null;
      long now = ticker.read();
      unblock(t);
      dispatch(now, out);
      forgetIfIdle(t, now);
    } finally {
      lock.unlock();
    }
    deliver(out);
  }

  /** Runs completions outside the lock, never nested on one thread. */
  private static void deliver(List<Runnable> out) {
    if (out.isEmpty()) {
      return;
    }
    ArrayDeque<Runnable> pending = DELIVERING.get();
    if (pending != null) {
      pending.addAll(out);
      return;
    }
    pending = new ArrayDeque<>(out);
    DELIVERING.set(pending);
    try {
      Runnable r;
      while ((r = pending.poll()) != null) {
        r.run();
      }
    } finally {
      DELIVERING.remove();
    }
  }

  /** One call waiting in the queue. */
  private static final class Waiter {
    final AdmissionRequest request;
    final Tenant tenant;
    final Flow flow;
    final long enqueuedAt;
    final CompletableFuture<Permit> future = new CompletableFuture<>();
    Scheduler.Cancellable deadlineTimer;
    boolean queued = true;

    Waiter(AdmissionRequest request, Tenant tenant, Flow flow, long enqueuedAt) {
      this.request = request;
      this.tenant = tenant;
      this.flow = flow;
      this.enqueuedAt = enqueuedAt;
    }
  }

  /** One priority class: its virtual time, its eligible flows by start tag, all its non-empty flows. */
  private static final class PriorityClass {
    double virtualTime;
    final PriorityQueue<Flow> ready = new PriorityQueue<>((a, b) -> {
      int c = Double.compare(a.start, b.start);
      return c != 0 ? c : Long.compare(a.order, b.order);
    });
    final Set<Flow> active = new LinkedHashSet<>();
  }

  /** One tenant's FIFO queue within one priority class. */
  private static final class Flow {
    final Tenant tenant;
    final Priority priority;
    final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** Virtual start tag of the head; also the finish tag of the last admission. */
    double start;
    /** Tie-break: when the flow entered the ready heap. */
    long order;
    /** True while out of the ready heap because the tenant's budget is short. */
    boolean blocked;

    Flow(Tenant tenant, Priority priority) {
      this.tenant = tenant;
      this.priority = priority;
    }

    double share(int size) {
      return size / tenant.policy.weight();
    }
  }

  /** One tenant: its flows, its token bucket and spend window, and its wake-up timer. */
  final class Tenant {
    /** Tolerance so that waiting exactly the computed refill time always suffices. */
    private static final double RELATIVE_EPSILON = 1e-9;

    final String id;
    final TenantPolicy policy;
    final Flow[] flows = new Flow[PRIORITIES.length];
    private final double tokensPerNano;
    private final long window;
    double tokens;
    long refilledAt;
    double spent;
    long windowStart;
    boolean windowOpen;
    int inFlight;
    int queued;
    Scheduler.Cancellable wake;
    long wakeAt;

    Tenant(String id, TenantPolicy policy, long now) {
      this.id = id;
      this.policy = policy;
      this.tokensPerNano = policy.tokensPerMinute() / 60_000_000_000.0;
      this.window = policy.spendWindow().toNanos();
      this.tokens = policy.tokensPerMinute();
      this.refilledAt = now;
    }

    Flow flow(Priority p) {
      Flow f = flows[p.ordinal()];
      if (f == null) {
        f = new Flow(this, p);
        flows[p.ordinal()] = f;
      }
      return f;
    }

    /** Returns 0 when the budgets admit {@code r} now, the nanos until they will, or MAX_VALUE. */
    long readyDelay(AdmissionRequest r, long now) {
      long delay = 0;
      long tpm = policy.tokensPerMinute();
      if (tpm > 0) {
        if (r.estimatedTokens() > tpm) {
          return Long.MAX_VALUE;
        }
        refill(now);
        double deficit = r.estimatedTokens() - tokens;
        if (deficit > tpm * RELATIVE_EPSILON) {
          delay = (long) Math.ceil(deficit / tokensPerNano);
        }
      }
      double cap = policy.spendCap();
      if (cap > 0) {
        if (r.estimatedCost() > cap) {
          return Long.MAX_VALUE;
        }
        roll(now);
        if (windowOpen && spent + r.estimatedCost() > cap * (1 + RELATIVE_EPSILON)) {
          delay = Math.max(delay, windowStart + window - now);
        }
      }
      return delay;
    }

    String neverFits(AdmissionRequest r) {
      if (policy.tokensPerMinute() > 0 && r.estimatedTokens() > policy.tokensPerMinute()) {
        return "estimatedTokens=" + r.estimatedTokens() + " exceeds the tenant's whole budget of "
            + policy.tokensPerMinute() + " tokens per minute";
      }
      return "estimatedCost=" + r.estimatedCost() + " exceeds the tenant's spend cap of "
          + policy.spendCap() + " per " + policy.spendWindow();
    }

    /** Takes the estimates; returns the spend window they were charged to. */
    long charge(AdmissionRequest r, long now) {
      if (policy.tokensPerMinute() > 0) {
        refill(now);
        tokens -= r.estimatedTokens();
      }
      if (policy.spendCap() > 0) {
        roll(now);
        if (!windowOpen) {
          windowOpen = true;
          windowStart = now;
        }
        spent += r.estimatedCost();
      }
      return windowStart;
    }

    /**
     * Settles a released permit: refunds or charges the difference between real usage and the
     * estimate. A spend window that ended since admission took the estimate with it; an overrun
     * beyond the estimate is then charged to the current window.
     */
    void settle(Permit permit, long actualTokens, double actualCost, long now) {
      AdmissionRequest r = permit.request();
      if (policy.tokensPerMinute() > 0) {
        refill(now);
        tokens = Math.min(policy.tokensPerMinute(), tokens + r.estimatedTokens() - actualTokens);
      }
      if (policy.spendCap() > 0) {
        roll(now);
        double delta = actualCost - r.estimatedCost();
        if (windowOpen && windowStart == permit.spendWindowStart()) {
          spent = Math.max(0.0, spent + delta);
        } else if (delta > 0) {
          if (!windowOpen) {
            windowOpen = true;
            windowStart = now;
          }
          spent += delta;
        }
      }
    }

    private void refill(long now) {
      long elapsed = now - refilledAt;
      if (elapsed > 0) {
        tokens = Math.min(policy.tokensPerMinute(), tokens + elapsed * tokensPerNano);
        refilledAt = now;
      }
    }

    /** Closes the spend window once it has lasted its length; the next charge opens another. */
    private void roll(long now) {
      if (windowOpen && now - windowStart >= window) {
        windowOpen = false;
        spent = 0.0;
      }
    }

    /** Arms the wake-up timer for {@code delay} from now unless an earlier one is armed. */
    void wakeAt(long now, long delay) {
      long at = now + delay;
      if (wake != null && wakeAt - at <= 0) {
        return;
      }
      cancelWake();
      wakeAt = at;
      wake = scheduler.schedule(() -> onWake(this, at), delay);
    }

    void cancelWake() {
      if (wake != null) {
        wake.cancel();
        wake = null;
      }
    }

    boolean isIdle(long now) {
      if (inFlight > 0 || queued > 0 || wake != null) {
        return false;
      }
      if (policy.tokensPerMinute() > 0) {
        refill(now);
        if (tokens < policy.tokensPerMinute()) {
          return false;
        }
      }
      if (policy.spendCap() > 0) {
        roll(now);
        return !windowOpen;
      }
      return true;
    }
  }

  /**
   * Builds {@link AdmissionController}s; setters validate at once, {@link #build()} never changes
   * the builder. Not thread-safe.
   */
  public static final class Builder {
    private int maxInFlight = 64;
    private int maxQueued = 1_024;
    private Ticker ticker = Ticker.system();
    private Scheduler scheduler = Scheduler.shared();
    private TenantPolicy defaultPolicy = TenantPolicy.DEFAULT;
    private final Map<String, TenantPolicy> policies = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets how many calls may be admitted at once; default 64.
     *
     * @throws IllegalArgumentException if less than 1
     */
    public Builder maxInFlight(int maxInFlight) {
      if (maxInFlight < 1) {
        throw new IllegalArgumentException("maxInFlight must be >= 1 but was " + maxInFlight);
      }
      this.maxInFlight = maxInFlight;
      return this;
    }

    /**
     * Sets how many calls may wait at once; default 1,024. With 0, a call that cannot be
     * admitted at once is rejected with {@link Reason#QUEUE_FULL}.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder maxQueued(int maxQueued) {
      if (maxQueued < 0) {
        throw new IllegalArgumentException("maxQueued must be >= 0 but was " + maxQueued);
      }
      this.maxQueued = maxQueued;
      return this;
    }

    /** Sets the clock read for deadlines, waits and refills; default {@link Ticker#system()}. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** Sets the scheduler of timed wake-ups; default {@link Scheduler#shared()}. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Sets the policy of every tenant without one of its own; default {@link TenantPolicy#DEFAULT}. */
    public Builder defaultTenantPolicy(TenantPolicy policy) {
      this.defaultPolicy = Objects.requireNonNull(policy, "defaultTenantPolicy");
      return this;
    }

    /**
     * Sets the policy of one tenant, replacing any earlier one.
     *
     * @throws IllegalArgumentException if {@code tenant} is blank
     */
    public Builder tenant(String tenant, TenantPolicy policy) {
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(policy, "policy of tenant '" + tenant + "'");
      if (tenant.isBlank()) {
        throw new IllegalArgumentException("tenant must not be blank but was '" + tenant + "'");
      }
      policies.put(tenant, policy);
      return this;
    }

    /** Returns a new controller with these settings. */
    public AdmissionController build() {
      return new AdmissionController(this);
    }
  }
}
