package dev.switchboard.examples.streaming;

import dev.switchboard.spi.StreamEvent;
import dev.switchboard.stream.StreamHandler;
import dev.switchboard.stream.StreamResult;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The caller's side of one stream: prints each text delta to the {@link Console} the moment it
 * arrives and counts the {@code message_start} and {@code message_stop} events, which shows that a
 * failover the router handled leaves the caller with exactly one stream. The router calls it one
 * event at a time; the counters are atomic because those calls may come from different threads.
 */
final class PrintingHandler implements StreamHandler {
  private final Console console;
  final AtomicInteger starts = new AtomicInteger();
  final AtomicInteger stops = new AtomicInteger();
  final AtomicInteger deltas = new AtomicInteger();

  PrintingHandler(Console console) {
    this.console = console;
  }

  @Override
  public void onEvent(StreamEvent event) {
    if (event instanceof StreamEvent.MessageStart) {
      starts.incrementAndGet();
    } else if (event instanceof StreamEvent.ContentBlockDelta d) {
      deltas.incrementAndGet();
      console.text(d.text());
    } else if (event instanceof StreamEvent.MessageStop) {
      stops.incrementAndGet();
    }
  }

  @Override
  public void onComplete(StreamResult result) {
    console.endLine();
  }

  @Override
  public void onError(Throwable error) {
    console.endLine();
  }
}
