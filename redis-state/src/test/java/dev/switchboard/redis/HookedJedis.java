package dev.switchboard.redis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * A real client of a real server that watches one script: it counts the {@code EVALSHA}s of it,
 * remembers the threads that sent them, and can hold the next one until the test lets it go
 * (the command then runs normally).
 */
final class HookedJedis extends UnifiedJedis {
  private final String sha1;
  final AtomicInteger calls = new AtomicInteger();
  final List<String> threads = Collections.synchronizedList(new ArrayList<>());
  private final AtomicBoolean armed = new AtomicBoolean();
  private volatile CountDownLatch entered = new CountDownLatch(0);
  private volatile CountDownLatch release = new CountDownLatch(0);

  HookedJedis(RedisServer server, LuaScript watched) {
    super(new PooledConnectionProvider(new HostAndPort("127.0.0.1", server.port()),
        DefaultJedisClientConfig.builder().connectionTimeoutMillis(1000).socketTimeoutMillis(5000).build()),
        RedisProtocol.RESP2);
    this.sha1 = watched.sha1();
  }

  /** Makes the next call of the watched script wait for {@link #letGo()}. */
  void holdNext() {
    entered = new CountDownLatch(1);
    release = new CountDownLatch(1);
    armed.set(true);
  }

  /** Waits until a held call has arrived. */
  void awaitHeld() throws InterruptedException {
    if (!entered.await(30, TimeUnit.SECONDS)) {
      throw new AssertionError("the watched script was not called");
    }
  }

  void letGo() {
    release.countDown();
  }

  @Override
  public Object evalsha(String sha1, List<String> keys, List<String> args) {
    if (sha1.equals(this.sha1)) {
      calls.incrementAndGet();
      threads.add(Thread.currentThread().getName());
      if (armed.compareAndSet(true, false)) {
        entered.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    return super.evalsha(sha1, keys, args);
  }
}
