package dev.switchboard.examples.demo;

import dev.switchboard.RouterSnapshot;
import dev.switchboard.Switchboard;
import dev.switchboard.cache.CachePolicy;
import dev.switchboard.redis.RedisStateStore;
import dev.switchboard.spi.ApiKey;
import dev.switchboard.spi.Providers;
import dev.switchboard.spi.RouterListener;
import dev.switchboard.spi.RoutingStrategyProvider;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.TransportConfig;
import dev.switchboard.spi.TransportProvider;
import dev.switchboard.stats.SlaSnapshot;
import dev.switchboard.stats.SlaStats;
import dev.switchboard.testkit.Simulator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import redis.clients.jedis.UnifiedJedis;

/**
 * The demo a newcomer runs first: a few thousand calls from dozens of tenants through one
 * Switchboard router, in a simulated world where things go wrong (a key revoked mid-run, a 529
 * window on the primary model, bursts of 429s, stalled requests, streams broken before and after
 * their first token), then the same workload through the naive retry loop of the tutorials, side
 * by side; the last line is {@code SUMMARY {json}}.
 *
 * <pre>
 * mvn -q -ntp -DskipTests -pl examples -am package exec:java \
 *     -Dexec.mainClass=dev.switchboard.examples.demo.Demo -Dexec.args="--quick"
 * </pre>
 *
 * <p>With {@code --redis} two routers share one real Redis (the cluster mode); with {@code
 * ANTHROPIC_API_KEY} set or {@code --keys-file} it runs a small workload against the real API
 * instead of the simulator. {@code --help} explains every option.
 *
 * <p>A share of the calls ({@code --stream-share}, 25% by default) is streamed: through {@link
 * Switchboard#stream} with a handler that counts events and notes the first token, and with
 * {@link Switchboard.Builder#continueInterruptedStreams(boolean) continueInterruptedStreams} on, so
 * an answer broken after its first token is finished on another route rather than failed. The
 * naive loop streams the same calls through the transport and, when a stream breaks, sends the
 * request again from scratch. The report adds streams broken after content, streams continued and
 * time to first token for both.
 */
@Command(name = "switchboard-demo", mixinStandardHelpOptions = true,
    version = "Switchboard demo 0.1.0",
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
        "Drives a few thousand calls from dozens of tenants through one Switchboard router against "
            + "the in-process Anthropic API simulator, while a fault script revokes a key, opens a "
            + "529 window on the primary model, fires bursts of 429s, stalls requests and breaks "
            + "streams mid-answer; then replays the same workload through the tutorials' naive "
            + "retry loop and compares.",
        "Progress goes to stderr; the tables and, as the very last line, SUMMARY {json} go to "
            + "stdout.",
        ""},
    footer = {"",
        "Examples:",
        "  switchboard-demo                 3000 calls over 35 s, then the baseline",
        "  switchboard-demo --quick         300 calls over 8 s (about 30 s in all)",
        "  switchboard-demo --redis         two routers sharing one real Redis",
        "  switchboard-demo --stream-share 100   every call streamed",
        "  switchboard-demo --keys-file k   20 small calls against the real API"})
public final class Demo implements Callable<Integer> {
  static final int DEFAULT_CALLS = 3_000;
  static final int QUICK_CALLS = 300;
  static final int REAL_CALLS = 20;
  static final int DEFAULT_SECONDS = 35;
  static final int QUICK_SECONDS = 8;
  static final int REAL_SECONDS = 10;
  /** Admission control: calls running at once per router; more wait, by priority. */
  static final int MAX_IN_FLIGHT = 48;
  /** Admission control: calls that may wait for a slot. */
  static final int MAX_QUEUED = 10_000;
  /** Percent of the calls streamed unless --stream-share says otherwise. */
  static final int DEFAULT_STREAM_SHARE = 25;

  @Option(names = "--calls", paramLabel = "N",
      description = "Calls to send in each run (default: " + DEFAULT_CALLS + "; " + QUICK_CALLS
          + " with --quick; " + REAL_CALLS + " against the real API).")
  Integer calls;

