package dev.switchboard.stream;

import dev.switchboard.spi.StreamCall;
import dev.switchboard.spi.StreamListener;
import dev.switchboard.spi.TransportException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link StreamCall} whose listener the test drives by hand; cancelling reports
 * {@link TransportException.Kind#CANCELLED} to the listener, as a real transport does.
 */
final class ScriptedCall implements StreamCall {
  final StreamListener listener;
  final AtomicInteger cancels = new AtomicInteger();

  ScriptedCall(StreamListener listener) {
    this.listener = listener;
  }

  @Override
  public void cancel() {
    if (cancels.getAndIncrement() == 0) {
      listener.onFailure(new TransportException(TransportException.Kind.CANCELLED, "cancelled"));
    }
  }

  @Override
  public boolean isCancelled() {
    return cancels.get() > 0;
  }
}
