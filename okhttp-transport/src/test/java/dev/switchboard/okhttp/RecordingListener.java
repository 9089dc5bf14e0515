package dev.switchboard.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.ProviderResponse;
import dev.switchboard.spi.StreamEvent;
import dev.switchboard.spi.StreamListener;
import dev.switchboard.spi.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Records every listener call in order, and checks the contract as calls arrive. */
class RecordingListener implements StreamListener {
  final List<String> calls = new CopyOnWriteArrayList<>();
  final List<StreamEvent> events = new CopyOnWriteArrayList<>();
  final CountDownLatch firstEvent = new CountDownLatch(1);
  private final CountDownLatch done = new CountDownLatch(1);
  volatile ProviderResponse response;
  volatile TransportException failure;
  volatile int terminalCalls;

  @Override
  public void onResponse(ProviderResponse response) {
    assertThat(this.response).as("onResponse at most once").isNull();
    this.response = response;
    calls.add("response " + response.status());
  }

  @Override
  public void onEvent(StreamEvent event) {
    events.add(event);
    calls.add(event.name());
    firstEvent.countDown();
    synchronized (this) {
      notifyAll();
    }
  }

  @Override
  public void onComplete() {
    terminalCalls++;
    calls.add("complete");
    done.countDown();
  }

  @Override
  public void onFailure(TransportException failure) {
    terminalCalls++;
    this.failure = failure;
    calls.add("failure " + failure.kind());
    done.countDown();
  }

  /** Waits for the terminal call and returns this listener. */
  RecordingListener awaitDone() throws InterruptedException {
    assertThat(done.await(10, TimeUnit.SECONDS)).as("terminal call within 10 s").isTrue();
    return this;
  }

  /** Waits for the first event. */
  void awaitFirstEvent() throws InterruptedException {
    assertThat(firstEvent.await(10, TimeUnit.SECONDS)).as("first event within 10 s").isTrue();
  }

  /** Returns true when the terminal call arrives within {@code wait} (a wait on real I/O). */
  boolean endsWithin(Duration wait) throws InterruptedException {
    return done.await(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits until {@code count} events arrived. */
  void awaitEvents(int count) throws InterruptedException {
    synchronized (this) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (events.size() < count) {
        long left = deadline - System.nanoTime();
        assertThat(left).as(count + " events within 10 s").isPositive();
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
  }

  List<String> eventNames() {
    return events.stream().map(StreamEvent::name).toList();
  }
}
