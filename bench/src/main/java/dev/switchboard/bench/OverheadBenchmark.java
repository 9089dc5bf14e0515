package dev.switchboard.bench;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.switchboard.CallOptions;
import dev.switchboard.RoutedResponse;
import dev.switchboard.Switchboard;
import dev.switchboard.spi.ApiKey;
import dev.switchboard.spi.AttemptOptions;
import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.ProviderResponse;
import dev.switchboard.spi.RouterEvent;
import dev.switchboard.spi.RouterListener;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one routed call when the provider answers at once ({@link InstantTransport}, no
 * network): {@code switchboard.send} against the Java resilience stacks decorating the same
 * transport call, and Bucket4j's 3-bandwidth {@code tryConsume} as the token-bucket floor.
 *
 * <p>Switchboard routes over {@code deployments} = keys × 3 models (each key its own
 * organization, so every deployment is its own budget pool) with local state, its default
 * breakers, one counting listener, and limits high enough never to refuse; calls rotate over
 * {@code users} distinct user ids. The router has no per-user breaker: a user id is only reported
 * in events, so the {@code users} curve measures the cost of carrying it. The peers guard one key
 * and one model with one breaker, one rate limiter and one retry policy, which is all they can
 * express.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar OverheadBenchmark -prof gc} (add
 * {@code -t 2} for two threads).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Threads(1)
public class OverheadBenchmark {
  static final String[] MODELS = {"claude-opus-4-6", "claude-sonnet-4-6", "claude-haiku-4-5"};
  static final long HUGE = 1_000_000_000_000L;

  static MessageRequest request() {
    return MessageRequest.builder().model(MODELS[0]).maxTokens(16).addUserMessage("Say ok.").build();
  }

  /** One router shared by every benchmark thread. */
  @State(Scope.Benchmark)
  public static class RouterState {
    /** Keys × models the router may route to (3 models, so keys = deployments / 3). */
    @Param({"9", "90", "900"})
    public int deployments;

    /** Distinct user ids the calls rotate over. */
    @Param({"1", "10000", "1000000"})
    public int users;

    Switchboard router;
    InstantTransport transport;
    MessageRequest request;
    CallOptions[] options;
    final LongAdder finished = new LongAdder();

    @Setup(Level.Trial)
    public void setUp() {
      transport = new InstantTransport();
      router = buildRouter(deployments, transport, new RouterListener() {
        @Override
        public void callFinished(RouterEvent.CallFinished event) {
          finished.increment();
        }
      });
      request = request();
      options = new CallOptions[users];
      for (int i = 0; i < users; i++) {
        options[i] = CallOptions.forUser("user-" + i);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      router.close();
      transport.close();
      if (finished.sum() == 0) {
        throw new IllegalStateException("the listener heard no finished call");
      }
    }
  }

  /** Each thread's position in the user rotation (threads start apart). */
  @State(Scope.Thread)
  public static class UserCursor {
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      next = (int) (Thread.currentThread().getId() * 7919);
    }

    int next(int users) {
      int i = Math.floorMod(next++, users);
      return i;
    }
  }

  /** The peers, each guarding the same instant transport call with one key and one model. */
  @State(Scope.Benchmark)
  public static class PeerState {
    InstantTransport transport;
    MessageRequest request;
    ApiKey key;
    Supplier<ProviderResponse> resilience4j;
    FailsafeExecutor<ProviderResponse> failsafe;
    Bucket bucket;

