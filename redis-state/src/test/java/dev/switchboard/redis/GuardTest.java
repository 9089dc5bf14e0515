package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.FakeTicker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;

class GuardTest {
  private final FakeTicker ticker = new FakeTicker();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final Guard guard = new Guard(ticker, Duration.ofMillis(500).toNanos(),
      Duration.ofSeconds(1).toNanos(), events::add);
  private final AtomicInteger redisCalls = new AtomicInteger();
  private volatile boolean redisUp = true;

  private String call() {
    return guard.call(() -> {
      redisCalls.incrementAndGet();
      if (!redisUp) {
        throw new JedisConnectionException("Failed to connect to 127.0.0.1:6379");
      }
      return "redis";
    }, () -> "local");
  }

  @Test
  void call_failureAnswersLocallyAndProbesOncePerInterval() {
    redisUp = false;

    assertThat(call()).isEqualTo("local");
    assertThat(call()).isEqualTo("local");
    assertThat(redisCalls).hasValue(1);
    assertThat(events).containsExactly("redis-state degraded: JedisConnectionException: Failed to connect to "
        + "127.0.0.1:6379; serving from local fallback state, probing Redis every 1000 ms");

    ticker.advance(Duration.ofSeconds(1));
    assertThat(call()).isEqualTo("local");
    assertThat(call()).isEqualTo("local");
    assertThat(redisCalls).as("one probe").hasValue(2);
    assertThat(events).hasSize(1);
  }

  @Test
  void call_probeThatAnswersRecoversAndRunsTheRecoveryAction() {
    AtomicInteger replays = new AtomicInteger();
    guard.onRecovery(replays::incrementAndGet);
    redisUp = false;
    call();
    redisUp = true;

    assertThat(call()).as("before the interval").isEqualTo("local");
    ticker.advance(Duration.ofSeconds(1));
    assertThat(call()).isEqualTo("redis");

    assertThat(guard.degraded()).isFalse();
    assertThat(replays).hasValue(1);
    assertThat(events).last().isEqualTo("redis-state recovered: Redis answers again; back to shared state");
    assertThat(call()).isEqualTo("redis");
  }

  @Test
  void call_probeRunsTheRecoveryActionBeforeItsOperationWhileStillDegraded() {
    List<String> order = new CopyOnWriteArrayList<>();
    guard.onRecovery(() -> order.add("recovery, degraded=" + guard.degraded()));
    redisUp = false;
    call();
    redisUp = true;
    ticker.advance(Duration.ofSeconds(1));

    String answer = guard.call(() -> {
      order.add("operation, degraded=" + guard.degraded());
      return "redis";
    }, () -> "local");

    assertThat(answer).isEqualTo("redis");
    assertThat(order).containsExactly("recovery, degraded=true", "operation, degraded=true");
    assertThat(guard.degraded()).isFalse();
  }

  @Test
  void call_recoveryActionThatFailsKeepsTheStoreDegradedUntilAProbeCompletesIt() {
    AtomicInteger attempts = new AtomicInteger();
    guard.onRecovery(() -> {
      if (attempts.incrementAndGet() == 1) {
        throw new JedisConnectionException("Unexpected end of stream");
      }
    });
    redisUp = false;
    call();
    redisUp = true;
    ticker.advance(Duration.ofSeconds(1));

    assertThat(call()).as("the write-back failed: answered locally").isEqualTo("local");
    assertThat(guard.degraded()).isTrue();
    assertThat(redisCalls).as("the operation never ran on Redis").hasValue(1);
    assertThat(call()).as("no second probe within the interval").isEqualTo("local");
    ticker.advance(Duration.ofSeconds(1));
    assertThat(call()).isEqualTo("redis");

    assertThat(attempts).hasValue(2);
    assertThat(guard.degraded()).isFalse();
    assertThat(events).hasSize(2);
    assertThat(events.get(1)).isEqualTo("redis-state recovered: Redis answers again; back to shared state");
  }

  @Test
  void call_answerThatStartedBeforeAnOutageDoesNotEndIt() {
    AtomicInteger replays = new AtomicInteger();
    guard.onRecovery(replays::incrementAndGet);

    String answer = guard.call(() -> {
      redisUp = false;
      call(); // another thread fails meanwhile: degraded
      return "redis";
    }, () -> "local");

    assertThat(answer).isEqualTo("redis");
    assertThat(guard.degraded()).as("only a probe that wrote local state back ends an outage").isTrue();
    assertThat(replays).hasValue(0);
  }

  @Test
  void call_listenerThatThrowsNeverFailsACall() {
    Guard noisy = new Guard(ticker, 1, 1, m -> {
      throw new IllegalStateException("listener bug");
    });

    String answer = noisy.call(() -> {
      throw new JedisConnectionException("down");
    }, () -> "local");

    assertThat(answer).isEqualTo("local");
    assertThat(noisy.degraded()).isTrue();
  }
}
