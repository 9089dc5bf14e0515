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
