package dev.switchboard.bench;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import dev.switchboard.CallOptions;
import dev.switchboard.Switchboard;
import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.testkit.Simulator;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Goodput under rate limits: the testkit {@link Simulator} over real HTTP, 4 keys in 2
 * organizations × 3 models (each its own rate-limit pool), an open-loop offered load of twice the
 * total capacity, and four systems run one after another against a fresh simulator each:
 *
 * <ul>
 *   <li>{@code switchboard-configured}: a router told the true limits;
 *   <li>{@code switchboard-learned}: a router with unknown limits (learned from headers);
 *   <li>{@code anthropic-java-sdk}: the official SDK, one client per key, calls round-robin over
 *       key × model, default retries (2) and timeouts;
 *   <li>{@code tutorial-loop}: {@code java.net.http}, on 429 sleep {@code retry-after} and retry
 *       (at most 5 retries), round-robin over key × model.
 * </ul>
 *
 * <p>Each system first makes one warm-up call (class loading, connections); then every
 * organization × pool is drained (its limits are set to 1 and back), so the run measures the
 * refill rate, not the initial full buckets. Requests-per-minute is the
 * binding limit. The run lasts from the first offered call until the last call ends; goodput
 * ratio = successful calls ÷ what the simulator could admit in the run ({@code pools × (1 + rpm /
 * 60 × seconds)}); {@code window_goodput_ratio} counts only successes inside the offered window
 * against the window's capacity. {@code rate_limited_per_1000} is 429s per 1,000 HTTP attempts
 * (from the simulator's log); {@code past_deadline} counts calls, failed or not, that took longer
 * than the deadline + 50 ms (the SDK and the loop have no deadline of their own). Prints one JSON
 * line per system on standard output; progress goes to standard error.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.switchboard.bench.GoodputMain
 * [--long] [--seconds N] [--rpm N] [--deadline-ms N] [--systems a,b]}. Defaults: 6 s per system
 * ({@code --long}: 60 s), 300 RPM per organization × pool, deadline 3 s.
 */
public final class GoodputMain {
  static final List<String> MODELS = List.of("claude-opus-4-6", "claude-sonnet-4-6", "claude-haiku-4-5");
  static final List<String> POOLS = List.of("opus-4", "sonnet-4", "haiku-4-5");
  static final List<String> ORGS = List.of("org-1", "org-2");
  static final Map<String, String> ORG_OF = Map.of("team-a", "org-1", "team-b", "org-1",
      "team-c", "org-2", "team-d", "org-2");
  static final List<String> SYSTEMS = List.of("switchboard-configured", "switchboard-learned",
      "anthropic-java-sdk", "tutorial-loop");
  static final long TOKENS_PER_MINUTE = 10_000_000;
  static final int MAX_TOKENS = 16;
  static final Duration GRACE = Duration.ofMillis(50);
  /** The {@code anthropic-version} header anthropic-java 3.12.0 sends; the simulator must accept it. */
  static final String SDK_ANTHROPIC_VERSION = "2026-10-21";

  private GoodputMain() {}

  /** The knobs of one run; all positive. */
  record Options(double seconds, long rpm, Duration deadline, List<String> systems) {
    Options {
      if (!(seconds > 0)) {
        throw new IllegalArgumentException("seconds must be positive but was " + seconds);
      }
      if (rpm < 60) {
        throw new IllegalArgumentException("rpm must be at least 60 but was " + rpm);
      }
      if (deadline.isNegative() || deadline.isZero()) {
        throw new IllegalArgumentException("deadline must be positive but was " + deadline);
      }
      for (String s : systems) {
        if (!SYSTEMS.contains(s)) {
          throw new IllegalArgumentException("systems must be among " + SYSTEMS + " but was '" + s + "'");
        }
      }
      systems = List.copyOf(systems);
    }

