package dev.switchboard.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.Candidate;
import dev.switchboard.spi.Providers;
import dev.switchboard.spi.RoutingStrategy;
import dev.switchboard.spi.RoutingStrategyProvider;
import dev.switchboard.spi.StrategyContext;
import dev.switchboard.testkit.FakeTicker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every {@link RoutingStrategyProvider} found by {@link java.util.ServiceLoader} must do. */
class RoutingStrategyContractTest {

  static Map<String, RoutingStrategyProvider> all() {
    return Providers.all(RoutingStrategyProvider.class, RoutingStrategyContractTest.class.getClassLoader());
  }

  static Stream<RoutingStrategyProvider> providers() {
    return all().values().stream();
  }

  static RoutingStrategy create(RoutingStrategyProvider provider, long seed) {
    return provider.create(new StrategyContext(new FakeTicker(), new Random(seed)));
  }

  /** Returns {@code n} candidates with varied weights, loads, headroom and latencies. */
  static List<TestCandidate> varied(int n, long seed) {
    Random r = new Random(seed);
    List<TestCandidate> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(new TestCandidate("k" + i, "org" + (i % 3), "claude-sonnet-4-5", 1 + r.nextInt(5),
          r.nextInt(4), r.nextDouble(), r.nextInt(4) == 0 ? -1 : 1_000_000L * (1 + r.nextInt(50))));
    }
    return List.copyOf(list);
  }

  static List<TestCandidate> equal(int n) {
    List<TestCandidate> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(TestCandidate.named("k" + i).withLatency(5_000_000).withHeadroom(0.5).withInFlight(1));
    }
    return List.copyOf(list);
  }

  @Test
  void providers_areExactlyTheFiveBuiltIns() {
    assertThat(all().keySet()).containsExactlyInAnyOrder(
        "round-robin", "weighted", "least-in-flight", "headroom", "lowest-latency");
  }

  @Test
  void providers_haveDefaultPriorityAndPublicNoArgConstructors() throws Exception {
    for (RoutingStrategyProvider p : all().values()) {
      assertThat(p.priority()).isZero();
      assertThat(p.getClass().getConstructor().newInstance().name()).isEqualTo(p.name());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void choose_returnsValidIndexForEverySize(RoutingStrategyProvider provider) {
    RoutingStrategy strategy = create(provider, 1);
    for (int n = 1; n <= 16; n++) {
      List<TestCandidate> candidates = varied(n, n);
      for (int call = 0; call < 200; call++) {
        assertThat(strategy.choose(candidates)).as("size %d", n).isBetween(0, n - 1);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void choose_singleCandidateIsAlwaysChosen(RoutingStrategyProvider provider) {
    RoutingStrategy strategy = create(provider, 2);
    List<TestCandidate> one = List.of(TestCandidate.named("only").withInFlight(50).withHeadroom(0.0)
        .withLatency(Long.MAX_VALUE));

    for (int call = 0; call < 100; call++) {
      assertThat(strategy.choose(one)).isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void choose_isDeterministicWithSeededRandom(RoutingStrategyProvider provider) {
    RoutingStrategy first = create(provider, 42);
    RoutingStrategy second = create(provider, 42);
    List<Integer> a = new ArrayList<>();
    List<Integer> b = new ArrayList<>();

    for (int call = 0; call < 500; call++) {
      List<TestCandidate> candidates = varied(2 + call % 7, call);
      a.add(first.choose(candidates));
      b.add(second.choose(candidates));
    }

    assertThat(a).isEqualTo(b);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void choose_equalCandidatesAreAllChosenEventually(RoutingStrategyProvider provider) {
    RoutingStrategy strategy = create(provider, 3);
    List<TestCandidate> candidates = equal(6);
    int[] counts = new int[6];

    for (int call = 0; call < 600; call++) {
      counts[strategy.choose(candidates)]++;
    }

    assertThat(java.util.Arrays.stream(counts).min().getAsInt()).isGreaterThanOrEqualTo(40);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void choose_staysInRangeUnderConcurrency(RoutingStrategyProvider provider) throws Exception {
    RoutingStrategy strategy = provider.create(new StrategyContext(new FakeTicker(), new Random(4)));
    int threads = 4;
    AtomicInteger outOfRange = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int size = 1 + t * 2;
        List<TestCandidate> candidates = varied(size, t);
        futures.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 20_000; i++) {
            int index = strategy.choose(candidates);
            calls.incrementAndGet();
            if (index < 0 || index >= size) {
              outOfRange.incrementAndGet();
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(calls.get()).isEqualTo(threads * 20_000);
    assertThat(outOfRange.get()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void choose_neverThrowsWhenACandidateViewThrows(RoutingStrategyProvider provider) {
    RoutingStrategy strategy = create(provider, 5);
    Candidate broken = new Candidate() {
      @Override public String keyAlias() { throw new IllegalStateException("gone"); }
      @Override public String organization() { throw new IllegalStateException("gone"); }
      @Override public String model() { throw new IllegalStateException("gone"); }
      @Override public int weight() { throw new IllegalStateException("gone"); }
      @Override public int inFlight() { throw new IllegalStateException("gone"); }
      @Override public double headroom() { throw new IllegalStateException("gone"); }
      @Override public long latencyEwmaNanos() { throw new IllegalStateException("gone"); }
    };
    List<Candidate> candidates = List.of(TestCandidate.named("a"), broken, TestCandidate.named("c"));

    for (int call = 0; call < 100; call++) {
      assertThat(strategy.choose(candidates)).isBetween(0, 2);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void choose_toleratesOddValues(RoutingStrategyProvider provider) {
    RoutingStrategy strategy = create(provider, 6);
    List<TestCandidate> odd = List.of(
        new TestCandidate("a", "o", "m", 0, -3, Double.NaN, Long.MIN_VALUE),
        new TestCandidate("b", "o", "m", Integer.MAX_VALUE, Integer.MAX_VALUE, Double.POSITIVE_INFINITY, Long.MAX_VALUE),
        new TestCandidate("c", "o", "m", -7, 0, -1.0, 0));

    for (int call = 0; call < 300; call++) {
      assertThat(strategy.choose(odd)).isBetween(0, 2);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void onResult_isAccepted(RoutingStrategyProvider provider) {
    RoutingStrategy strategy = create(provider, 7);
    List<TestCandidate> candidates = equal(3);

    strategy.onResult(candidates.get(0), true, 1_000_000);
    strategy.onResult(candidates.get(1), false, 0);

    assertThat(strategy.choose(candidates)).isBetween(0, 2);
  }
}
