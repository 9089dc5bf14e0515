package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.BreakerConfig;
import dev.switchboard.spi.BreakerTransition;
import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.Demand;
import dev.switchboard.spi.RateLimitInfo;
import dev.switchboard.spi.RouteClaim;
import dev.switchboard.spi.RouteGrant;
import dev.switchboard.spi.RouteSettlement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The flusher queue, with senders that stand in for Redis. */
class SettleQueueTest {
  static final RouteClaim CLAIM = new RouteClaim("p", BucketLimits.UNKNOWN, Demand.NONE, List.of(), null, List.of(),
      BreakerConfig.DEFAULT);
  static final RouteSettlement SETTLEMENT = new RouteSettlement(CLAIM, RouteGrant.granted(List.of(), List.of()),
      Demand.NONE, List.of(), RateLimitInfo.NONE, null);
  static final List<BreakerTransition> SENT = List.of();

  private final List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
  private final List<String> threads = Collections.synchronizedList(new ArrayList<>());
  private final List<SettleQueue.Pending> overflowed = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  private SettleQueue queue(int capacity, int batch, boolean block) {
    return new SettleQueue(capacity, batch, pending -> {
      threads.add(Thread.currentThread().getName());
      if (block && entered.getCount() > 0) {
        entered.countDown();
        await(release);
      }
      batches.add(pending.size());
      pending.forEach(p -> p.done().complete(SENT));
    }, p -> {
      overflowed.add(p);
      p.done().complete(List.of());
    }, "test-flusher");
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void submit_returnsAtOnceAndTheFlusherSendsBatchesOfWhatQueued() throws Exception {
    SettleQueue q = queue(1_000, 10, true);
    CompletableFuture<?> first = q.submit(SETTLEMENT).toCompletableFuture();
    await(entered); // the flusher is busy with the first one

    List<CompletableFuture<?>> burst = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      burst.add(q.submit(SETTLEMENT).toCompletableFuture());
    }
    assertThat(burst).noneMatch(CompletableFuture::isDone);
    release.countDown();
    CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

    assertThat(first).isDone();
    assertThat(batches).containsExactly(1, 10, 10, 5); // 25 queued meanwhile: ceil(25 / 10) sends
    assertThat(threads).containsOnly("test-flusher");
    q.close(1_000_000_000L);
  }

  @Test
  void submit_toAFullQueueOverflowsOnTheCallersThread() throws Exception {
    SettleQueue q = queue(2, 10, true);
    q.submit(SETTLEMENT);
    await(entered);
    q.submit(SETTLEMENT);
    q.submit(SETTLEMENT);

    CompletableFuture<?> third = q.submit(SETTLEMENT).toCompletableFuture();

    assertThat(third).isDone();
    assertThat(overflowed).hasSize(1);
    release.countDown();
    q.close(5_000_000_000L);
    assertThat(batches).containsExactly(1, 2);
  }

  @Test
  void close_sendsWhatIsQueuedAndStopsTheThread() throws Exception {
    SettleQueue q = queue(1_000, 4, false);
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      all.add(q.submit(SETTLEMENT).toCompletableFuture());
    }

    q.close(5_000_000_000L);

    assertThat(all).allMatch(CompletableFuture::isDone);
    assertThat(batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(30);
    assertThat(overflowed).isEmpty();
    assertThat(q.running()).isFalse();
    CompletableFuture<?> late = q.submit(SETTLEMENT).toCompletableFuture();
    assertThat(late).as("after close: sent on the caller's thread").isDone();
    assertThat(threads).last().isEqualTo(Thread.currentThread().getName());
  }

  @Test
  void close_handsWhatAHungFlusherStillHoldsToTheOverflow() {
    SettleQueue q = queue(1_000, 1, true);
    CompletableFuture<?> stuck = q.submit(SETTLEMENT).toCompletableFuture();
    await(entered);
    CompletableFuture<?> waiting = q.submit(SETTLEMENT).toCompletableFuture();

    q.close(50_000_000L); // the flusher stays stuck in its send

    assertThat(waiting).isDone();
    assertThat(overflowed).hasSize(1);
    assertThat(stuck).isNotDone();
    release.countDown();
    assertThat(stuck).succeedsWithin(java.time.Duration.ofSeconds(30));
  }

  @Test
  void sender_thatThrowsStillCompletesEveryStage() throws Exception {
    SettleQueue q = new SettleQueue(10, 10, pending -> {
      throw new IllegalStateException("bug");
    }, p -> p.done().complete(List.of()), "test-flusher");

    assertThat(q.submit(SETTLEMENT).toCompletableFuture().get(30, TimeUnit.SECONDS)).isEmpty();
    q.close(1_000_000_000L);
  }
}