    static Options parse(String... args) {
      double seconds = 6;
      long rpm = 300;
      long deadlineMs = 3_000;
      List<String> systems = SYSTEMS;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--long" -> seconds = 60;
          case "--seconds" -> seconds = Double.parseDouble(value(args, ++i, "--seconds"));
          case "--rpm" -> rpm = Long.parseLong(value(args, ++i, "--rpm"));
          case "--deadline-ms" -> deadlineMs = Long.parseLong(value(args, ++i, "--deadline-ms"));
          case "--systems" -> systems = Arrays.asList(value(args, ++i, "--systems").split(","));
          default -> throw new IllegalArgumentException("unknown argument '" + args[i]
              + "'; expected --long, --seconds N, --rpm N, --deadline-ms N, --systems a,b");
        }
      }
      return new Options(seconds, rpm, Duration.ofMillis(deadlineMs), systems);
    }

    private static String value(String[] args, int i, String name) {
      if (i >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      return args[i];
    }
  }

  /** What one system achieved; {@link #json()} is the printed line. */
  record Result(String system, double goodputRatio, double rateLimitedPer1000, double p50Ms,
      double p95Ms, double p99Ms, long pastDeadline, long offered, long succeeded,
      double windowGoodputRatio, double capacity, long attempts, long rateLimited, long admitted, double seconds) {

    String json() {
      return String.format(Locale.ROOT, "{\"system\":\"%s\",\"goodput_ratio\":%.4f,"
          + "\"rate_limited_per_1000\":%.2f,\"p50_ms\":%.1f,\"p95_ms\":%.1f,\"p99_ms\":%.1f,"
          + "\"past_deadline\":%d,\"offered\":%d,\"succeeded\":%d,\"window_goodput_ratio\":%.4f,"
          + "\"capacity\":%.1f,\"attempts\":%d,\"rate_limited\":%d,\"admitted\":%d,\"seconds\":%.2f}",
          system, goodputRatio, rateLimitedPer1000, p50Ms, p95Ms, p99Ms, pastDeadline, offered,
          succeeded, windowGoodputRatio, capacity, attempts, rateLimited, admitted, seconds);
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
    List<Result> results = new ArrayList<>();
    for (String system : options.systems()) {
      log.printf(Locale.ROOT, "goodput: %s for %.1f s at %d RPM per pool...%n", system, options.seconds(), options.rpm());
      results.add(runOne(system, options));
    }
    return results;
  }

  /** One finished call: when it was offered and ended (System.nanoTime) and whether it succeeded. */
  private record Call(long start, long end, boolean ok) {}

  /** Something that makes one call and reports it; {@code index} picks a route for the baselines. */
  private interface System_ extends AutoCloseable {
    void call(long index, long start, ConcurrentLinkedQueue<Call> done, CountDownLatch finished);

    @Override
    void close();
  }

  private static Result runOne(String system, Options o) throws InterruptedException {
    Simulator.Builder sb = Simulator.builder().preset().recordBodies(false).logCapacity(1_000_000)
        .responseTokens(4, 8)
        .anthropicVersions("2023-06-01", SDK_ANTHROPIC_VERSION);
    for (String org : ORGS) {
      for (String pool : POOLS) {
        sb.limits(org, pool, o.rpm(), TOKENS_PER_MINUTE, TOKENS_PER_MINUTE);
      }
    }
    try (Simulator sim = sb.start(); System_ s = create(system, sim, o)) {
      // one call first, so class loading and connection set-up are not part of the run
      ConcurrentLinkedQueue<Call> warm = new ConcurrentLinkedQueue<>();
      CountDownLatch warmed = new CountDownLatch(1);
      s.call(0, System.nanoTime(), warm, warmed);
      if (!warmed.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException(system + ": the warm-up call did not end within 60 s");
      }
      drain(sim, o);
      double ratePerSecond = 2.0 * ORGS.size() * POOLS.size() * o.rpm() / 60.0;
      long count = Math.max(1, Math.round(ratePerSecond * o.seconds()));
      long interval = Math.round(1e9 / ratePerSecond);
      ConcurrentLinkedQueue<Call> done = new ConcurrentLinkedQueue<>();
      CountDownLatch finished = new CountDownLatch((int) count);
      long t0 = System.nanoTime();
      for (long i = 0; i < count; i++) {
        long target = t0 + i * interval;
        long wait;
        while ((wait = target - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        s.call(i, System.nanoTime(), done, finished);
      }
      long windowEnd = t0 + count * interval;
      boolean all = finished.await(o.deadline().toMillis() * 20 + 120_000, TimeUnit.MILLISECONDS);
      if (!all) {
        throw new IllegalStateException(system + ": calls still running long after the run");
      }
      return summarize(system, o, sim, done, count, t0, windowEnd);
    }
  }

  private static Result summarize(String system, Options o, Simulator sim, ConcurrentLinkedQueue<Call> done,
      long offered, long t0, long windowEnd) {
    long lastEnd = windowEnd;
    for (Call c : done) {
      lastEnd = Math.max(lastEnd, c.end());
    }
    double seconds = (lastEnd - t0) / 1e9;
    double capacity = capacity(o, seconds);
    double windowCapacity = capacity(o, (windowEnd - t0) / 1e9);
    long deadlineNanos = o.deadline().plus(GRACE).toNanos();
    long ok = 0;
    long okInWindow = 0;
    long past = 0;
    List<Long> latencies = new ArrayList<>();
    for (Call c : done) {
      if (c.ok()) {
        ok++;
        latencies.add(c.end() - c.start());
        if (c.end() <= windowEnd) {
          okInWindow++;
        }
      }
      if (c.end() - c.start() > deadlineNanos) {
        past++;
      }
    }
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    long attempts = sim.calls().size();
    long admitted = sim.countStatus(200);
    long limited = sim.countStatus(429);
    return new Result(system, ok / capacity, attempts == 0 ? 0 : 1000.0 * limited / attempts,
        percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99), past, offered,
        ok, okInWindow / windowCapacity, capacity, attempts, limited, admitted, seconds);
  }

  /** What the simulator can admit in {@code seconds} from drained buckets: 1 + refill per pool. */
  static double capacity(Options o, double seconds) {
    return ORGS.size() * POOLS.size() * (1 + o.rpm() / 60.0 * seconds);
  }

  static double percentile(long[] sortedNanos, double q) {
    if (sortedNanos.length == 0) {
      return 0;
    }
    int i = (int) Math.min(sortedNanos.length - 1, Math.ceil(q * sortedNanos.length) - 1);
    return sortedNanos[Math.max(0, i)] / 1e6;
  }

  /**
   * Creates every organization × pool with one call, then empties it by lowering its limits to 1
   * and restoring them; clears the log so the run counts only its own attempts.
   */
  static void drain(Simulator sim, Options o) {
    HttpClient http = HttpClient.newHttpClient();
    for (String label : List.of("team-a", "team-c")) {
      for (String model : MODELS) {
        try {
          HttpResponse<String> r = http.send(post(sim.baseUrl(), Simulator.Builder.PRESET_KEYS.get(label), model),
              HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200) {
            throw new IllegalStateException("priming " + label + "/" + model + " answered " + r.statusCode());
          }
        } catch (IOException e) {
          throw new IllegalStateException("priming the simulator failed: " + e, e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while priming the simulator", e);
        }
      }
    }
    for (String org : ORGS) {
      for (String pool : POOLS) {
        sim.setLimits(org, pool, 1, 1, 1);
        sim.setLimits(org, pool, o.rpm(), TOKENS_PER_MINUTE, TOKENS_PER_MINUTE);
      }
    }
    sim.clearLog();
  }

  static HttpRequest post(URI base, String secret, String model) {
    String body = "{\"model\":\"" + model + "\",\"max_tokens\":" + MAX_TOKENS
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say ok.\"}]}";
    return HttpRequest.newBuilder(base.resolve("/v1/messages"))
        .header("x-api-key", secret)
        .header("anthropic-version", "2023-06-01")
        .header("content-type", "application/json")
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static System_ create(String system, Simulator sim, Options o) {
    return switch (system) {
      case "switchboard-configured" -> switchboard(sim, o, true);
      case "switchboard-learned" -> switchboard(sim, o, false);
      case "anthropic-java-sdk" -> sdk(sim);
      case "tutorial-loop" -> loop(sim);
      default -> throw new IllegalArgumentException("unknown system '" + system + "'");
    };
  }

  private static System_ switchboard(Simulator sim, Options o, boolean configured) {
    BucketLimits limits = Switchboard.limits(o.rpm(), TOKENS_PER_MINUTE, TOKENS_PER_MINUTE);
    Switchboard.Builder b = Switchboard.builder().baseUrl(sim.baseUrl().toString()).deadline(o.deadline());
    if (configured) {
      b.model(MODELS.get(0), limits).fallbackTo(MODELS.get(1), limits).fallbackTo(MODELS.get(2), limits);
    } else {
      b.model(MODELS.get(0)).fallbackTo(MODELS.get(1)).fallbackTo(MODELS.get(2));
    }
    Simulator.Builder.PRESET_KEYS.forEach((label, secret) -> b.key(label, secret, ORG_OF.get(label)));
    Switchboard router = b.build();
    MessageRequest request = MessageRequest.builder().model(MODELS.get(0)).maxTokens(MAX_TOKENS)
        .addUserMessage("Say ok.").build();
    CallOptions options = CallOptions.DEFAULT.deadline(o.deadline());
    return new System_() {
      @Override
      public void call(long index, long start, ConcurrentLinkedQueue<Call> done, CountDownLatch finished) {
        router.sendAsync(request, options).whenComplete((r, e) -> {
          done.add(new Call(start, System.nanoTime(), e == null));
          finished.countDown();
        });
      }

      @Override
      public void close() {
        router.close();
      }
    };
  }

  private static System_ sdk(Simulator sim) {
    List<AnthropicClient> clients = new ArrayList<>();
    for (String secret : Simulator.Builder.PRESET_KEYS.values()) {
      clients.add(AnthropicOkHttpClient.builder().apiKey(secret).baseUrl(sim.baseUrl().toString()).build());
    }
    List<MessageCreateParams> params = MODELS.stream().map(m -> MessageCreateParams.builder()
        .model(m).maxTokens(MAX_TOKENS).addUserMessage("Say ok.").build()).toList();
    ExecutorService pool = Executors.newCachedThreadPool(daemon("sdk-caller"));
    return new System_() {
      @Override
      public void call(long index, long start, ConcurrentLinkedQueue<Call> done, CountDownLatch finished) {
        AnthropicClient client = clients.get((int) (index % clients.size()));
        MessageCreateParams p = params.get((int) ((index / clients.size()) % params.size()));
        pool.execute(() -> {
          boolean ok;
          try {
            ok = client.messages().create(p).id() != null;
          } catch (RuntimeException e) {
            ok = false;
          }
          done.add(new Call(start, System.nanoTime(), ok));
          finished.countDown();
        });
      }

      @Override
      public void close() {
        pool.shutdownNow();
        clients.forEach(AnthropicClient::close);
      }
    };
  }

  private static System_ loop(Simulator sim) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    List<String> secrets = List.copyOf(Simulator.Builder.PRESET_KEYS.values());
    ExecutorService pool = Executors.newCachedThreadPool(daemon("loop-caller"));
    return new System_() {
      @Override
      public void call(long index, long start, ConcurrentLinkedQueue<Call> done, CountDownLatch finished) {
        String secret = secrets.get((int) (index % secrets.size()));
        String model = MODELS.get((int) ((index / secrets.size()) % MODELS.size()));
        pool.execute(() -> {
          boolean ok = false;
          try {
            for (int attempt = 0; attempt <= 5; attempt++) {
              HttpResponse<String> r = http.send(post(sim.baseUrl(), secret, model), HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() == 200) {
                ok = true;
                break;
              }
              if (r.statusCode() != 429) {
                break;
              }
              long seconds = r.headers().firstValue("retry-after").map(GoodputMain::seconds).orElse(1L);
              Thread.sleep(seconds * 1000);
            }
          } catch (IOException e) {
            ok = false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          done.add(new Call(start, System.nanoTime(), ok));
          finished.countDown();
        });
      }

      @Override
      public void close() {
        pool.shutdownNow();
      }
    };
  }

  /** Returns a {@code retry-after} header's whole seconds, 1 when unreadable. */
  static long seconds(String retryAfter) {
    try {
      return Math.max(0, Long.parseLong(retryAfter.trim()));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /** Returns a factory of daemon threads named {@code name}. */
  static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
