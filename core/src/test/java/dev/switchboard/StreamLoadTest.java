package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.budget.ModelPools;
import dev.switchboard.spi.BreakerConfig;
import dev.switchboard.spi.BudgetLevels;
import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.Providers;
import dev.switchboard.spi.StateStore;
import dev.switchboard.spi.StateStoreConfig;
import dev.switchboard.spi.StateStoreProvider;
import dev.switchboard.stream.RecordingHandler;
import dev.switchboard.stream.StreamInterruptedException;
import dev.switchboard.testkit.FakeTicker;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.RecordedCall;
import dev.switchboard.testkit.Simulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 200 concurrent streams through 3 keys, with errors injected before and in the middle of the
 * content: every stream completes or ends with a typed interruption, none outlives its deadline,
 * and the budgets hold exactly what the streams used (nothing leaked, nothing counted twice).
 *
 * <p>The budget store runs on a frozen ticker (no refill), so its levels after the run must equal
 * the limits minus what the simulator says each attempt used: a whole answer's real usage, or,
 * for an attempt cut by a fault, the input and the one output token its {@code message_start}
 * reported (the only usage the router heard of). The router itself runs on real time, so deadlines are real.
 */
class StreamLoadTest {
  private static final int STREAMS = 200;
  private static final BucketLimits LIMITS = Switchboard.limits(10_000, 50_000_000, 50_000_000);
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @Test
  @Timeout(120)
  void twoHundredConcurrentStreams_withMidStreamFaults_endCleanlyAndLeakNothing()
      throws Exception {
    FakeTicker frozen = new FakeTicker();
    StateStore store = Providers.find(StateStoreProvider.class, "local",
        getClass().getClassLoader()).create(StateStoreConfig.defaults(frozen));
    Fixtures.Events events = new Fixtures.Events();
    try (Simulator sim = SwitchboardStreamTest.simulator().start()) {
      sim.faults().add(Fault.streamError(0).forModel(SwitchboardStreamTest.OPUS).times(20));
      sim.faults().add(Fault.streamError(3).times(20));
      sim.faults().add(Fault.streamDisconnect(2).times(20));
      sim.faults().add(Fault.streamError(1, "api_error", "Internal server error").times(10));
      Switchboard.Builder b = Switchboard.builder();
      for (String[] k : SwitchboardStreamTest.KEYS) {
        b.key(k[0], k[1], k[2]);
      }
      b.model(SwitchboardStreamTest.OPUS, LIMITS).fallbackTo(SwitchboardStreamTest.SONNET, LIMITS)
          .fallbackTo(SwitchboardStreamTest.HAIKU, LIMITS).baseUrl(sim.baseUrl().toString())
          .stateStore(store).listener(events).deadline(DEADLINE)
          // breakers are not what this test is about: with the store's time frozen, an open one
          // would never close again
          .breaker(new BreakerConfig(BreakerConfig.WindowType.COUNT, 100, 100, 1.0,
              Duration.ofSeconds(5), Duration.ofSeconds(60), 2))
          .backoff(Duration.ofMillis(1), Duration.ofMillis(20))
          .streamTimeouts(SwitchboardStreamTest.TIMEOUTS);

      List<RecordingHandler> handlers = new ArrayList<>();
      List<CompletableFuture<RoutedResponse>> futures = new ArrayList<>();
      long[] started = new long[STREAMS];
      long[] ended = new long[STREAMS];
      try (Switchboard router = b.build()) {
        for (int i = 0; i < STREAMS; i++) {
          RecordingHandler h = new RecordingHandler();
          handlers.add(h);
          started[i] = System.nanoTime();
          int n = i;
          CompletableFuture<RoutedResponse> f = router.stream(SwitchboardStreamTest.request(),
              CallOptions.forUser("user-" + (i % 17)), h);
          f.whenComplete((r, ex) -> ended[n] = System.nanoTime());
          futures.add(f);
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
            .exceptionally(ex -> null).get(90, TimeUnit.SECONDS);

        int completed = 0;
        int interrupted = 0;
        for (int i = 0; i < STREAMS; i++) {
          RecordingHandler h = handlers.get(i);
          CompletableFuture<RoutedResponse> f = futures.get(i);
          assertThat(h.terminals()).as("stream %d: terminal calls", i).isEqualTo(1);
          assertThat(ended[i] - started[i]).as("stream %d: ended by its deadline", i)
              .isLessThanOrEqualTo(DEADLINE.plusMillis(500).toNanos());
          if (!f.isCompletedExceptionally()) {
            completed++;
            assertThat(h.count("message_start")).isEqualTo(1);
            assertThat(h.count("message_stop")).isEqualTo(1);
            assertThat(f.join().response().text()).isEqualTo(h.text());
          } else {
            interrupted++;
            assertThat(h.errors).singleElement().isInstanceOfSatisfying(
                StreamInterruptedException.class, si -> {
                  assertThat(si.contentDelivered()).isTrue();
                  assertThat(si.partial().orElseThrow().text()).isEqualTo(h.text());
                });
          }
        }
        // the 50 mid-content faults interrupt a stream each; the 20 before content are invisible
        assertThat(interrupted).isEqualTo(50);
        assertThat(completed).isEqualTo(STREAMS - 50);
        assertThat(router.snapshot().inFlight()).isEmpty();

        Map<String, double[]> used = new HashMap<>();
        for (RecordedCall c : sim.calls()) {
          String pool = ModelPools.poolId(c.organization(), ModelPools.defaultPool(c.model()));
          double[] u = used.computeIfAbsent(pool, p -> new double[3]);
          u[0] += 1;
          u[1] += c.inputTokens() + c.cacheCreationInputTokens();
          u[2] += c.fault() == null ? c.outputTokens() : 1;
        }
        assertThat(used).isNotEmpty();
        Map<String, RouterSnapshot.Pool> pools = router.snapshot().pools();
        for (Map.Entry<String, double[]> e : used.entrySet()) {
          BudgetLevels l = pools.get(e.getKey()).levels();
          double[] u = e.getValue();
          assertThat(LIMITS.requestsPerMinute() - l.requests()).as(e.getKey() + " requests")
              .isCloseTo(u[0], within(1e-6));
          assertThat(LIMITS.inputTokensPerMinute() - l.inputTokens()).as(e.getKey() + " input tokens")
              .isCloseTo(u[1], within(1e-6));
          assertThat(LIMITS.outputTokensPerMinute() - l.outputTokens()).as(e.getKey() + " output tokens")
              .isCloseTo(u[2], within(1e-6));
        }
      } finally {
        store.close();
      }
    }
  }
}