  @Option(names = "--duration", paramLabel = "SECONDS",
      description = "Seconds over which the calls arrive; the fault script is timed as fractions "
          + "of it (default: " + DEFAULT_SECONDS + "; " + QUICK_SECONDS + " with --quick; "
          + REAL_SECONDS + " against the real API).")
  Integer duration;

  @Option(names = "--quick",
      description = "A small, fast configuration: " + QUICK_CALLS + " calls over " + QUICK_SECONDS
          + " s, shorter deadlines and stalls (about 30 s in all).")
  boolean quick;

  @Option(names = "--tenants", paramLabel = "N", defaultValue = "36",
      description = "Tenants sending the calls; a quarter are interactive (short deadlines), a "
          + "quarter batch (long documents), a quarter FAQ bots repeating questions (default: "
          + "${DEFAULT-VALUE}).")
  int tenants;

  @Option(names = "--stream-share", paramLabel = "PERCENT",
      defaultValue = "" + DEFAULT_STREAM_SHARE,
      description = "Percent of the calls that are streamed (0 to 100): the router streams them "
          + "with Switchboard.stream and continues answers broken mid-stream on another route; the "
          + "naive loop streams them through the transport and restarts a broken stream from "
          + "scratch (default: ${DEFAULT-VALUE}).")
  int streamShare;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
      description = "Seed of the workload and of the router's jitter, for a reproducible run "
          + "(default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--strategy", paramLabel = "NAME", defaultValue = "headroom",
      description = "The router's routing strategy: headroom, round-robin, weighted, "
          + "least-in-flight or lowest-latency (default: ${DEFAULT-VALUE}).")
  String strategy;

  @Option(names = "--redis",
      description = "Cluster mode: two routers share one real Redis (redis-server from the PATH, "
          + "else the binary packaged in embedded-redis) and split the workload.")
  boolean redis;

  @Option(names = "--keys-file", paramLabel = "FILE",
      description = "Run against the real API with these keys: one per line, 'alias organization "
          + "secret', '#' starts a comment. ANTHROPIC_API_KEY alone does the same with one key.")
  Path keysFile;

  @Option(names = "--simulate",
      description = "Use the simulator even when ANTHROPIC_API_KEY is set.")
  boolean simulate;

  @Option(names = "--models", paramLabel = "MODEL[,MODEL...]", split = ",",
      hideParamSyntax = true,
      description = "Against the real API: the model chain, primary first (default: "
          + "claude-sonnet-4-6,claude-haiku-4-5). The simulated run always uses "
          + "claude-opus-4-6 > claude-sonnet-4-6 > claude-haiku-4-5.")
  List<String> models;

  @Option(names = "--base-url", paramLabel = "URL",
      description = "Against the real API: where to send (a proxy, a gateway); default "
          + "ANTHROPIC_BASE_URL, else https://api.anthropic.com.")
  String baseUrl;

  @Option(names = "--no-baseline",
      description = "Skip the naive retry loop (its fields in SUMMARY are then absent).")
  boolean noBaseline;

  @Option(names = "--progress", paramLabel = "MODE", defaultValue = "AUTO",
      description = "How progress is shown on stderr: ${COMPLETION-CANDIDATES} (default: "
          + "${DEFAULT-VALUE}; AUTO is a bar on a terminal, plain lines on CI or in a pipe).")
  Progress.Mode progress;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private final PrintStream out;
  private final PrintStream err;

  Demo(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /**
   * Runs the demo with command-line arguments; exits with a non-zero status only on a usage error
   * or a failure of the demo itself.
   */
  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Runs the demo writing to the given streams; returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cl = commandLine(out, err);
    return cl.execute(args);
  }

  /** Returns the command line of a demo writing to the given streams. */
  static CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new Demo(out, err));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    return cl;
  }

  /**
   * Runs the demo as the options say: against the real API when keys are given (and {@code
   * --simulate} is not), else in the simulated world; returns the exit code (0).
   *
   * @throws CommandLine.ParameterException when an option's value is invalid (exit code 2)
   */
  @Override
  public Integer call() throws Exception {
    positive("--calls", calls);
    positive("--duration", duration);
    positive("--tenants", tenants);
    if (streamShare < 0 || streamShare > 100) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--stream-share must be between 0 and 100 but was " + streamShare);
    }
    if (baseUrl != null && !baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--base-url must be an http or https URL but was " + baseUrl);
    }
    if (models != null && models.stream().distinct().count() != models.size()) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--models must not name a model twice but was " + String.join(",", models));
    }
    Map<String, RoutingStrategyProvider> strategies =
        Providers.all(RoutingStrategyProvider.class, Demo.class.getClassLoader());
    if (!strategies.containsKey(strategy)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--strategy must be one of "
          + new java.util.TreeSet<>(strategies.keySet()) + " but was " + strategy);
    }
    List<RealKey> realKeys = simulate ? List.of() : realKeys();
    if (!realKeys.isEmpty()) {
      return runReal(realKeys);
    }
    return runSimulated();
  }

  // ------------------------------------------------------------------ simulated world

  private int runSimulated() throws Exception {
    int n = calls != null ? calls : quick ? QUICK_CALLS : DEFAULT_CALLS;
    Duration window = Duration.ofSeconds(duration != null ? duration : quick ? QUICK_SECONDS
        : DEFAULT_SECONDS);
    Scenario scenario = new Scenario(window, n, quick);
    Workload workload = Workload.generate(seed, n, tenants, window, Scenario.OPUS,
        scenario.deadlines(), 0, streamShare / 100.0);
    Duration cap = window.plus(workload.longestDeadline()).plusSeconds(5);

    out.println("Switchboard demo: " + n + " calls from " + tenants + " tenants over "
        + window.toSeconds() + " s, against the in-process API simulator" + (redis
        ? ", two routers sharing one Redis" : ""));
    out.println("  keys: " + Scenario.KEYS.stream().map(k -> k.alias() + " (" + k.organization()
        + ")").toList());
    out.println("  models: " + Scenario.OPUS + " > " + Scenario.SONNET + " > " + Scenario.HAIKU
        + "; " + Scenario.NORTH + " has Tier 4 limits (4,000 RPM), " + Scenario.SOUTH
        + " Tier 2 (1,000 RPM)");
    Workload.Deadlines d = scenario.deadlines();
    out.println("  deadlines: interactive " + d.interactive().toSeconds() + " s, standard "
        + d.standard().toSeconds() + " s, batch " + d.batch().toSeconds() + " s; "
        + workload.repeats() + " calls repeat a question their tenant asked before");
    out.println("  router: strategy " + strategy + ", response cache on (tenant-scoped; the FAQ "
        + "bots opt in), admission " + MAX_IN_FLIGHT + " in flight with interactive > standard > "
        + "batch priority");
    out.println(streamingLine(workload)
        + (streamShare == 0 ? "" : "; stream watchdogs: headers within the class's attempt "
        + "timeout, first token " + RouterClient.STREAM_FIRST_TOKEN_EXTRA.toSeconds() + " s later, "
        + "then " + RouterClient.STREAM_IDLE.toSeconds() + " s between tokens (+"
        + RouterClient.STREAM_PING_ALLOWANCE.toSeconds() + " s while only pings arrive)"));
    out.println("  fault script:");
    for (Scenario.Step s : scenario.steps()) {
      out.println(String.format(Locale.ROOT, "    at %5.1f s  %s",
          s.at() * window.toMillis() / 1000.0, s.description()));
    }
    out.flush();

    Tally router = runRouter(scenario, workload, cap);
    Report.table(out, router, "Switchboard, per key / model:");
    Tally baseline = null;
    if (!noBaseline) {
      baseline = runBaseline(scenario, workload, cap);
      Report.table(out, baseline, "Naive retry loop (round-robin key, sleep retry-after, retry; "
          + "a broken stream is sent again from scratch), per key / model:");
      Report.comparison(out, router, baseline);
    } else {
      Report.alone(out, router);
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("mode", redis ? "simulator+redis" : "simulator");
    putStreaming(summary);
    summary.put("seed", seed);
    summary.putAll(Report.fields(router));
    if (baseline != null) {
      summary.put("baseline", Report.fields(baseline));
    }
    out.println();
    out.println(Report.summaryLine(summary));
    out.flush();
    return 0;
  }

  private Tally runRouter(Scenario scenario, Workload workload, Duration cap) throws Exception {
    Tally tally = new Tally("switchboard");
    ScheduledExecutorService timer = timer("demo-faults");
    List<AutoCloseable> closeLater = new ArrayList<>();
    try (Simulator sim = scenario.startSimulator()) {
      try {
        driveRouters(scenario, workload, cap, sim, tally, timer, closeLater);
      } finally {
        timer.shutdownNow();
        for (AutoCloseable c : closeLater) {
          try {
            c.close();
          } catch (Exception ex) {
            err.println("closing " + c.getClass().getSimpleName() + ": " + ex);
          }
        }
      }
    }
    return tally;
  }

  /** Builds the router(s), replays the workload with the fault script, reports what they saw. */
  private void driveRouters(Scenario scenario, Workload workload, Duration cap, Simulator sim,
      Tally tally, ScheduledExecutorService timer, List<AutoCloseable> closeLater)
      throws Exception {
    EmbeddedRedis redisServer = null;
    if (redis) {
      redisServer = EmbeddedRedis.start();
      closeLater.add(redisServer);
      out.println("  cluster: " + redisServer);
    }
    SlaStats sla = SlaStats.builder().window(Duration.ofMinutes(10)).build();
    List<Switchboard> routers = new ArrayList<>();
    try (Progress p = new Progress(err, progress, "router", tally, workload.calls().size(),
        () -> "keys disabled: " + tally.keysDisabled.size())) {
      int count = redis ? 2 : 1;
      String prefix = "demo:" + Long.toHexString(System.nanoTime()) + ":";
      for (int i = 0; i < count; i++) {
        Switchboard.Builder b = simulatedRouter(sim, tally, sla, p::log,
            redis ? "router-" + (char) ('a' + i) + ": " : "");
        if (redisServer != null) {
          UnifiedJedis client = redisServer.client(64);
          closeLater.add(0, client);
          RedisStateStore store = RedisStateStore.builder(client).keyPrefix(prefix)
              .expectedInstances(count).listener(m -> p.log("redis: " + m)).build();
          closeLater.add(0, store);
          b.stateStore(store);
        }
        Switchboard router = b.build();
        closeLater.add(0, router);
        routers.add(router);
      }
      p.begin();
      List<ScheduledFuture<?>> steps = scenario.script(sim, timer, p::log);
      Driver.run(workload.calls(), new RouterClient(routers, true), tally, cap);
      steps.forEach(s -> s.cancel(false));
    }
    for (int i = 0; i < routers.size(); i++) {
      RouterSnapshot snap = routers.get(i).snapshot();
      snap.disabled().keySet().stream().filter(s -> s.startsWith("key:"))
          .forEach(s -> tally.keysDisabled.add(s.substring(4)));
      if (routers.size() > 1) {
        out.println("  router-" + (char) ('a' + i) + " sees disabled: " + snap.disabled().keySet()
            + ", totals " + snap.totals());
      }
    }
    SlaSnapshot.Scope overall = sla.snapshot().overall();
    out.println(String.format(Locale.ROOT, "  SlaStats: availability %.2f%%, %d calls, "
            + "%d attempts, p99 %.1f ms", overall.lifetime().availability() * 100,
        overall.lifetime().calls(), overall.lifetime().attempts(),
        overall.latency().p99Nanos() / 1e6));
  }

  private Switchboard.Builder simulatedRouter(Simulator sim, Tally tally, SlaStats sla,
      Consumer<String> log, String name) {
    Switchboard.Builder b = Switchboard.builder()
        .baseUrl(sim.baseUrl().toString())
        .strategy(strategy)
        .random(new SeededRandom(seed))
        .responseCache(CachePolicy.DEFAULT)
        .admission(MAX_IN_FLIGHT, MAX_QUEUED)
        .continueInterruptedStreams(true)
        .listener(new TallyListener(tally, log, name, List.<RouterListener>of(sla)));
    for (Scenario.SimKey k : Scenario.KEYS) {
      b.key(k.alias(), k.secret(), k.organization());
    }
    b.model(Scenario.OPUS, Scenario.limits(Scenario.NORTH, Scenario.OPUS))
        .fallbackTo(Scenario.SONNET, Scenario.limits(Scenario.NORTH, Scenario.SONNET))
        .fallbackTo(Scenario.HAIKU, Scenario.limits(Scenario.NORTH, Scenario.HAIKU));
    for (String model : List.of(Scenario.OPUS, Scenario.SONNET, Scenario.HAIKU)) {
      b.organizationLimits(Scenario.SOUTH, model, Scenario.limits(Scenario.SOUTH, model));
    }
    return b;
  }

  private Tally runBaseline(Scenario scenario, Workload workload, Duration cap) throws Exception {
    Tally tally = new Tally("naive loop");
    ScheduledExecutorService faults = timer("demo-faults");
    ScheduledExecutorService waits = timer("naive-retry");
    try (Simulator sim = scenario.startSimulator();
        Transport transport = transport(TransportConfig.builder().baseUrl(sim.baseUrl()).build());
        Progress p = new Progress(err, progress, "baseline", tally, workload.calls().size(),
            () -> "")) {
      List<ApiKey> keys = Scenario.KEYS.stream().map(k -> ApiKey.of(k.alias(), k.secret()))
          .toList();
      p.begin();
      List<ScheduledFuture<?>> steps = scenario.script(sim, faults, p::log);
      NaiveLoop naive = new NaiveLoop(transport, keys, tally, waits, NaiveLoop.ERROR_BACKOFF);
      Driver.run(workload.calls(), naive, tally, cap);
      steps.forEach(s -> s.cancel(false));
    } finally {
      faults.shutdownNow();
      waits.shutdownNow();
    }
    return tally;
  }

  // ------------------------------------------------------------------ the real API

  /** A key of the real API, read from the environment or the keys file. */
  record RealKey(String alias, String organization, String secret) {
    @Override
    public String toString() {
      return "RealKey[" + alias + ", " + organization + "]";
    }
  }

  private List<RealKey> realKeys() throws IOException {
    List<RealKey> keys = new ArrayList<>();
    if (keysFile != null) {
      List<String> lines = Files.readAllLines(keysFile, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\\s+");
        if (parts.length != 3) {
          throw new CommandLine.ParameterException(spec.commandLine(), "--keys-file " + keysFile
              + " line " + (i + 1) + " must be 'alias organization secret' but has " + parts.length
              + " field(s)");
        }
        keys.add(new RealKey(parts[0], parts[1], parts[2]));
      }
      if (keys.isEmpty()) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--keys-file " + keysFile
            + " holds no key");
      }
      return keys;
    }
    String env = System.getenv("ANTHROPIC_API_KEY");
    if (env != null && !env.isBlank()) {
      keys.add(new RealKey("env-key", "org-env", env.strip()));
    }
    return keys;
  }

  private int runReal(List<RealKey> keys) throws Exception {
    int n = calls != null ? calls : REAL_CALLS;
    Duration window = Duration.ofSeconds(duration != null ? duration : REAL_SECONDS);
    List<String> chain = models != null && !models.isEmpty() ? models
        : List.of("claude-sonnet-4-6", "claude-haiku-4-5");
    Duration minute = Duration.ofSeconds(60);
    Duration half = Duration.ofSeconds(30);
    Workload.Deadlines d = new Workload.Deadlines(minute, minute, minute, half, half, half);
    Workload workload = Workload.generate(seed, n, tenants, window, chain.get(0), d, 64,
        streamShare / 100.0);
    Duration cap = window.plus(workload.longestDeadline()).plusSeconds(5);

    String url = baseUrl != null ? baseUrl : System.getenv().getOrDefault("ANTHROPIC_BASE_URL",
        TransportConfig.ANTHROPIC_BASE_URL.toString());
    out.println("Switchboard demo against the real API at " + url + ": " + n
        + " calls (max_tokens <= 64) over " + window.toSeconds() + " s, keys "
        + keys.stream().map(RealKey::alias).toList() + ", models " + String.join(" > ", chain)
        + "; no faults are injected");
    out.println(streamingLine(workload));
    Tally router = new Tally("switchboard");
    Switchboard.Builder b = Switchboard.builder().baseUrl(url).strategy(strategy)
        .random(new SeededRandom(seed))
        .responseCache(CachePolicy.DEFAULT)
        .admission(MAX_IN_FLIGHT, MAX_QUEUED)
        .continueInterruptedStreams(true);
    for (RealKey k : keys) {
      b.key(k.alias(), k.secret(), k.organization());
    }
    b.model(chain.get(0));
    for (String m : chain.subList(1, chain.size())) {
      b.fallbackTo(m);
    }
    try (Progress p = new Progress(err, progress, "router", router, n, () -> "")) {
      b.listener(new TallyListener(router, p::log, "", List.of()));
      try (Switchboard sb = b.build()) {
        p.begin();
        Driver.run(workload.calls(), new RouterClient(List.of(sb), false), router, cap);
      }
    }
    Report.table(out, router, "Switchboard, per key / model:");
    Tally baseline = null;
    if (!noBaseline) {
      baseline = new Tally("naive loop");
      ScheduledExecutorService waits = timer("naive-retry");
      try (Transport transport = transport(TransportConfig.builder().baseUrl(url).build());
          Progress p = new Progress(err, progress, "baseline", baseline, n, () -> "")) {
        List<ApiKey> apiKeys = keys.stream().map(k -> ApiKey.of(k.alias(), k.secret())).toList();
        NaiveLoop naive =
            new NaiveLoop(transport, apiKeys, baseline, waits, NaiveLoop.ERROR_BACKOFF);
        p.begin();
        Driver.run(workload.calls(), naive, baseline, cap);
      } finally {
        waits.shutdownNow();
      }
      Report.table(out, baseline, "Naive retry loop, per key / model:");
      Report.comparison(out, router, baseline);
    } else {
      Report.alone(out, router);
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("mode", "real-api");
    putStreaming(summary);
    summary.put("seed", seed);
    summary.putAll(Report.fields(router));
    if (baseline != null) {
      summary.put("baseline", Report.fields(baseline));
    }
    out.println();
    out.println(Report.summaryLine(summary));
    out.flush();
    return 0;
  }

  // ------------------------------------------------------------------ helpers

  /** Returns the line that says which calls stream and how each run treats them. */
  private String streamingLine(Workload workload) {
    if (streamShare == 0) {
      return "  streaming: off (--stream-share 0), every call is a plain request";
    }
    return "  streaming: " + streamShare + "% of calls (" + workload.streamed() + ") go through "
        + "router.stream(...) with a handler counting events; continueInterruptedStreams is on, so "
        + "an answer broken after its first token is finished on another route; streams bypass "
        + "the response cache; the naive loop streams the same calls through the transport and "
        + "sends a broken one again from scratch";
  }

  private void putStreaming(Map<String, Object> summary) {
    summary.put("streaming", streamShare > 0);
    summary.put("stream_share", streamShare / 100.0);
    summary.put("continue_interrupted", true);
  }

  private void positive(String name, Integer value) {
    if (value != null && value < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          name + " must be >= 1 but was " + value);
    }
  }

  private static Transport transport(TransportConfig config) {
    return Providers.find(TransportProvider.class, "okhttp", Demo.class.getClassLoader())
        .create(config);
  }

  private static ScheduledExecutorService timer(String name) {
    return Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /** A thread-safe, seeded source of the router's jitter. */
  static final class SeededRandom implements java.util.random.RandomGenerator {
    private final java.util.concurrent.atomic.AtomicLong state;

    SeededRandom(long seed) {
      this.state = new java.util.concurrent.atomic.AtomicLong(seed);
    }

    @Override
    public long nextLong() {
      // SplitMix64 over an atomic counter: thread-safe without locks
      long z = state.addAndGet(0x9E3779B97F4A7C15L);
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }
  }
}
