package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.schedule.FakeScheduler;
import dev.switchboard.spi.BreakerConfig;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.Outcome;
import dev.switchboard.spi.RouterEvent;
import dev.switchboard.spi.RouterListener;
import dev.switchboard.spi.TransportConfig;
import dev.switchboard.testkit.FakeTicker;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.Simulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The router over real HTTP (okhttp transport) against the Anthropic API simulator. */
class SimulatorIntegrationTest {
  private static final String OPUS = "claude-opus-4-6";
  private static final String SONNET = "claude-sonnet-4-6";
  private static final String HAIKU = "claude-haiku-4-5";
  private static final String[][] KEYS = {
      {"k1", "sk-ant-it-k1-secret", "org-1"}, {"k2", "sk-ant-it-k2-secret", "org-1"},
      {"k3", "sk-ant-it-k3-secret", "org-2"}, {"k4", "sk-ant-it-k4-secret", "org-2"}};

  private static Simulator.Builder simulator() {
    Simulator.Builder b = Simulator.builder().model(OPUS, "opus-4", 200_000)
        .model(SONNET, "sonnet-4", 200_000).model(HAIKU, "haiku-4-5", 200_000);
    for (String[] k : KEYS) {
      b.key(k[0], k[1], k[2]);
    }
    return b;
  }

  private static Switchboard.Builder router(Simulator sim) {
    Switchboard.Builder b = Switchboard.builder();
    for (String[] k : KEYS) {
      b.key(k[0], k[1], k[2]);
    }
    return b.model(OPUS).fallbackTo(SONNET).fallbackTo(HAIKU);
  }

  private static MessageRequest request() {
    return MessageRequest.builder().model(OPUS).maxTokens(64)
        .addUserMessage("Summarise the plot of a short story in one line.").build();
  }

  /**
   * 4 keys in 2 organizations × 3 models, limits unknown to the router at first, offered twice
   * what all six pools can serve in the test's window: every call ends by its deadline, 429s
   * after the first second stay under 1% of attempts, and a key revoked before the start is
   * tried at most once.
   */
  @Test
  @Timeout(90)
  void load_atTwiceCapacity_meetsEveryDeadlineWithRare429s() throws Exception {
    int rpm = 30;
    int seconds = 4;
    int capacity = 6 * rpm + 6 * rpm * seconds / 60;
    int calls = 2 * capacity;
    Duration deadline = Duration.ofMillis(1_500);
    long slackNanos = Duration.ofMillis(400).toNanos();
    // per attempt: when it started (relative to the first attempt) and how it ended
    ConcurrentLinkedQueue<long[]> attempts = new ConcurrentLinkedQueue<>();
    java.util.Map<String, Long> starts = new java.util.concurrent.ConcurrentHashMap<>();
    java.util.concurrent.atomic.AtomicLong first = new java.util.concurrent.atomic.AtomicLong();
    RouterListener listener = new RouterListener() {
      @Override
      public void attemptStarted(RouterEvent.AttemptStarted e) {
        long now = System.nanoTime();
        first.compareAndSet(0, now);
        starts.put(e.callId() + "/" + e.attempt(), now);
      }

      @Override
      public void attemptFinished(RouterEvent.AttemptFinished e) {
        long started = starts.getOrDefault(e.callId() + "/" + e.attempt(), System.nanoTime());
        attempts.add(new long[] {started - first.get(), e.outcome().ordinal()});
      }
    };
    ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
    try (Simulator sim = simulator().defaultLimits(rpm, 10_000_000, 10_000_000).start();
        Switchboard router = router(sim).baseUrl(sim.baseUrl().toString()).strategy("headroom")
            .deadline(deadline).listener(listener).build()) {
      sim.setKeyState("k2", Simulator.KeyState.REVOKED);
      CountDownLatch done = new CountDownLatch(calls);
      AtomicInteger late = new AtomicInteger();
      AtomicInteger ok = new AtomicInteger();
      List<Throwable> unexpected = new ArrayList<>();
      long periodMicros = seconds * 1_000_000L / calls;
      AtomicInteger issued = new AtomicInteger();
      pacer.scheduleAtFixedRate(() -> {
        if (issued.getAndIncrement() >= calls) {
          return;
        }
        long start = System.nanoTime();
        router.sendAsync(request(), CallOptions.forUser("load")).whenComplete((r, ex) -> {
          if (System.nanoTime() - start > deadline.toNanos() + slackNanos) {
            late.incrementAndGet();
          }
          if (r != null) {
            ok.incrementAndGet();
          } else if (!(ex instanceof BudgetExhaustedException
              || ex instanceof DeadlineExceededException)) {
            synchronized (unexpected) {
              unexpected.add(ex);
            }
          }
          done.countDown();
        });
      }, 0, periodMicros, TimeUnit.MICROSECONDS);

      assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();

      assertThat(unexpected).isEmpty();
      assertThat(late.get()).isZero();
      assertThat(sim.callsFor("k2")).hasSizeLessThanOrEqualTo(1);
      assertThat(router.snapshot().disabled()).containsOnlyKeys("key:k2");
      long afterFirstSecond = attempts.stream().filter(a -> a[0] > 1_000_000_000L).count();
      long late429 = attempts.stream().filter(a -> a[0] > 1_000_000_000L)
          .filter(a -> a[1] == Outcome.RATE_LIMITED.ordinal()).count();
      assertThat(afterFirstSecond).isPositive();
      assertThat((double) late429 / afterFirstSecond).isLessThan(0.01);
      assertThat(ok.get()).isGreaterThanOrEqualTo(capacity * 3 / 4).isLessThanOrEqualTo(capacity + 6);
      assertThat(sim.countStatus(429)).isLessThan(calls / 100 + 6);
    } finally {
      pacer.shutdownNow();
    }
  }

