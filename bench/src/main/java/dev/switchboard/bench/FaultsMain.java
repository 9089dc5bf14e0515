package dev.switchboard.bench;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import com.squareup.moshi.Types;
import dev.switchboard.CallOptions;
import dev.switchboard.RoutedResponse;
import dev.switchboard.RouterSnapshot;
import dev.switchboard.Switchboard;
import dev.switchboard.redis.RedisStateStore;
import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.BudgetLevels;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.RouterEvent;
import dev.switchboard.spi.RouterListener;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.RecordedCall;
import dev.switchboard.testkit.RedisServerProcess;
import dev.switchboard.testkit.Simulator;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * The chaos run (docs/benchmarks.md §4): the goodput harness of {@link GoodputMain} (the testkit
 * {@link Simulator} over real HTTP, 4 keys in 2 organizations × 3 models, each its own rate-limit
 * pool) with an open-loop load well under capacity and a fault script timed as fractions of the
 * run:
 *
 * <ul>
 *   <li>0.10: the next few requests on {@code team-c} stall before their headers (longer than the
 *       deadline);
 *   <li>0.20: key {@code team-b} is revoked (401 from then on);
 *   <li>0.30–0.45: the primary model answers 529 {@code overloaded_error};
 *   <li>0.50–0.65 (the Redis variant): the shared {@code redis-server} is stopped, then restarted
 *       empty on the same port;
 *   <li>0.70–0.85: every response on {@code team-d} is slow (1.5–2.5 s before its headers, longer
 *       than the attempt timeout);
 *   <li>0.88: the next few requests on {@code team-a} stall before their headers.
 * </ul>
 *
 * <p>Every response also takes 10–50 ms. Systems, each against a fresh simulator:
 * {@code switchboard-local} (one router, local state, admission control on),
 * {@code switchboard-redis} (two routers sharing one real Redis through {@link RedisStateStore},
 * calls alternating between them) and {@code tutorial-loop} (the tutorials' pattern: round-robin
 * over key × model, on 429 sleep {@code retry-after} and retry, anything else fails).
 *
 * <p>Reported per system, as one JSON line on standard output (progress on standard error):
 * success ratio over the calls offered while at least one key × model route was healthy (every
 * call of this script: three keys and two models always remain), fallbacks allowed; calls that
 * ended more than 50 ms past the deadline (any outcome; the loop has no deadline of its own);
 * uses of the revoked key after it was revoked and after its first 401 (from the simulator's
 * log) and how often the router reported it; and leaks after the run: attempts still in flight,
 * admission permits not returned, budget levels above their limits or not back at their limits
 * after the time a full refill needs, and live JVM threads after closing the system against
 * before building it.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.switchboard.bench.FaultsMain [--redis]
 * [--long] [--seconds N] [--rate N] [--rpm N] [--deadline-ms N] [--attempt-timeout-ms N]
 * [--stall-ms N] [--systems a,b]}. Defaults: the local variant ({@code switchboard-local} and
 * {@code tutorial-loop}); {@code --redis}: the Redis variant ({@code switchboard-redis}); 30 s per
 * system ({@code --long}: 300 s), 10 calls/s, 600 RPM per organization × pool, deadline 4 s,
 * attempt timeout 1 s, stalls of 5 s.
 */
public final class FaultsMain {
  static final List<String> MODELS = GoodputMain.MODELS;
  static final String PRIMARY = MODELS.get(0);
  static final List<String> KEYS = List.of("team-a", "team-b", "team-c", "team-d");
  static final String REVOKED_KEY = "team-b";
  static final String FIRST_STALL_KEY = "team-c";
  static final String SLOW_KEY = "team-d";
  static final String LAST_STALL_KEY = "team-a";
  static final List<String> SYSTEMS = List.of("switchboard-local", "switchboard-redis", "tutorial-loop");
  static final List<String> LOCAL_VARIANT = List.of("switchboard-local", "tutorial-loop");
  static final List<String> REDIS_VARIANT = List.of("switchboard-redis");
  static final Duration GRACE = GoodputMain.GRACE;
  /** Live threads a closed system may leave behind without it counting as a leak. */
  static final int THREAD_SLACK = 2;
  /** The name prefix of the simulator's threads, which the thread counts leave out. */
  static final String SIMULATOR_THREADS = "switchboard-sim-";
  private static final JsonAdapter<Map<String, Object>> JSON = new Moshi.Builder().build()
      .<Map<String, Object>>adapter(Types.newParameterizedType(Map.class, String.class, Object.class))
      .serializeNulls();