    @Setup(Level.Trial)
    public void setUp() {
      transport = new InstantTransport();
      request = request();
      key = ApiKey.of("bench-key", "sk-ant-bench-0000000000");
      Supplier<ProviderResponse> call = () -> transport.send(key, request, AttemptOptions.DEFAULT).join();
      CircuitBreaker cb = CircuitBreaker.ofDefaults("bench");
      RateLimiter rl = RateLimiter.of("bench", RateLimiterConfig.custom()
          .limitForPeriod(Integer.MAX_VALUE).limitRefreshPeriod(Duration.ofSeconds(1))
          .timeoutDuration(Duration.ZERO).build());
      Retry retry = Retry.ofDefaults("bench");
      resilience4j = Retry.decorateSupplier(retry,
          RateLimiter.decorateSupplier(rl, CircuitBreaker.decorateSupplier(cb, call)));
      failsafe = Failsafe.with(
          RetryPolicy.<ProviderResponse>ofDefaults(),
          dev.failsafe.CircuitBreaker.<ProviderResponse>ofDefaults(),
          dev.failsafe.RateLimiter.<ProviderResponse>burstyBuilder(HUGE, Duration.ofSeconds(1)).build());
      bucket = Bucket.builder()
          .addLimit(Bandwidth.builder().capacity(HUGE).refillGreedy(HUGE, Duration.ofHours(1)).build())
          .addLimit(Bandwidth.builder().capacity(HUGE).refillGreedy(HUGE, Duration.ofHours(1)).build())
          .addLimit(Bandwidth.builder().capacity(HUGE).refillGreedy(HUGE, Duration.ofHours(1)).build())
          .build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      transport.close();
    }
  }

  /**
   * Returns a router over {@code deployments / 3} keys (each its own organization) × 3 model
   * tiers with limits that never refuse, on {@code transport}, local state, default breakers.
   */
  static Switchboard buildRouter(int deployments, dev.switchboard.spi.Transport transport, RouterListener listener) {
    return buildRouter(deployments, transport, listener, null);
  }

  /** As {@link #buildRouter(int, dev.switchboard.spi.Transport, RouterListener)}, on {@code state} (null: local). */
  static Switchboard buildRouter(int deployments, dev.switchboard.spi.Transport transport, RouterListener listener,
      dev.switchboard.spi.StateStore state) {
    if (deployments < 3 || deployments % 3 != 0) {
      throw new IllegalArgumentException("deployments must be a positive multiple of 3 but was " + deployments);
    }
    BucketLimits limits = Switchboard.limits(HUGE, HUGE, HUGE);
    Switchboard.Builder b = Switchboard.builder()
        .transport(transport)
        .listener(listener)
        .model(MODELS[0], limits)
        .fallbackTo(MODELS[1], limits)
        .fallbackTo(MODELS[2], limits);
    if (state == null) {
      b.stateStore("local");
    } else {
      b.stateStore(state);
    }
    for (int k = 0; k < deployments / 3; k++) {
      b.key("key-" + k, "sk-ant-bench-" + String.format("%08d", k), "org-" + k);
    }
    return b.build();
  }

  /** Switchboard's full decision: admission, strategy, 3-dimension budget, breakers, settle. */
  @Benchmark
  public RoutedResponse switchboard(RouterState s, UserCursor cursor) {
    return s.router.send(s.request, s.options[cursor.next(s.users)]);
  }

  /** resilience4j CircuitBreaker + RateLimiter + Retry around the same transport call. */
  @Benchmark
  public ProviderResponse resilience4j(PeerState s) {
    return s.resilience4j.get();
  }

  /** Failsafe RetryPolicy + CircuitBreaker + RateLimiter around the same transport call. */
  @Benchmark
  public ProviderResponse failsafe(PeerState s) {
    return s.failsafe.get(() -> s.transport.send(s.key, s.request, AttemptOptions.DEFAULT).join());
  }

  /** Bucket4j, local, 3 bandwidths: {@code tryConsume(1)} then the same transport call. */
  @Benchmark
  public ProviderResponse bucket4j(PeerState s) {
    if (!s.bucket.tryConsume(1)) {
      throw new IllegalStateException("bucket4j refused a call under a limit that never refuses");
    }
    return s.transport.send(s.key, s.request, AttemptOptions.DEFAULT).join();
  }
}
