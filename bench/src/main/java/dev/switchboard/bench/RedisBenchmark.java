package dev.switchboard.bench;

import dev.switchboard.BudgetExhaustedException;
import dev.switchboard.CallOptions;
import dev.switchboard.DeadlineExceededException;
import dev.switchboard.Switchboard;
import dev.switchboard.redis.RedisStateStore;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.RouterListener;
import dev.switchboard.testkit.RedisServerProcess;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.redis.jedis.Bucket4jJedis;
import io.github.bucket4j.redis.jedis.cas.JedisBasedProxyManager;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Shared-state decisions per second on one real {@code redis-server} (loopback): two Switchboard
 * routers in one JVM sharing a {@link RedisStateStore} (instant transport, 3 keys × 3 models,
 * limits that never refuse) against Bucket4j's Jedis backend consuming 1 token from a 3-bandwidth
 * bucket per call, at 1, 4 and 16 threads. Redis commands per call come from {@code INFO
 * commandstats} deltas (every command counts; the two {@code INFO} calls are excluded). A command
 * is one round trip unless pipelined, so commands per call is an upper bound on round trips.
 *
 * <p>Bucket4j consumes the same amount from every bandwidth; Switchboard takes 1 request, the
 * estimated input tokens and {@code max_tokens} in one call: the work is comparable, not equal.
 *
 * <p>Then the over-admission check: two routers, each with its own {@link RedisStateStore} on the
 * same Redis, one key and one model whose pool has a small configured limit ({@code --limit-rpm},
 * default 120 requests per minute), driven by 8 threads far above it for a few seconds. The sum of
 * the grants (attempts the transports saw) must not exceed the limit (the full bucket at the start)
 * plus its refill over the measured time plus one refill step (one request).
 *
 * <p>The server is a testkit {@link RedisServerProcess}: {@code redis-server} from the PATH, else
 * the one packaged in embedded-redis ({@code -Dswitchboard.redis.server=embedded} forces it).
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.switchboard.bench.RedisBenchmark
 * [--seconds N] [--threads 1,4,16] [--over-admission-seconds N] [--limit-rpm N]}. Prints one JSON
 * line per system × thread count, then one for the over-admission check; progress goes to
 * standard error.
 */
public final class RedisBenchmark {
  static final long HUGE = 1_000_000_000_000L;

  private RedisBenchmark() {}

  /** The knobs of one run; {@code overAdmissionSeconds} 0 skips the over-admission check. */
  record Options(double seconds, List<Integer> threads, double overAdmissionSeconds, long limitRpm) {
    Options {
      if (!(seconds > 0)) {
        throw new IllegalArgumentException("seconds must be positive but was " + seconds);
      }
      if (!(overAdmissionSeconds >= 0)) {
        throw new IllegalArgumentException("overAdmissionSeconds must be >= 0 but was " + overAdmissionSeconds);
      }
      if (limitRpm < 1) {
        throw new IllegalArgumentException("limitRpm must be at least 1 but was " + limitRpm);
      }
      for (int t : threads) {
        if (t < 1) {
          throw new IllegalArgumentException("threads must be at least 1 but was " + t);
        }
      }
      threads = List.copyOf(threads);
    }