  private FaultsMain() {}

  /** The knobs of one run; all positive. */
  record Options(double seconds, double rate, long rpm, Duration deadline, Duration attemptTimeout,
      Duration stall, Duration refillWaitCap, List<String> systems) {
    Options {
      if (!(seconds > 0)) {
        throw new IllegalArgumentException("seconds must be positive but was " + seconds);
      }
      if (!(rate > 0)) {
        throw new IllegalArgumentException("rate must be positive but was " + rate);
      }
      if (rpm < 60) {
        throw new IllegalArgumentException("rpm must be at least 60 but was " + rpm);
      }
      positive("deadline", deadline);
      positive("attemptTimeout", attemptTimeout);
      positive("stall", stall);
      positive("refillWaitCap", refillWaitCap);
      if (attemptTimeout.compareTo(deadline) >= 0) {
        throw new IllegalArgumentException("attemptTimeout must be shorter than the deadline (" + deadline
            + ") but was " + attemptTimeout);
      }
      if (systems.isEmpty()) {
        throw new IllegalArgumentException("systems must not be empty");
      }
      for (String s : systems) {
        if (!SYSTEMS.contains(s)) {
          throw new IllegalArgumentException("systems must be among " + SYSTEMS + " but was '" + s + "'");
        }
      }
      systems = List.copyOf(systems);
    }

    private static void positive(String name, Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive but was " + d);
      }
    }

    /** Returns these options with other systems. */
    Options withSystems(List<String> other) {
      return new Options(seconds, rate, rpm, deadline, attemptTimeout, stall, refillWaitCap, other);
    }