  /**
   * A 529 window on the primary model opens its breaker and moves traffic to the fallback; when
   * the window ends and the breaker's open time has passed, traffic returns to the primary.
   * Simulator and router share one fake ticker; only the HTTP is real.
   */
  @Test
  @Timeout(60)
  void overloadWindow_movesTrafficToTheFallbackAndBack() throws Exception {
    FakeTicker ticker = new FakeTicker();
    FakeScheduler scheduler = new FakeScheduler(ticker);
    try (Simulator sim = simulator().ticker(ticker).clock(ticker.clock()).start();
        Switchboard router = router(sim).ticker(ticker).clock(ticker.clock()).scheduler(scheduler)
            .transport("okhttp", TransportConfig.builder().baseUrl(sim.baseUrl())
                .clock(ticker.clock()).build())
            .strategy("round-robin")
            .breaker(new BreakerConfig(BreakerConfig.WindowType.COUNT, 4, 2, 0.5,
                Duration.ofSeconds(5), Duration.ofSeconds(5), 1))
            .build()) {
      for (int i = 0; i < 4; i++) {
        assertThat(drive(router, scheduler).model()).isEqualTo(OPUS);
      }

      Fault overload = Fault.overloaded().forModel(OPUS);
      sim.faults().add(overload);
      List<String> during = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        during.add(drive(router, scheduler).model());
      }
      assertThat(during).containsOnly(SONNET);
      assertThat(sim.countStatus(529)).isBetween(1L, 3L);
      assertThat(router.snapshot().breakers()).containsKey("model:" + OPUS);

      sim.faults().remove(overload);
      scheduler.advance(Duration.ofSeconds(6));
      List<String> after = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        after.add(drive(router, scheduler).model());
      }
      assertThat(after).containsOnly(OPUS);
      assertThat(router.snapshot().breakers()).doesNotContainKey("model:" + OPUS);
    }
  }

  /** Cancelling the future closes the in-flight HTTP call and gives the reservation back. */
  @Test
  @Timeout(30)
  void cancel_closesTheConnectionAndReleasesTheReservation() throws Exception {
    try (Simulator sim = simulator().start();
        Switchboard router = Switchboard.builder().key("k1", KEYS[0][1], "org-1")
            .model(OPUS, Switchboard.limits(100, 1_000_000, 100_000))
            .baseUrl(sim.baseUrl().toString()).strategy("round-robin").build()) {
      sim.faults().add(Fault.stallBeforeHeaders(Duration.ofSeconds(20)).times(1));
      CompletableFuture<RoutedResponse> f = router.sendAsync(request(), CallOptions.DEFAULT);
      assertThat(sim.awaitCall(c -> true, Duration.ofSeconds(10))).isPresent();

      f.cancel(true);

      assertThat(sim.awaitDisconnect(Duration.ofSeconds(10))).isPresent();
      RouterSnapshot snap = router.snapshot();
      assertThat(snap.inFlight()).isEmpty();
      assertThat(snap.pools().values()).allSatisfy(p ->
          assertThat(p.levels().outputTokens()).isGreaterThan(100_000 - 1.0));
    }
  }

  /** A stalled server never holds a call past its deadline. */
  @Test
  @Timeout(30)
  void stall_endsAtTheDeadlineWithTheTypedError() throws Exception {
    try (Simulator sim = simulator().start();
        Switchboard router = router(sim).baseUrl(sim.baseUrl().toString()).strategy("round-robin")
            .build()) {
      sim.faults().add(Fault.stallBeforeHeaders(Duration.ofSeconds(20)));
      long start = System.nanoTime();
      CompletableFuture<RoutedResponse> f = router.sendAsync(request(),
          CallOptions.DEFAULT.deadline(Duration.ofMillis(800)).attemptTimeout(Duration.ofMillis(300)));

      Throwable failure = f.handle((r, ex) -> ex).get(10, TimeUnit.SECONDS);
      long tookMillis = (System.nanoTime() - start) / 1_000_000;

      assertThat(failure).isInstanceOf(DeadlineExceededException.class);
      assertThat(((DeadlineExceededException) failure).attempts()).hasSizeGreaterThanOrEqualTo(2)
          .allSatisfy(a -> assertThat(a.reason()).isEqualTo("timed out"));
      assertThat(tookMillis).isBetween(790L, 1_300L);
    }
  }

  /**
   * Sends one call and drives fake time through its backoffs: waits (on the future, with a
   * timeout) for real I/O, and when the call is parked on a timer shorter than 10 s, fires it.
   */
  private static RoutedResponse drive(Switchboard router, FakeScheduler scheduler) throws Exception {
    CompletableFuture<RoutedResponse> f = router.sendAsync(request(), CallOptions.DEFAULT);
    for (int i = 0; i < 50; i++) {
      try {
        return f.get(300, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        Duration next = scheduler.nextDelay();
        if (next != null && next.compareTo(Duration.ofSeconds(10)) < 0) {
          scheduler.advance(next.isNegative() ? Duration.ZERO : next);
        }
      }
    }
    return f.get(5, TimeUnit.SECONDS);
  }
}