    static Options parse(String... args) {
      double seconds = 3;
      List<Integer> threads = List.of(1, 4, 16);
      double overSeconds = 5;
      long limitRpm = 120;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--seconds" -> seconds = Double.parseDouble(value(args, ++i, "--seconds"));
          case "--threads" -> threads = Arrays.stream(value(args, ++i, "--threads").split(","))
              .map(String::trim).map(Integer::valueOf).toList();
          case "--over-admission-seconds" -> overSeconds = Double.parseDouble(value(args, ++i,
              "--over-admission-seconds"));
          case "--limit-rpm" -> limitRpm = Long.parseLong(value(args, ++i, "--limit-rpm"));
          default -> throw new IllegalArgumentException("unknown argument '" + args[i]
              + "'; expected --seconds N, --threads 1,4,16, --over-admission-seconds N, --limit-rpm N");
        }
      }
      return new Options(seconds, threads, overSeconds, limitRpm);
    }

    private static String value(String[] args, int i, String name) {
      if (i >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      return args[i];
    }
  }

  /** One measured cell. */
  record Result(String system, int threads, double opsPerSecond, double roundTripsPerCall,
      String roundTripCommands, double commandsPerCall, String perCommand, double ratioVsBucket4j,
      boolean degraded, long calls, String redis) {
    String json() {
      return String.format(Locale.ROOT, "{\"system\":\"%s\",\"threads\":%d,\"ops_per_s\":%.0f,"
          + "\"ratio_vs_bucket4j\":%.3f,\"round_trips_per_call\":%.3f,\"round_trip_commands\":%s,"
          + "\"commands_per_call\":%.3f,\"per_command\":%s,\"degraded\":%s,\"calls\":%d,\"redis\":\"%s\"}",
          system, threads, opsPerSecond, ratioVsBucket4j, roundTripsPerCall, roundTripCommands,
          commandsPerCall, perCommand, degraded, calls, redis);
    }
  }

  /**
   * The over-admission check: what two routers sharing one Redis granted against a small limit.
   *
   * @param limitRpm the pool's configured requests per minute (its bucket's capacity)
   * @param threads how many threads drove the two routers
   * @param seconds measured time, from the first call to the end of the last
   * @param grants attempts the two transports saw (each one a granted request)
   * @param grantsPerRouter grants of each router
   * @param allowed the bound: the full bucket, plus its refill over {@code seconds}, plus one step
   * @param refused calls that ended without an attempt, by exception type
   * @param degraded whether a store switched to its fallback (its limit share) during the check
   */
  record OverAdmission(long limitRpm, int threads, double seconds, long grants, List<Long> grantsPerRouter,
      long allowed, Map<String, Long> refused, boolean degraded, String redis) {

    /** Returns how many grants exceeded the bound (0 when none). */
    long overAdmitted() {
      return Math.max(0, grants - allowed);
    }

    String json() {
      StringBuilder r = new StringBuilder("{");
      refused.forEach((k, v) -> r.append(r.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
      return String.format(Locale.ROOT, "{\"system\":\"switchboard-redis-over-admission\",\"routers\":2,"
          + "\"threads\":%d,\"limit_rpm\":%d,\"seconds\":%.3f,\"grants\":%d,\"grants_per_router\":%s,"
          + "\"allowed\":%d,\"over_admitted\":%d,\"grants_over_allowed\":%.4f,\"refused\":%s,"
          + "\"degraded\":%s,\"redis\":\"%s\"}",
          threads, limitRpm, seconds, grants, grantsPerRouter, allowed, overAdmitted(),
          (double) grants / allowed, r.append('}'), degraded, redis);
    }
  }

  /** Everything one run measured: the cells, then the over-admission check (null when skipped). */
  record Report(List<Result> cells, OverAdmission overAdmission) {}

  /** Runs the benchmark and prints one JSON line per cell, then the over-admission line. */
  public static void main(String[] args) {
    Report report = run(Options.parse(args), System.err);
    for (Result r : report.cells()) {
      System.out.println(r.json());
    }
    if (report.overAdmission() != null) {
      System.out.println(report.overAdmission().json());
    }
    System.exit(0);
  }

  static Report run(Options o, PrintStream log) {
    List<Result> results = new ArrayList<>();
    try (RedisServerProcess redis = RedisServerProcess.start()) {
      log.println("redis: " + redis.source() + " on port " + redis.port());
      String[] b4jTrips;
      String[] sbTrips;
      try (Fixture f = bucket4j(redis.port(), 1)) {
        b4jTrips = roundTrips(redis.port(), 200, f.op()).split("\\|");
      }
      try (Fixture f = switchboard(redis.port(), 1)) {
        sbTrips = roundTrips(redis.port(), 200, f.op()).split("\\|");
      }
      for (int threads : o.threads()) {
        log.printf(Locale.ROOT, "redis: bucket4j-jedis, %d threads, %.1f s%n", threads, o.seconds());
        Cell b4j;
        try (Fixture f = bucket4j(redis.port(), threads)) {
          b4j = measure(f, threads, o.seconds());
        }
        log.printf(Locale.ROOT, "redis: switchboard-redis, %d threads, %.1f s%n", threads, o.seconds());
        Cell sb;
        try (Fixture f = switchboard(redis.port(), threads)) {
          sb = measure(f, threads, o.seconds());
        }
        results.add(new Result("bucket4j-jedis", threads, b4j.opsPerSecond(), Double.parseDouble(b4jTrips[0]),
            b4jTrips[1], b4j.commandsPerCall(), b4j.perCommand(), 1.0, false, b4j.calls(), redis.source()));
        results.add(new Result("switchboard-redis", threads, sb.opsPerSecond(), Double.parseDouble(sbTrips[0]),
            sbTrips[1], sb.commandsPerCall(), sb.perCommand(), sb.opsPerSecond() / b4j.opsPerSecond(),
            sb.degraded(), sb.calls(), redis.source()));
      }
      OverAdmission over = null;
      if (o.overAdmissionSeconds() > 0) {
        log.printf(Locale.ROOT, "redis: over-admission check, 2 routers, %d RPM, %.1f s%n", o.limitRpm(),
            o.overAdmissionSeconds());
        over = overAdmission(redis, o.limitRpm(), o.overAdmissionSeconds());
      }
      return new Report(results, over);
    }
  }

  /** Threads driving the over-admission check (half on each router). */
  static final int OVER_ADMISSION_THREADS = 8;

  /**
   * Drives two routers sharing one pool in Redis far above its limit: every thread calls as fast
   * as the routers answer (a call waits for a refill at most 1 s, then fails), for {@code seconds}.
   */
  static OverAdmission overAdmission(RedisServerProcess redis, long limitRpm, double seconds) {
    UnifiedJedis jedis = client(redis.port(), OVER_ADMISSION_THREADS);
    try {
      jedis.flushAll();
      AtomicBoolean degraded = new AtomicBoolean();
      List<RedisStateStore> stores = new ArrayList<>();
      List<InstantTransport> transports = new ArrayList<>();
      List<Switchboard> routers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        RedisStateStore store = RedisStateStore.builder(jedis).keyPrefix("bench:oa:")
            .expectedInstances(2).timeout(Duration.ofSeconds(1))
            .listener(m -> degraded.set(true)).build();
        stores.add(store);
        InstantTransport transport = new InstantTransport();
        transports.add(transport);
        routers.add(Switchboard.builder().transport(transport).stateStore(store)
            .key("key-0", "sk-ant-bench-over-admission", "org-0")
            .model(OverheadBenchmark.MODELS[0], Switchboard.limits(limitRpm, HUGE, HUGE))
            .deadline(Duration.ofSeconds(1))
            .build());
      }
      MessageRequest request = OverheadBenchmark.request();
      CallOptions options = CallOptions.DEFAULT;
      java.util.Map<String, Long> refused = new java.util.concurrent.ConcurrentSkipListMap<>();
      long start = System.nanoTime();
      try {
        runFor(OVER_ADMISSION_THREADS, seconds, i -> {
          Switchboard router = routers.get((int) ((i / 1_000_003L) & 1));
          try {
            router.send(request, options);
          } catch (BudgetExhaustedException | DeadlineExceededException e) {
            refused.merge(e.getClass().getSimpleName(), 1L, Long::sum);
          }
        });
      } finally {
        routers.forEach(Switchboard::close);
        stores.forEach(RedisStateStore::close);
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      List<Long> perRouter = transports.stream().map(InstantTransport::calls).toList();
      long grants = perRouter.stream().mapToLong(Long::longValue).sum();
      long allowed = (long) Math.floor(limitRpm + limitRpm * elapsed / 60.0) + 1;
      boolean anyDegraded = degraded.get() || stores.stream().anyMatch(RedisStateStore::degraded);
      return new OverAdmission(limitRpm, OVER_ADMISSION_THREADS, elapsed, grants, perRouter, allowed,
          new java.util.TreeMap<>(refused), anyDegraded, redis.source());
    } finally {
      jedis.close();
    }
  }

  private record Cell(double opsPerSecond, double commandsPerCall, String perCommand, boolean degraded, long calls) {}

  /** A system ready to be called: its per-call operation, its degraded flag, what to close. */
  private record Fixture(Op op, java.util.function.BooleanSupplier degraded, UnifiedJedis jedis,
      Runnable closer) implements AutoCloseable {
    @Override
    public void close() {
      try {
        closer.run();
      } finally {
        jedis.close();
      }
    }
  }

  private static UnifiedJedis client(int port, int threads) {
    GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
    pool.setMaxTotal(Math.max(8, threads * 2));
    pool.setMaxIdle(Math.max(8, threads * 2));
    pool.setMaxWait(Duration.ofSeconds(2));
    return RedisClient.builder().hostAndPort("127.0.0.1", port).poolConfig(pool)
        .clientConfig(DefaultJedisClientConfig.builder().connectionTimeoutMillis(2_000)
            .socketTimeoutMillis(2_000).build())
        .build();
  }

  /** Bucket4j's compare-and-swap Jedis backend: 9 buckets of 3 bandwidths, {@code tryConsume(1)}. */
  private static Fixture bucket4j(int port, int threads) {
    UnifiedJedis jedis = client(port, threads);
    jedis.flushAll();
    JedisBasedProxyManager<byte[]> manager = Bucket4jJedis.casBasedBuilder(jedis).build();
    BucketConfiguration config = BucketConfiguration.builder()
        .addLimit(Bandwidth.builder().capacity(HUGE).refillGreedy(HUGE, Duration.ofHours(1)).build())
        .addLimit(Bandwidth.builder().capacity(HUGE).refillGreedy(HUGE, Duration.ofHours(1)).build())
        .addLimit(Bandwidth.builder().capacity(HUGE).refillGreedy(HUGE, Duration.ofHours(1)).build())
        .build();
    List<BucketProxy> buckets = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      buckets.add(manager.builder().build(("bench:b4j:pool-" + i).getBytes(StandardCharsets.UTF_8), () -> config));
    }
    Op op = i -> {
      if (!buckets.get((int) (i % buckets.size())).tryConsume(1)) {
        throw new IllegalStateException("bucket4j refused under a limit that never refuses");
      }
    };
    return new Fixture(op, () -> false, jedis, () -> { });
  }

  /** Two routers (3 keys × 3 models each, never-refusing limits) sharing one Redis state. */
  private static Fixture switchboard(int port, int threads) {
    UnifiedJedis jedis = client(port, threads);
    jedis.flushAll();
    AtomicBoolean degraded = new AtomicBoolean();
    List<RedisStateStore> stores = new ArrayList<>();
    List<Switchboard> routers = new ArrayList<>();
    InstantTransport transport = new InstantTransport();
    for (int r = 0; r < 2; r++) {
      RedisStateStore store = RedisStateStore.builder(jedis).keyPrefix("bench:sb:")
          .expectedInstances(2).timeout(Duration.ofSeconds(1))
          .listener(m -> degraded.set(true)).build();
      stores.add(store);
      routers.add(OverheadBenchmark.buildRouter(9, transport, RouterListener.NONE, store));
    }
    MessageRequest request = OverheadBenchmark.request();
    Op op = i -> routers.get((int) (i & 1)).send(request);
    return new Fixture(op, () -> stores.stream().anyMatch(RedisStateStore::degraded) || degraded.get(), jedis,
        () -> {
          routers.forEach(Switchboard::close);
          stores.forEach(RedisStateStore::close);
          transport.close();
        });
  }

  /**
   * Counts the commands clients send per call (round trips, unless pipelined) over {@code calls}
   * single-threaded calls, with {@code MONITOR}: it shows commands run inside a Lua script as
   * {@code [0 lua]}, which {@code INFO commandstats} cannot tell apart from a client's own.
   */
  static String roundTrips(int port, long calls, Op op) {
    java.util.Map<String, Long> counts = new java.util.concurrent.ConcurrentSkipListMap<>();
    CountDownLatch markerSeen = new CountDownLatch(1);
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      java.io.BufferedReader in = new java.io.BufferedReader(
          new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      if (!"+OK".equals(in.readLine())) {
        throw new IllegalStateException("MONITOR was refused");
      }
      Thread reader = new Thread(() -> {
        try {
          String line;
          while ((line = in.readLine()) != null) {
            int open = line.indexOf('[');
            int close = line.indexOf(']', open + 1);
            int quote = line.indexOf('"', close + 1);
            if (open < 0 || close < 0 || quote < 0) {
              continue;
            }
            String cmd = line.substring(quote + 1, line.indexOf('"', quote + 1)).toLowerCase(Locale.ROOT);
            String source = line.substring(open + 1, close);
            if (cmd.equals("echo") && line.contains("bench-monitor-end")) {
              markerSeen.countDown();
              return;
            }
            if (source.endsWith(" lua") || cmd.equals("info")) {
              continue;
            }
            counts.merge(cmd, 1L, Long::sum);
          }
        } catch (IOException closed) {
          // the socket was closed: sampling is over
        }
      }, "redis-monitor");
      reader.setDaemon(true);
      reader.start();
      for (long i = 0; i < calls; i++) {
        op.call(i);
      }
      // a marker through a second connection: once MONITOR shows it, every earlier command was seen
      try (redis.clients.jedis.Jedis marker = new redis.clients.jedis.Jedis("127.0.0.1", port)) {
        marker.echo("bench-monitor-end");
      }
      if (!markerSeen.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new IllegalStateException("MONITOR did not show the end marker within 10 s");
      }
      socket.close();
      reader.join(5_000);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("MONITOR sampling failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    StringBuilder json = new StringBuilder("{");
    long total = 0;
    for (java.util.Map.Entry<String, Long> e : counts.entrySet()) {
      total += e.getValue();
      json.append(json.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":")
          .append(String.format(Locale.ROOT, "%.3f", (double) e.getValue() / calls));
    }
    return String.format(Locale.ROOT, "%.3f", (double) total / calls) + "|" + json.append('}');
  }

  /** What one thread does for call number {@code i}. */
  private interface Op {
    void call(long i);
  }

  private static Cell measure(Fixture f, int threads, double seconds) {
    UnifiedJedis jedis = f.jedis();
    Op op = f.op();
    java.util.function.BooleanSupplier degraded = f.degraded();
    // warm-up: let the JIT and the connection pool settle before counting
    runFor(threads, Math.min(1.0, seconds / 2), op);
    java.util.Map<String, Long> before = commandCounts(jedis);
    long start = System.nanoTime();
    long calls = runFor(threads, seconds, op);
    double elapsed = (System.nanoTime() - start) / 1e9;
    java.util.Map<String, Long> after = commandCounts(jedis);
    StringBuilder perCall = new StringBuilder("{");
    long total = 0;
    for (java.util.Map.Entry<String, Long> e : after.entrySet()) {
      long delta = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      if (delta > 0) {
        total += delta;
        perCall.append(perCall.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":")
            .append(String.format(Locale.ROOT, "%.3f", calls == 0 ? 0.0 : (double) delta / calls));
      }
    }
    return new Cell(calls / elapsed, calls == 0 ? 0 : (double) total / calls,
        perCall.append('}').toString(), degraded.getAsBoolean(), calls);
  }

  private static long runFor(int threads, double seconds, Op op) {
    LongAdder calls = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      long offset = t * 1_000_003L;
      Thread th = new Thread(() -> {
        try {
          for (long i = offset; !stop.get(); i++) {
            op.call(i);
            calls.increment();
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        } finally {
          done.countDown();
        }
      }, "redis-bench-" + t);
      th.setDaemon(true);
      th.start();
    }
    try {
      // returns early only when every thread has failed
      done.await((long) (seconds * 1000), java.util.concurrent.TimeUnit.MILLISECONDS);
      stop.set(true);
      done.await();
    } catch (InterruptedException e) {
      stop.set(true);
      Thread.currentThread().interrupt();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a benchmark thread failed: " + failure.get(), failure.get());
    }
    return calls.sum();
  }

  /** Sums {@code calls=} over {@code INFO commandstats}, minus the INFO calls themselves. */
  static long commands(UnifiedJedis jedis) {
    return commandCounts(jedis).values().stream().mapToLong(Long::longValue).sum();
  }

  /** Returns {@code calls=} per command from {@code INFO commandstats}, without INFO itself. */
  static java.util.Map<String, Long> commandCounts(UnifiedJedis jedis) {
    String info = jedis.info("commandstats");
    java.util.Map<String, Long> counts = new java.util.TreeMap<>();
    for (String line : info.split("\r?\n")) {
      if (!line.startsWith("cmdstat_") || line.startsWith("cmdstat_info:")) {
        continue;
      }
      int i = line.indexOf("calls=");
      if (i < 0) {
        continue;
      }
      int j = line.indexOf(',', i);
      counts.put(line.substring(8, line.indexOf(':')), Long.parseLong(line.substring(i + 6, j < 0 ? line.length() : j)));
    }
    return counts;
  }
}