    static Options parse(String... args) {
      double seconds = 30;
      double rate = 10;
      long rpm = 600;
      long deadlineMs = 4_000;
      long attemptMs = 1_000;
      long stallMs = 5_000;
      List<String> systems = LOCAL_VARIANT;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--redis" -> systems = REDIS_VARIANT;
          case "--long" -> seconds = 300;
          case "--seconds" -> seconds = Double.parseDouble(value(args, ++i, "--seconds"));
          case "--rate" -> rate = Double.parseDouble(value(args, ++i, "--rate"));
          case "--rpm" -> rpm = Long.parseLong(value(args, ++i, "--rpm"));
          case "--deadline-ms" -> deadlineMs = Long.parseLong(value(args, ++i, "--deadline-ms"));
          case "--attempt-timeout-ms" -> attemptMs = Long.parseLong(value(args, ++i, "--attempt-timeout-ms"));
          case "--stall-ms" -> stallMs = Long.parseLong(value(args, ++i, "--stall-ms"));
          case "--systems" -> systems = Arrays.asList(value(args, ++i, "--systems").split(","));
          default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'; expected --redis, "
              + "--long, --seconds N, --rate N, --rpm N, --deadline-ms N, --attempt-timeout-ms N, "
              + "--stall-ms N, --systems a,b");
        }
      }
      return new Options(seconds, rate, rpm, Duration.ofMillis(deadlineMs), Duration.ofMillis(attemptMs),
          Duration.ofMillis(stallMs), Duration.ofSeconds(20), systems);
    }

    private static String value(String[] args, int i, String name) {
      if (i >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      return args[i];
    }
  }

  /**
   * Uses of the revoked key, from the simulator's log.
   *
   * @param afterRevoke calls made with it once it was revoked (each answered 401)
   * @param afterFirst401 calls made with it after its first 401 answer
   * @param reports {@code KeyDisabled} events for it (summed over routers), or null for the loop
   * @param answeredAt when each of its 401s arrived, in seconds from the first offer (at most 10)
   */
  record RevokedKey(long afterRevoke, long afterFirst401, Long reports, List<Double> answeredAt) {}

  /**
   * The Redis outage of the Redis variant.
   *
   * @param source where the server came from ({@link RedisServerProcess#source()})
   * @param downMillis how long it was stopped
   * @param switches the stores' switches to their fallback and back (summed)
   * @param degradedAtEnd whether a store was still on its fallback after the run
   */
  record RedisOutage(String source, long downMillis, long switches, boolean degradedAtEnd) {}

  /**
   * What a router left behind after the run (summed over the system's routers).
   *
   * @param inFlight attempts still in flight
   * @param admissionInFlight admission permits not returned
   * @param admissionQueued calls still queued for admission
   * @param pools budget pools checked
   * @param poolsAboveLimit pools with a level above its limit
   * @param poolsNotRefilled pools not back at their limits after {@code refillWaitMillis}
   * @param refillWaitMillis how long the check waited for the buckets to refill
   */
  record RouterLeaks(long inFlight, long admissionInFlight, long admissionQueued, long pools,
      long poolsAboveLimit, long poolsNotRefilled, long refillWaitMillis) {}

  /** Live JVM threads before building the system and after closing it. */
  record Threads(int before, int after) {
    int leaked() {
      return Math.max(0, after - before);
    }
  }

  /** What one system achieved under the script; {@link #json()} is the printed line. */
  record Result(String system, double seconds, long offered, long eligible, long succeeded,
      Map<String, Long> failures, long pastDeadline, double p50Ms, double p99Ms, double maxMs,
      long fellBack, long attempts, long unauthorized, long overloaded, long stalled,
      long clientDisconnects, RevokedKey revoked, RedisOutage redis, RouterLeaks leaks, Threads threads) {

    /** Returns the share of eligible calls that succeeded (1.0 when none was eligible). */
    double successRatio() {
      return eligible == 0 ? 1.0 : (double) succeeded / eligible;
    }

    String json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("system", system);
      m.put("variant", system.equals("switchboard-redis") ? "redis" : "local");
      m.put("seconds", round(seconds, 2));
      m.put("offered", offered);
      m.put("eligible", eligible);
      m.put("succeeded", succeeded);
      m.put("success_ratio", round(successRatio(), 5));
      m.put("failures", new TreeMap<>(failures));
      m.put("past_deadline", pastDeadline);
      m.put("p50_ms", round(p50Ms, 1));
      m.put("p99_ms", round(p99Ms, 1));
      m.put("max_ms", round(maxMs, 1));
      m.put("fell_back", fellBack);
      m.put("attempts", attempts);
      m.put("answered_401", unauthorized);
      m.put("answered_529", overloaded);
      m.put("stalled_attempts", stalled);
      m.put("client_disconnects", clientDisconnects);
      m.put("revoked_key", REVOKED_KEY);
      m.put("revoked_key_uses_after_revoke", revoked.afterRevoke());
      m.put("revoked_key_uses_after_first_401", revoked.afterFirst401());
      m.put("revoked_key_reports", revoked.reports());
      m.put("revoked_key_401_at_s", revoked.answeredAt());
      m.put("redis", redis == null ? null : redis.source());
      m.put("redis_down_ms", redis == null ? null : redis.downMillis());
      m.put("store_switches", redis == null ? null : redis.switches());
      m.put("store_degraded_at_end", redis == null ? null : redis.degradedAtEnd());
      m.put("in_flight_after", leaks == null ? null : leaks.inFlight());
      m.put("admission_in_flight_after", leaks == null ? null : leaks.admissionInFlight());
      m.put("admission_queued_after", leaks == null ? null : leaks.admissionQueued());
      m.put("budget_pools", leaks == null ? null : leaks.pools());
      m.put("budget_pools_above_limit", leaks == null ? null : leaks.poolsAboveLimit());
      m.put("budget_pools_not_refilled", leaks == null ? null : leaks.poolsNotRefilled());
      m.put("refill_wait_ms", leaks == null ? null : leaks.refillWaitMillis());
      m.put("threads_before", threads.before());
      m.put("threads_after", threads.after());
      m.put("threads_leaked", threads.leaked());
      return JSON.toJson(m);
    }

    private static double round(double v, int places) {
      double f = Math.pow(10, places);
      return Math.round(v * f) / f;
    }
  }

  /** Runs the systems named in the arguments and prints one JSON line each. */
  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    for (Result r : run(options, System.err)) {
      System.out.println(r.json());
    }
    System.exit(0);
  }

  static List<Result> run(Options options, PrintStream log) throws InterruptedException {
    primeSharedThreads(options);
    List<Result> results = new ArrayList<>();
    for (String system : options.systems()) {
      log.printf(Locale.ROOT, "faults: %s for %.1f s at %.1f calls/s, deadline %d ms...%n", system,
          options.seconds(), options.rate(), options.deadline().toMillis());
      results.add(runOne(system, options, log));
    }
    return results;
  }

  // ------------------------------------------------------------------ one system

  /** One finished call: offered and ended (System.nanoTime), its outcome, whether a route was healthy. */
  private record Done(long start, long end, boolean ok, String failure, boolean eligible, boolean fellBack) {}

  /** Where finished calls go. */
  private static final class Sink {
    final ConcurrentLinkedQueue<Done> done = new ConcurrentLinkedQueue<>();
    final CountDownLatch finished;
    final AtomicInteger examples = new AtomicInteger();
    final PrintStream log;

    Sink(int count, PrintStream log) {
      this.finished = new CountDownLatch(count);
      this.log = log;
    }

    void add(Done d, String detail) {
      done.add(d);
      if (!d.ok() && detail != null && examples.incrementAndGet() <= 3) {
        log.println("  failed call: " + detail);
      }
      finished.countDown();
    }
  }

  /** What the fault script has done so far: which keys are revoked, which models overloaded. */
  private static final class World {
    final Set<String> revoked = ConcurrentHashMap.newKeySet();
    final Set<String> overloaded = ConcurrentHashMap.newKeySet();

    /** Returns whether at least one key × model route is healthy now. */
    boolean hasHealthyRoute() {
      return KEYS.stream().anyMatch(k -> !revoked.contains(k))
          && MODELS.stream().anyMatch(m -> !overloaded.contains(m));
    }
  }

  /** A system under test: makes one call per offer and reports it to the sink. */
  private interface Driven extends AutoCloseable {
    void call(long index, long start, boolean eligible, Sink sink);

    /** Returns the routers to inspect after the run (none for the loop). */
    List<Switchboard> routers();

    /** Returns how often the routers reported the revoked key, or null for the loop. */
    Long revokedReports();

    @Override
    void close();
  }

  private static Result runOne(String system, Options o, PrintStream log) throws InterruptedException {
    int count = (int) Math.max(1, Math.round(o.rate() * o.seconds()));
    Simulator.Builder sb = Simulator.builder().preset().recordBodies(false).logCapacity(Math.max(10_000, count * 10))
        .responseTokens(4, 8);
    for (String org : GoodputMain.ORGS) {
      for (String pool : GoodputMain.POOLS) {
        sb.limits(org, pool, o.rpm(), GoodputMain.TOKENS_PER_MINUTE, GoodputMain.TOKENS_PER_MINUTE);
      }
    }
    RedisServerProcess redis = system.equals("switchboard-redis") ? RedisServerProcess.start() : null;
    try (Simulator sim = sb.start()) {
      sim.faults().add(Fault.latency(Duration.ofMillis(10), Duration.ofMillis(50)));
      if (redis != null) {
        log.println("  redis: " + redis.source() + " on port " + redis.port());
      }
      int threadsBefore = liveThreads();
      Set<Long> idsBefore = threadIds();
      Driven driven = create(system, sim, redis, o, log);
      Sink sink = new Sink(count, log);
      Window window;
      RouterLeaks leaks = null;
      RedisOutage outage = null;
      try {
        warmUp(driven, system);
        sim.clearLog();
        AtomicLong redisDownNanos = new AtomicLong();
        window = drive(system, driven, sim, redis, o, log, sink, count, redisDownNanos);
        if (redis != null && !redis.isRunning()) {
          redis.restart();
        }
        if (!driven.routers().isEmpty()) {
          leaks = routerLeaks(driven.routers(), o);
        }
        if (driven instanceof RedisRouters r) {
          outage = new RedisOutage(redis.source(), redisDownNanos.get() / 1_000_000, r.switches.get(),
              r.stores.stream().anyMatch(RedisStateStore::degraded));
        }
      } finally {
        driven.close();
      }
      Threads threads = new Threads(threadsBefore, settledThreads(threadsBefore + THREAD_SLACK));
      if (threads.leaked() > 0) {
        log.println("  threads alive after close that were not before: " + newThreads(idsBefore));
      }
      return summarize(system, o, sim, sink, count, window, driven.revokedReports(), outage, leaks, threads);
    } finally {
      if (redis != null) {
        redis.close();
      }
    }
  }

  /**
   * The offered window: its first offer and the end of its last interval (System.nanoTime), and
   * the wall-clock time of the first offer (the simulator logs wall-clock times).
   */
  private record Window(long start, long end, java.time.Instant wallStart) {}

  /**
   * Schedules the fault script, offers {@code count} calls at the configured rate, waits until
   * every call ended and the script stopped.
   */
  private static Window drive(String system, Driven driven, Simulator sim, RedisServerProcess redis, Options o,
      PrintStream log, Sink sink, int count, AtomicLong redisDownNanos) throws InterruptedException {
    World world = new World();
    List<Throwable> scriptErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(GoodputMain.daemon("faults-script"));
    long interval = Math.round(1e9 / o.rate());
    long t0 = System.nanoTime();
    java.time.Instant wallStart = java.time.Instant.now();
    try {
      for (Step step : script(sim, world, redis, o, redisDownNanos)) {
        timer.schedule(() -> {
          try {
            step.action().run();
            log.printf(Locale.ROOT, "  %5.1f s: %s%n", (System.nanoTime() - t0) / 1e9, step.description());
          } catch (RuntimeException e) {
            scriptErrors.add(e);
            log.println("  script step '" + step.description() + "' failed: " + e);
          }
        }, Math.round(step.at() * o.seconds() * 1e9), TimeUnit.NANOSECONDS);
      }
      for (long i = 0; i < count; i++) {
        long target = t0 + i * interval;
        long wait;
        while ((wait = target - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        driven.call(i, System.nanoTime(), world.hasHealthyRoute(), sink);
      }
      long bound = o.deadline().plus(o.stall()).toMillis() + 120_000;
      if (!sink.finished.await(bound, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(system + ": calls still running " + bound + " ms after the last offer");
      }
    } finally {
      timer.shutdownNow();
      if (!timer.awaitTermination(30, TimeUnit.SECONDS)) {
        log.println("  a fault-script step was still running 30 s after the run");
      }
    }
    if (!scriptErrors.isEmpty()) {
      throw new IllegalStateException(system + ": the fault script failed: " + scriptErrors.get(0),
          scriptErrors.get(0));
    }
    return new Window(t0, t0 + count * interval, wallStart);
  }

  /**
   * Makes one routed call against a throw-away simulator, so that the HTTP client's process-wide
   * daemon threads (OkHttp's task runner, Okio's watchdog: shared by every client in the JVM,
   * ending after a minute idle) exist before the first system's threads are counted.
   */
  private static void primeSharedThreads(Options o) throws InterruptedException {
    try (Simulator sim = Simulator.builder().preset().recordBodies(false).start();
        Driven driven = localRouter(sim, o)) {
      warmUp(driven, "primer");
    }
  }

  private static void warmUp(Driven driven, String system) throws InterruptedException {
    Sink warm = new Sink(1, new PrintStream(java.io.OutputStream.nullOutputStream()));
    driven.call(0, System.nanoTime(), true, warm);
    if (!warm.finished.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException(system + ": the warm-up call did not end within 60 s");
    }
    if (!warm.done.peek().ok()) {
      throw new IllegalStateException(system + ": the warm-up call failed (" + warm.done.peek().failure() + ")");
    }
  }

  /** One step of the fault script, at a fraction of the run. */
  private record Step(double at, String description, Runnable action) {}

  private static List<Step> script(Simulator sim, World world, RedisServerProcess redis, Options o,
      AtomicLong redisDownNanos) {
    int stalls = (int) Math.max(3, Math.round(o.seconds() / 6));
    Fault firstStall = Fault.stallBeforeHeaders(o.stall()).forKey(FIRST_STALL_KEY).times(stalls);
    Fault lastStall = Fault.stallBeforeHeaders(o.stall()).forKey(LAST_STALL_KEY).times(stalls);
    Fault overload = Fault.overloaded().forModel(PRIMARY);
    Fault slow = Fault.latency(Duration.ofMillis(1_500), Duration.ofMillis(2_500)).forKey(SLOW_KEY);
    long[] stoppedAt = new long[1];
    List<Step> steps = new ArrayList<>();
    steps.add(new Step(0.10, stalls + " requests on " + FIRST_STALL_KEY + " stall " + o.stall().toMillis()
        + " ms before their headers", () -> sim.faults().add(firstStall)));
    steps.add(new Step(0.20, "key " + REVOKED_KEY + " revoked (401 from now on)", () -> {
      world.revoked.add(REVOKED_KEY);
      sim.setKeyState(REVOKED_KEY, Simulator.KeyState.REVOKED);
    }));
    steps.add(new Step(0.30, PRIMARY + " overloaded (529) begins", () -> {
      world.overloaded.add(PRIMARY);
      sim.faults().add(overload);
    }));
    steps.add(new Step(0.45, PRIMARY + " overloaded window ends", () -> {
      sim.faults().remove(overload);
      world.overloaded.remove(PRIMARY);
    }));
    if (redis != null) {
      steps.add(new Step(0.50, "redis-server stopped", () -> {
        redis.stop();
        stoppedAt[0] = System.nanoTime();
      }));
      steps.add(new Step(0.65, "redis-server restarted (empty) on the same port", () -> {
        redis.restart();
        redisDownNanos.set(System.nanoTime() - stoppedAt[0]);
      }));
    }
    steps.add(new Step(0.70, "responses on " + SLOW_KEY + " slow (1.5-2.5 s before headers) begins",
        () -> sim.faults().add(slow)));
    steps.add(new Step(0.85, "slow responses on " + SLOW_KEY + " end", () -> sim.faults().remove(slow)));
    steps.add(new Step(0.88, stalls + " requests on " + LAST_STALL_KEY + " stall " + o.stall().toMillis()
        + " ms before their headers", () -> sim.faults().add(lastStall)));
    return steps;
  }

  private static Result summarize(String system, Options o, Simulator sim, Sink sink, long offered,
      Window window, Long reports, RedisOutage outage, RouterLeaks leaks, Threads threads) {
    long lastEnd = window.end();
    long deadlineNanos = o.deadline().plus(GRACE).toNanos();
    long eligible = 0;
    long ok = 0;
    long past = 0;
    long fellBack = 0;
    Map<String, Long> failures = new TreeMap<>();
    List<Long> latencies = new ArrayList<>();
    for (Done d : sink.done) {
      lastEnd = Math.max(lastEnd, d.end());
      if (d.end() - d.start() > deadlineNanos) {
        past++;
      }
      if (d.eligible()) {
        eligible++;
        if (d.ok()) {
          ok++;
        }
      }
      if (d.ok()) {
        latencies.add(d.end() - d.start());
        if (d.fellBack()) {
          fellBack++;
        }
      } else {
        failures.merge(d.failure(), 1L, Long::sum);
      }
    }
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    List<RecordedCall> calls = sim.calls();
    return new Result(system, (lastEnd - window.start()) / 1e9, offered, eligible, ok, failures, past,
        GoodputMain.percentile(sorted, 0.50), GoodputMain.percentile(sorted, 0.99),
        sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, fellBack, calls.size(),
        calls.stream().filter(c -> c.status() == 401).count(),
        calls.stream().filter(c -> c.status() == 529).count(),
        calls.stream().filter(c -> c.fault() != null && c.fault().contains("stall")).count(),
        calls.stream().filter(RecordedCall::clientDisconnected).count(),
        revokedKeyUses(calls, reports, window.wallStart()), outage, leaks, threads);
  }

  /** Counts the revoked key's uses after its revocation (each a 401) and after its first 401. */
  static RevokedKey revokedKeyUses(List<RecordedCall> calls, Long reports, java.time.Instant start) {
    RecordedCall first401 = null;
    long after = 0;
    List<Double> at = new ArrayList<>();
    for (RecordedCall c : calls) {
      if (!REVOKED_KEY.equals(c.keyLabel())) {
        continue;
      }
      if (c.status() == 401 && at.size() < 10) {
        at.add(Math.round(Duration.between(start, c.time()).toMillis() / 100.0) / 10.0);
      }
      if (first401 != null && c.sequence() > first401.sequence()) {
        after++;
      } else if (first401 == null && c.status() == 401) {
        first401 = c;
      }
    }
    return new RevokedKey(first401 == null ? 0 : 1 + after, after, reports, at);
  }

  // ------------------------------------------------------------------ leak checks

  /**
   * Inspects the routers after every call ended: attempts in flight, admission permits, budget
   * levels above their limits; then waits as long as the emptiest bucket needs to refill (capped)
   * and counts the pools not back at their limits.
   */
  private static RouterLeaks routerLeaks(List<Switchboard> routers, Options o) {
    long inFlight = 0;
    long admitted = 0;
    long queued = 0;
    long pools = 0;
    long above = 0;
    double refillSeconds = 0;
    for (Switchboard router : routers) {
      RouterSnapshot s = router.snapshot();
      inFlight += s.inFlight().values().stream().mapToLong(Integer::longValue).sum();
      if (s.admission().isPresent()) {
        admitted += s.admission().get().inFlight();
        queued += s.admission().get().queued();
      }
      for (RouterSnapshot.Pool p : s.pools().values()) {
        pools++;
        BudgetLevels l = p.levels();
        boolean overLimit = false;
        for (BucketLimits.Dimension d : BucketLimits.Dimension.values()) {
          long limit = l.limits().limit(d);
          if (limit <= 0) {
            continue;
          }
          overLimit |= l.level(d) > limit + tolerance(limit);
          refillSeconds = Math.max(refillSeconds, Math.max(0, limit - l.level(d)) / (limit / 60.0));
        }
        if (overLimit) {
          above++;
        }
      }
    }
    long waitMillis = Math.min(o.refillWaitCap().toMillis(), Math.round(refillSeconds * 1000) + 250);
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(waitMillis));
    long notRefilled = 0;
    for (Switchboard router : routers) {
      for (RouterSnapshot.Pool p : router.snapshot().pools().values()) {
        BudgetLevels l = p.levels();
        for (BucketLimits.Dimension d : BucketLimits.Dimension.values()) {
          long limit = l.limits().limit(d);
          if (limit > 0 && Math.abs(l.level(d) - limit) > tolerance(limit)) {
            notRefilled++;
            break;
          }
        }
      }
    }
    return new RouterLeaks(inFlight, admitted, queued, pools, above, notRefilled, waitMillis);
  }

  /** Rounding slack of a bucket level: one unit or 0.1 % of the limit. */
  private static double tolerance(long limit) {
    return Math.max(1.0, limit * 1e-3);
  }

  /** Returns the live threads that are not the simulator's (the API is not the system under test). */
  static int liveThreads() {
    int n = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (!t.getName().startsWith(SIMULATOR_THREADS)) {
        n++;
      }
    }
    return n;
  }

  private static Set<Long> threadIds() {
    Set<Long> ids = new java.util.HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      ids.add(t.getId());
    }
    return ids;
  }

  /** Returns the names of live threads not in {@code before}, with counts, for the progress log. */
  private static Map<String, Integer> newThreads(Set<Long> before) {
    Map<String, Integer> names = new TreeMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (!before.contains(t.getId()) && !t.getName().startsWith(SIMULATOR_THREADS)) {
        names.merge(t.getName().replaceAll("\\d+", "N"), 1, Integer::sum);
      }
    }
    return names;
  }

  /** Returns the live thread count once it is at most {@code target}, or after 5 s. */
  private static int settledThreads(int target) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    int n = liveThreads();
    while (n > target && System.nanoTime() < until) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      n = liveThreads();
    }
    return n;
  }

  // ------------------------------------------------------------------ the systems

  private static Driven create(String system, Simulator sim, RedisServerProcess redis, Options o, PrintStream log) {
    return switch (system) {
      case "switchboard-local" -> localRouter(sim, o);
      case "switchboard-redis" -> new RedisRouters(sim, redis, o, log);
      case "tutorial-loop" -> loop(sim);
      default -> throw new IllegalArgumentException("unknown system '" + system + "'");
    };
  }

  private static final MessageRequest REQUEST = MessageRequest.builder().model(PRIMARY)
      .maxTokens(GoodputMain.MAX_TOKENS).addUserMessage("Say ok.").build();

  /** Counts the {@code KeyDisabled} events of the revoked key. */
  private static final class RevokedListener implements RouterListener {
    final AtomicLong reports = new AtomicLong();

    @Override
    public void keyDisabled(RouterEvent.KeyDisabled event) {
      if (REVOKED_KEY.equals(event.keyAlias())) {
        reports.incrementAndGet();
      }
    }
  }

  /** The router's configuration in this run: true limits, deadline, attempt timeout, admission on. */
  static Switchboard.Builder routerBuilder(Simulator sim, Options o, RouterListener listener) {
    BucketLimits limits = Switchboard.limits(o.rpm(), GoodputMain.TOKENS_PER_MINUTE, GoodputMain.TOKENS_PER_MINUTE);
    Switchboard.Builder b = Switchboard.builder().baseUrl(sim.baseUrl().toString())
        .deadline(o.deadline()).attemptTimeout(o.attemptTimeout())
        .admission(256, 4_096)
        .listener(listener)
        .model(MODELS.get(0), limits).fallbackTo(MODELS.get(1), limits).fallbackTo(MODELS.get(2), limits);
    for (String label : KEYS) {
      b.key(label, Simulator.Builder.PRESET_KEYS.get(label), GoodputMain.ORG_OF.get(label));
    }
    return b;
  }

  private static void routerCall(Switchboard router, long start, boolean eligible, Sink sink) {
    router.sendAsync(REQUEST, CallOptions.DEFAULT).whenComplete((RoutedResponse r, Throwable e) -> {
      long end = System.nanoTime();
      if (e == null) {
        sink.add(new Done(start, end, true, null, eligible, r.fellBack()), null);
      } else {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        sink.add(new Done(start, end, false, cause.getClass().getSimpleName(), eligible, false), cause.getMessage());
      }
    });
  }

  private static Driven localRouter(Simulator sim, Options o) {
    RevokedListener listener = new RevokedListener();
    Switchboard router = routerBuilder(sim, o, listener).build();
    return new Driven() {
      @Override
      public void call(long index, long start, boolean eligible, Sink sink) {
        routerCall(router, start, eligible, sink);
      }

      @Override
      public List<Switchboard> routers() {
        return List.of(router);
      }

      @Override
      public Long revokedReports() {
        return listener.reports.get();
      }

      @Override
      public void close() {
        router.close();
      }
    };
  }

  /** Two routers, each with its own pooled client and {@link RedisStateStore} on one Redis. */
  private static final class RedisRouters implements Driven {
    final List<UnifiedJedis> clients = new ArrayList<>();
    final List<RedisStateStore> stores = new ArrayList<>();
    final List<Switchboard> routers = new ArrayList<>();
    final RevokedListener listener = new RevokedListener();
    final AtomicLong switches = new AtomicLong();

    RedisRouters(Simulator sim, RedisServerProcess redis, Options o, PrintStream log) {
      String prefix = "faults:" + Long.toHexString(System.nanoTime()) + ":";
      for (int i = 0; i < 2; i++) {
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(64);
        pool.setMaxIdle(64);
        pool.setMaxWait(Duration.ofMillis(500));
        UnifiedJedis client = RedisClient.builder().hostAndPort(redis.host(), redis.port()).poolConfig(pool)
            .clientConfig(DefaultJedisClientConfig.builder().connectionTimeoutMillis(300)
                .socketTimeoutMillis(500).build())
            .build();
        clients.add(client);
        String name = "router-" + (char) ('a' + i);
        RedisStateStore store = RedisStateStore.builder(client).keyPrefix(prefix).expectedInstances(2)
            .listener(m -> {
              switches.incrementAndGet();
              log.println("  " + name + " store: " + m);
            })
            .build();
        stores.add(store);
        routers.add(routerBuilder(sim, o, listener).stateStore(store).build());
      }
    }

    @Override
    public void call(long index, long start, boolean eligible, Sink sink) {
      routerCall(routers.get((int) (index & 1)), start, eligible, sink);
    }

    @Override
    public List<Switchboard> routers() {
      return routers;
    }

    @Override
    public Long revokedReports() {
      return listener.reports.get();
    }

    @Override
    public void close() {
      routers.forEach(Switchboard::close);
      stores.forEach(RedisStateStore::close);
      clients.forEach(UnifiedJedis::close);
    }
  }

  /**
   * The tutorials' loop on {@code java.net.http}: round-robin over key × model; on 429 sleep
   * {@code retry-after} and retry (at most 5 retries); any other error ends the call.
   */
  private static Driven loop(Simulator sim) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    ExecutorService pool = Executors.newCachedThreadPool(GoodputMain.daemon("loop-caller"));
    return new Driven() {
      @Override
      public void call(long index, long start, boolean eligible, Sink sink) {
        String secret = Simulator.Builder.PRESET_KEYS.get(KEYS.get((int) (index % KEYS.size())));
        String model = MODELS.get((int) ((index / KEYS.size()) % MODELS.size()));
        pool.execute(() -> {
          String failure = null;
          try {
            for (int attempt = 0; ; attempt++) {
              HttpResponse<String> r = http.send(GoodputMain.post(sim.baseUrl(), secret, model),
                  HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() == 200) {
                break;
              }
              if (r.statusCode() != 429 || attempt == 5) {
                failure = "http " + r.statusCode();
                break;
              }
              long seconds = r.headers().firstValue("retry-after").map(GoodputMain::seconds).orElse(1L);
              Thread.sleep(seconds * 1000);
            }
          } catch (IOException e) {
            failure = e.getClass().getSimpleName();
          } catch (InterruptedException e) {
            failure = "interrupted";
            Thread.currentThread().interrupt();
          }
          sink.add(new Done(start, System.nanoTime(), failure == null, failure, eligible, false), failure);
        });
      }

      @Override
      public List<Switchboard> routers() {
        return List.of();
      }

      @Override
      public Long revokedReports() {
        return null;
      }

      @Override
      public void close() {
        pool.shutdownNow();
      }
    };
  }
}
